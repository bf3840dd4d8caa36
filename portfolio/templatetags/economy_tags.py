"""The economy panel on the initiative page (its view belongs to another area)."""

from django import template

from .. import policies
from ..models import CostEntry, TimeEntry

register = template.Library()
ENTRY_LIMIT = 20


@register.inclusion_tag("portfolio/economy/_initiative_panel.html", takes_context=True)
def initiative_economy_panel(context, initiative):
    from ..selectors.economy import as_period, initiative_economy
    from ..views.economy import participating_municipalities
    from ..views.economy_forms import CostEntryForm, TimeEntryForm

    request = context.get("request")
    user = request.user
    try:
        period = as_period(request.GET.get("period", ""))
    except ValueError:
        period = as_period(None)
    may_report = policies.can_report_for(user, initiative)
    municipalities = participating_municipalities(initiative)
    return {
        "request": request,
        "initiative": initiative,
        "economy": initiative_economy(initiative, period),
        "cost_entries": list(
            CostEntry.objects.filter(initiative=initiative)
            .select_related("paid_by")
            .order_by("-period", "-id")[:ENTRY_LIMIT]
        ),
        "time_entries": list(
            TimeEntry.objects.filter(initiative=initiative)
            .select_related("municipality")
            .order_by("-period", "-id")[:ENTRY_LIMIT]
        ),
        "may_report": may_report,
        "cost_form": CostEntryForm(municipalities=municipalities) if may_report else None,
        "time_form": TimeEntryForm(
            municipalities=municipalities, initial={"municipality": user.municipality_id}
        )
        if may_report
        else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def decimal_sv(value):
    """13,65: a comma decimal, as the Swedish UI writes it."""
    if value is None or value == "":
        return "–"
    return str(value).replace(".", ",")
