"""The economy panel on the initiative page (its view belongs to another area)."""

from django import template
from django.utils import timezone

from .. import policies

register = template.Library()
ENTRY_LIMIT = 20


@register.inclusion_tag("portfolio/economy/_initiative_panel.html", takes_context=True)
def initiative_economy_panel(context, initiative):
    from ..selectors.decision_basis import decision_basis, estimate_entries_behind_decisions
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
    # Through the initiative, so each entry already holds it for the policy below.
    cost_entries = list(
        initiative.costs.select_related("paid_by").order_by("-period", "-id")[:ENTRY_LIMIT]
    )
    time_entries = list(
        initiative.time_entries.select_related("municipality").order_by("-period", "-id")[
            :ENTRY_LIMIT
        ]
    )
    # Whether the user may remove each row: asked once per (nature, municipality).
    answers = {}
    decided = estimate_entries_behind_decisions([initiative.pk])
    for entry in cost_entries:
        entry.behind_decision = entry.pk in decided
        entry.kept_correction = entry.corrects_id is not None
        asked = (entry.nature, entry.paid_by_id)
        if asked not in answers:
            answers[asked] = policies.can_remove_entry(user, entry)
        entry.may_change = answers[asked]
    for entry in time_entries:
        asked = ("time", entry.municipality_id)
        if asked not in answers:
            answers[asked] = policies.can_remove_entry(user, entry)
        entry.may_change = answers[asked]
    return {
        "request": request,
        "initiative": initiative,
        "economy": initiative_economy(initiative, period),
        # The estimates split over today's participants: what a decision now would rest on.
        "estimate_split": decision_basis(initiative, timezone.localdate()),
        "cost_entries": cost_entries,
        "time_entries": time_entries,
        "may_report": may_report,
        "cost_form": CostEntryForm(
            municipalities=municipalities,
            estimates=policies.can_change_shared_figures(user, initiative),
        )
        if may_report
        else None,
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
