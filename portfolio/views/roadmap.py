"""The roadmap: initiatives on a timeline, planned start to planned end, per program."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..charts import TimelineRow, timeline_chart
from ..choices import TERMINAL_STAGES
from .dashboard import portfolio_filter, portfolio_for

ROADMAP_FILTERS = ("program", "stage", "area", "municipality", "q")


@login_required
def roadmap(request, pk):
    portfolio = portfolio_for(request, pk)
    filterset = portfolio_filter(request, portfolio)
    initiatives = (
        filterset.qs.exclude(stage__in=TERMINAL_STAGES)
        .select_related("program")
        .order_by("program__name", "planned_start", "id")
    )
    planned, unplanned = [], []
    for initiative in initiatives:
        if initiative.planned_start and initiative.planned_end:
            planned.append(initiative)
        else:
            unplanned.append(initiative)
    no_program = _("Utan program")
    chart = timeline_chart(
        title=_("Färdplan för %(name)s") % {"name": portfolio.name},
        description=_(
            "Varje stapel visar ett initiativ från planerad start till planerat slut, "
            "grupperat per program. Samma uppgifter finns i tabellen under bilden."
        ),
        rows=[
            TimelineRow(
                group=i.program.name if i.program else no_program,
                label=f"{i.reference} {i.title}",
                start=i.planned_start,
                end=i.planned_end,
            )
            for i in planned
        ],
    )
    context = {
        "portfolio": portfolio,
        "filter": filterset,
        "filter_fields": [filterset.form[name] for name in ROADMAP_FILTERS],
        "chart": chart,
        "planned": planned,
        "unplanned": unplanned,
    }
    return render(request, "portfolio/roadmap.html", context)
