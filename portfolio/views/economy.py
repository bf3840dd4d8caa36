"""Economy pages: allocation per initiative, program and portfolio, settlement, scenarios,
the municipality's own view, and entering costs and hours. Every figure comes from
`portfolio.selectors.economy`, as in the API and the PDF reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import policies
from ..charts import bar_chart
from ..excel.writer import Column, Kind, workbook_response
from ..forms.base import apply_error
from ..forms.settlement import SettlementForm
from ..models import Program
from ..periods import parse_period
from ..selectors import portfolio_cache as kept
from ..selectors.access import visible_constellations, visible_initiatives, visible_portfolios
from ..selectors.economy import (
    as_period,
    initiative_economy,
    latest_active_period,
    period_choices,
    portfolio_economy,
    program_economy,
    scenario_compare,
    settlement_decision,
)
from ..selectors.economy_tools import scenario_amount
from ..selectors.keys import portfolio_key_in_force
from ..services import costs
from ..services.allocation import period_settle
from ..services.errors import DomainError
from .economy_forms import CostEntryForm, TimeEntryForm


def economy_columns() -> list[Column]:
    """Headings in the requesting user's language (so built per request, not at import)."""
    return [
        Column(_("Kommunkod")),
        Column(_("Kommun")),
        Column(_("Folkmängd"), Kind.INT),
        Column(_("Andel av kostnaderna"), Kind.KRONOR),
        Column(_("Betalat"), Kind.KRONOR),
        Column(_("Timmar"), Kind.DECIMAL),
        Column(_("Värde av timmar"), Kind.KRONOR),
        Column(_("Inköp och kreditering"), Kind.KRONOR),
        Column(_("Netto"), Kind.KRONOR),
    ]


def transfer_columns() -> list[Column]:
    return [
        Column(_("Från kommunkod")),
        Column(_("Från")),
        Column(_("Till kommunkod")),
        Column(_("Till")),
        Column(_("Belopp"), Kind.KRONOR),
    ]


def _period(request, newest=None):
    """The half-year asked for and any error message. Without one: `newest()`, the
    newest half-year with actual costs or hours (the current one for none)."""
    text = request.GET.get("period", "").strip()
    if not text and newest is not None:
        return newest(), ""
    try:
        return as_period(text), ""
    except ValueError as exc:
        return as_period(None), str(exc)


def _economy_rows(economy):
    return [
        [r.code, r.name, r.population, r.allocated, r.paid, r.hours, r.hours_value, r.buy_in, r.net]
        for r in economy.rows
    ]


def _export(economy, filename):
    return workbook_response(
        filename=filename,
        sheet_title=_("Fördelning %(p)s") % {"p": economy.period.label},
        columns=economy_columns(),
        rows=_economy_rows(economy),
        filters_description={_("Period"): economy.period.label, _("Avser"): economy.scope_name},
    )


def _chart(economy):
    if not economy.rows:
        return None
    return bar_chart(
        title=_("Andel av kostnaderna per kommun %(p)s") % {"p": economy.period.label},
        description=_(
            "Varje kommuns andel av de gemensamma kostnaderna (utfall och värdet av timmar) "
            "enligt fördelningsnyckeln."
        ),
        labels=[r.name for r in economy.rows],
        values=[max(0, r.allocated) for r in economy.rows],
        unit="kr",
        label_header=_("Kommun"),
        value_header=_("Andel av kostnaderna"),
    )


def _economy_page(request, economy, *, heading, back_url, export_url, extra=None):
    period, error = _period(request)
    context = {
        "economy": economy,
        "heading": heading,
        "back_url": back_url,
        "export_url": f"{export_url}?period={economy.period.label}",
        "period": economy.period,
        "period_error": error,
        "period_choices": [p.label for p in period_choices()],
        "chart": _chart(economy),
        # The key beside the money: what the shares were computed with.
        "key": portfolio_key_in_force(economy.portfolio_id, economy.period.end),
        **(extra or {}),
    }
    return render(request, "portfolio/economy/allocation.html", context)


@login_required
def portfolio_allocation(request, pk, export=False):
    portfolio = get_object_or_404(visible_portfolios(request.user), pk=pk)
    period = _period(request, lambda: kept.latest_active_period(portfolio))[0]
    economy = kept.cached_portfolio_economy(portfolio, period)
    if export:
        return _export(
            economy, f"fordelning-{portfolio.reference_prefix}-{economy.period.label}.xlsx"
        )
    return _economy_page(
        request,
        economy,
        heading=_("Kostnadsfördelning: %(name)s") % {"name": portfolio.name},
        back_url=reverse("portfolio:dashboard", args=[portfolio.pk]),
        export_url=reverse("portfolio:economy-portfolio-xlsx", args=[portfolio.pk]),
        extra={
            "portfolio": portfolio,
            "programs": portfolio.programs.all(),
            "budget_rows": kept.cached_costs_against_budget(portfolio),
            "can_settle": policies.can_settle(request.user, portfolio),
        },
    )


@login_required
def program_allocation(request, pk, export=False):
    program = get_object_or_404(
        Program.objects.filter(
            portfolio__in=visible_portfolios(request.user).values("pk")
        ).select_related("portfolio"),
        pk=pk,
    )
    economy = program_economy(
        program, _period(request, lambda: latest_active_period(initiative__program=program))[0]
    )
    if export:
        return _export(economy, f"fordelning-program-{program.pk}-{economy.period.label}.xlsx")
    return _economy_page(
        request,
        economy,
        heading=_("Kostnadsfördelning: %(name)s") % {"name": program.name},
        back_url=reverse("portfolio:economy-portfolio", args=[program.portfolio_id]),
        export_url=reverse("portfolio:economy-program-xlsx", args=[program.pk]),
        extra={"portfolio": program.portfolio, "program": program},
    )


@login_required
def initiative_allocation(request, pk, export=False):
    initiative = get_object_or_404(
        visible_initiatives(request.user).select_related("portfolio"), pk=pk
    )
    economy = initiative_economy(
        initiative, _period(request, lambda: latest_active_period(initiative=initiative))[0]
    )
    if export:
        return _export(economy, f"fordelning-{initiative.reference}-{economy.period.label}.xlsx")
    return _economy_page(
        request,
        economy,
        heading=_("Kostnadsfördelning: %(name)s") % {"name": str(initiative)},
        back_url=initiative_url(initiative),
        export_url=reverse("portfolio:economy-initiative-xlsx", args=[initiative.pk]),
        extra={"portfolio": initiative.portfolio, "initiative": initiative},
    )


def initiative_url(initiative):
    return reverse("portfolio:initiative-detail", args=[initiative.pk]) + "#ekonomi"


@login_required
def settlement(request, pk, export=False):
    portfolio = get_object_or_404(
        visible_portfolios(request.user).select_related("constellation"), pk=pk
    )
    may_settle = policies.can_settle(request.user, portfolio)
    form = SettlementForm()
    if request.method == "POST":
        if not may_settle:
            raise PermissionDenied
        form = SettlementForm(request.POST)
        settled = _settle(request, portfolio, form)
        if settled is not None:
            messages.success(
                request, _("Perioden %(p)s är avräknad och låst.") % {"p": settled.label}
            )
            return redirect(
                reverse("portfolio:settlement", args=[portfolio.pk]) + f"?period={settled.label}"
            )
    period, error = _period(request, lambda: kept.latest_active_period(portfolio))
    if form.errors:
        # Show the period the refused form was for, with what was typed.
        period = _posted_period(request) or period
    # Live, not kept: the figures the board is about to lock are read as they stand.
    economy = portfolio_economy(portfolio, period)
    if export:
        return workbook_response(
            filename=f"avrakning-{portfolio.reference_prefix}-{period.label}.xlsx",
            sheet_title=_("Avräkning %(p)s") % {"p": period.label},
            columns=transfer_columns(),
            rows=[
                [t.from_code, t.from_name, t.to_code, t.to_name, t.amount]
                for t in economy.transfers
            ],
            filters_description={_("Period"): period.label, _("Portfölj"): portfolio.name},
        )
    return render(
        request,
        "portfolio/economy/settlement.html",
        {
            "portfolio": portfolio,
            "economy": economy,
            "period": period,
            "period_error": error,
            "period_choices": [p.label for p in period_choices()],
            "decision": settlement_decision(portfolio, period) if economy.settled else None,
            "can_settle": may_settle and not economy.settled,
            "form": form,
            "export_url": reverse("portfolio:settlement-xlsx", args=[portfolio.pk])
            + f"?period={period.label}",
        },
        status=400 if form.errors else 200,
    )


def _posted_period(request):
    try:
        return parse_period(request.POST.get("period", ""))
    except ValueError:
        return None


def _settle(request, portfolio, form):
    """Record the board's settlement; the period settled, or None with the form's errors."""
    period = _posted_period(request)
    if period is None:
        form.add_error(None, _("Ange perioden, till exempel 2026H1."))
        return None
    if not form.is_valid():
        return None
    try:
        period_settle(
            actor=request.user,
            portfolio=portfolio,
            period=period,
            decided_on=form.cleaned_data["decided_on"],
            meeting_reference=form.cleaned_data["meeting_reference"],
        )
    except (ValidationError, DomainError) as exc:
        apply_error(form, exc)
        return None
    return period


def _scenario_sets(request, portfolio):
    """The chosen sets: named constellations (checkboxes) and one set of your own."""
    constellations = list(visible_constellations(request.user).prefetch_related("members"))
    chosen = request.GET.getlist("konstellation")
    sets = {}
    for group in constellations:
        if str(group.pk) in chosen:
            sets[group.short_name] = sorted(m.code for m in group.members.all())
    own = request.GET.getlist("kommun")
    if own:
        sets[request.GET.get("egen_namn", "").strip() or _("Eget urval")] = own
    return constellations, sets


@login_required
def scenarios(request, pk, export=False):
    portfolio = get_object_or_404(
        visible_portfolios(request.user).select_related("constellation"), pk=pk
    )
    constellations, sets = _scenario_sets(request, portfolio)
    initiatives = list(visible_initiatives(request.user).filter(portfolio=portfolio).order_by("id"))
    chosen_initiative = next(
        (i for i in initiatives if str(i.pk) == request.GET.get("initiativ")), None
    )
    amount_text = request.GET.get("belopp", "").strip().replace(" ", "")
    table, errors = None, []
    if request.GET and not sets:
        errors.append(_("Välj minst en konstellation eller några kommuner."))
    elif sets:
        try:
            if chosen_initiative is not None and not amount_text:
                table = scenario_compare(sets=sets, initiative=chosen_initiative)
            else:
                table = scenario_compare(sets=sets, amount=amount_text or "0")
        except ValidationError as exc:
            errors = [m for ms in exc.message_dict.values() for m in ms]
    if export and table is not None:
        return _scenario_export(table, portfolio)
    members = portfolio.constellation.members.order_by("name")
    all_members = list({m.pk: m for g in constellations for m in g.members.all()}.values()) or list(
        members
    )
    return render(
        request,
        "portfolio/economy/scenarios.html",
        {
            "portfolio": portfolio,
            "constellations": constellations,
            "municipalities": sorted(all_members, key=lambda m: m.name),
            "chosen_constellations": request.GET.getlist("konstellation"),
            "chosen_municipalities": request.GET.getlist("kommun"),
            "own_name": request.GET.get("egen_namn", ""),
            "initiatives": initiatives,
            "chosen_initiative": chosen_initiative,
            "initiative_amount": scenario_amount(initiative=chosen_initiative)
            if chosen_initiative
            else None,
            "amount_text": amount_text,
            "table": table,
            "errors": errors,
            "export_url": reverse("portfolio:scenarios-xlsx", args=[portfolio.pk])
            + "?"
            + request.GET.urlencode(),
        },
    )


def _scenario_export(table, portfolio):
    columns = [Column(_("Kommunkod")), Column(_("Kommun")), Column(_("Folkmängd"), Kind.INT)]
    for label in table.labels:
        columns.append(Column(f"{label}: " + _("kronor"), Kind.KRONOR))
        columns.append(Column(f"{label}: " + _("kr per invånare"), Kind.DECIMAL))
    rows = []
    for r in table.rows:
        row = [r.code, r.name, r.population]
        for label in table.labels:
            cell = r.cells[label]
            row += [cell.amount, cell.per_inhabitant] if cell else [None, None]
        rows.append(row)
    return workbook_response(
        filename=f"scenarier-{portfolio.reference_prefix}.xlsx",
        sheet_title=_("Scenarier"),
        columns=columns,
        rows=rows,
        filters_description={_("Belopp"): table.amount, _("Portfölj"): portfolio.name},
    )


@login_required
def my_economy(request, export=False):
    municipality = request.user.municipality
    period, error = _period(request)
    economies = (
        kept.cached_municipality_economy(municipality, period, user=request.user)
        if municipality
        else []
    )
    rows = [(e, e.row_for(municipality.code)) for e in economies]
    if export:
        return workbook_response(
            filename=f"ekonomi-{municipality.code}-{period.label}.xlsx",
            sheet_title=_("Ekonomi %(p)s") % {"p": period.label},
            columns=[Column(_("Portfölj")), *economy_columns()],
            rows=[
                [e.scope_name, *_economy_rows(e)[e.rows.index(r)]] for e, r in rows if r is not None
            ],
            filters_description={_("Period"): period.label, _("Kommun"): municipality.name},
        )
    return render(
        request,
        "portfolio/economy/municipality.html",
        {
            "municipality": municipality,
            "rows": [
                (
                    e,
                    r,
                    [t for t in e.transfers if municipality.code in (t.from_code, t.to_code)],
                )
                for e, r in rows
            ],
            "period": period,
            "period_error": error,
            "period_choices": [p.label for p in period_choices()],
            "export_url": reverse("portfolio:economy-mine-xlsx") + f"?period={period.label}",
        },
    )


# --- entering costs and hours -----------------------------------------------------------


def _reportable_initiative(request, pk):
    initiative = get_object_or_404(
        visible_initiatives(request.user).select_related("portfolio", "program"), pk=pk
    )
    return initiative


def participating_municipalities(initiative):
    from municipalities.models import Municipality

    from ..choices import ParticipationStatus

    return Municipality.objects.filter(
        participations__initiative=initiative,
        participations__status=ParticipationStatus.PARTICIPATING,
    ).order_by("name")


@login_required
def cost_entry_create(request, pk):
    initiative = _reportable_initiative(request, pk)
    if not policies.can_report_for(request.user, initiative):
        raise PermissionDenied
    form = CostEntryForm(
        request.POST if request.method == "POST" else None,
        municipalities=participating_municipalities(initiative),
        estimates=policies.can_change_shared_figures(request.user, initiative),
    )
    return _entry_form_page(
        request,
        initiative,
        form,
        save=costs.cost_entry_create,
        saved=_("Kostnaden är registrerad."),
        heading=_("Registrera kostnad"),
        url_name="portfolio:cost-entry-create",
    )


@login_required
def time_entry_create(request, pk):
    initiative = _reportable_initiative(request, pk)
    if not policies.can_report_for(request.user, initiative):
        raise PermissionDenied
    municipalities = participating_municipalities(initiative)
    if not policies.reports_for_any_participant(request.user, initiative):
        municipalities = municipalities.filter(pk=request.user.municipality_id)
    form = TimeEntryForm(
        request.POST if request.method == "POST" else None,
        municipalities=municipalities,
        initial={"municipality": request.user.municipality_id},
    )
    return _entry_form_page(
        request,
        initiative,
        form,
        save=costs.time_entry_create,
        saved=_("Tidsinsatsen är registrerad."),
        heading=_("Registrera tid"),
        url_name="portfolio:time-entry-create",
    )


def _entry_form_page(request, initiative, form, *, save, saved, heading, url_name):
    """Save a new cost or time entry through `save`, or show the form with its errors."""
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=request.user, initiative=initiative, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            if isinstance(exc, DomainError) and exc.status_code == 403:
                raise PermissionDenied from exc
            apply_error(form, exc)
        else:
            messages.success(request, saved)
            return redirect(initiative_url(initiative))
    return render(
        request,
        "portfolio/economy/entry_form.html",
        {
            "initiative": initiative,
            "form": form,
            "heading": heading,
            "action": reverse(url_name, args=[initiative.pk]),
            "back_url": initiative_url(initiative),
        },
        status=400 if form.errors else 200,
    )
