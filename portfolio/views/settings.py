"""The portfolio office's settings as pages: one overview everyone in the constellation
may read, and a form per change for the samordnare. Each form calls one service; a
refusal is shown on the form in Swedish with the input kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policies
from ..choices import AllocationMethod, CriterionKind
from ..forms import settings as forms
from ..selectors import settings as sel
from ..selectors.bodies import portfolio_bodies
from ..services import settings_gates, settings_keys, settings_programs
from ..services.errors import DomainError, NotAllowedError
from .settings_forms import back, bound, manageable, page, run


@login_required
def settings_overview(request, pk):
    portfolio = sel.settings_portfolio(request.user, pk)
    return render(
        request,
        "portfolio/settings/overview.html",
        {
            "portfolio": portfolio,
            "can_manage": policies.can_manage_portfolio_settings(request.user, portfolio),
            "gate_groups": sel.gate_criteria_groups(portfolio),
            "check_labels": dict(sel.system_check_choices()),
            "keys": list(sel.allocation_key_versions(portfolio)),
            "settled_until": settings_keys.settled_until(portfolio),
            "priority_criteria": list(sel.priority_criteria(portfolio)),
            "programs": list(sel.programs_with_budgets(portfolio)),
            "bodies": list(portfolio_bodies(portfolio)),
            "unclaimed_matters": policies.unclaimed_board_matters(request.user, portfolio),
            "history": sel.history_rows(portfolio, limit=30),
        },
    )


# --- gate criteria ----------------------------------------------------------------------


@login_required
def gate_criterion_add(request, pk):
    portfolio = manageable(request, pk)
    form = forms.GateCriterionAddForm(
        bound(request),
        check_choices=sel.system_check_choices(),
        initial={"gate": request.GET.get("grind", "G0")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run(
            form,
            lambda: settings_gates.gate_criterion_add(
                actor=request.user,
                portfolio=portfolio,
                gate=data["gate"],
                label=data["label"],
                kind=data["kind"],
                system_check=data["system_check"] if data["kind"] == CriterionKind.SYSTEM else "",
            ),
        ):
            messages.success(request, _("Kriteriet är tillagt."))
            return back(portfolio, f"grind-{data['gate']}")
    return page(
        request,
        portfolio,
        form,
        _("Lägg till grindkriterium"),
        _(
            "Ett kriterium kontrolleras antingen av systemet utifrån initiativets uppgifter "
            "eller bekräftas av en person på initiativets sida."
        ),
        anchor="grindkriterier",
    )


@login_required
def gate_criterion_edit(request, pk, item_pk):
    portfolio = manageable(request, pk)
    criterion = sel.gate_criterion_for(portfolio, item_pk)
    form = forms.GateCriterionLabelForm(
        bound(request), initial={"label": criterion.label, "version": criterion.version}
    )
    if request.method == "POST" and form.is_valid():
        if run(
            form,
            lambda: settings_gates.gate_criterion_update(
                actor=request.user, criterion=criterion, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Kriteriet är ändrat."))
            return back(portfolio, f"grind-{criterion.gate}")
    return page(
        request,
        portfolio,
        form,
        _("Ändra grindkriterium %(gate)s") % {"gate": criterion.gate},
        anchor=f"grind-{criterion.gate}",
    )


def _post_action(request, portfolio, action, success, anchor):
    try:
        action()
    except NotAllowedError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)
    return back(portfolio, anchor)


@login_required
@require_POST
def gate_criterion_active(request, pk, item_pk):
    portfolio = manageable(request, pk)
    criterion = sel.gate_criterion_for(portfolio, item_pk)
    active = request.POST.get("active") == "1"
    return _post_action(
        request,
        portfolio,
        lambda: settings_gates.gate_criterion_update(
            actor=request.user, criterion=criterion, is_active=active
        ),
        _("Kriteriet är aktiverat.") if active else _("Kriteriet är inaktiverat."),
        f"grind-{criterion.gate}",
    )


@login_required
@require_POST
def gate_criterion_move(request, pk, item_pk):
    portfolio = manageable(request, pk)
    criterion = sel.gate_criterion_for(portfolio, item_pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    return _post_action(
        request,
        portfolio,
        lambda: settings_gates.gate_criterion_move(
            actor=request.user, criterion=criterion, direction=direction
        ),
        _("Ordningen är ändrad."),
        f"grind-{criterion.gate}",
    )


# --- allocation key ---------------------------------------------------------------------


@login_required
def allocation_key_add(request, pk):
    portfolio = manageable(request, pk)
    latest = sel.allocation_key_versions(portfolio).first()
    initial = {"method": AllocationMethod.POPULATION_AND_EQUAL, "valid_from": None}
    if latest is not None:
        initial.update(
            method=latest.method,
            population_weight=latest.population_weight,
            equal_weight=latest.equal_weight,
            population_year=latest.population_year,
            hourly_rate=latest.hourly_rate,
            yearly_fee_per_party=latest.yearly_fee_per_party,
        )
    form = forms.AllocationKeyForm(bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        if run(
            form,
            lambda: settings_keys.allocation_key_add(
                actor=request.user, portfolio=portfolio, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Den nya versionen av fördelningsnyckeln är sparad."))
            return back(portfolio, "fordelningsnyckel")
    settled = settings_keys.settled_until(portfolio)
    intro = _(
        "En ny version gäller kostnader från sitt datum. Tidigare versioner och redan "
        "avräknade perioder ändras inte."
    )
    if settled:
        intro += " " + _("Perioder till och med %(day)s är avräknade.") % {
            "day": settled.isoformat()
        }
    return page(
        request,
        portfolio,
        form,
        _("Ny version av fördelningsnyckeln"),
        intro,
        anchor="fordelningsnyckel",
        today=timezone.localdate(),
    )


# --- priority criteria ------------------------------------------------------------------


@login_required
def priority_criterion_add(request, pk):
    portfolio = manageable(request, pk)
    form = forms.PriorityCriterionForm(bound(request), initial={"weight": 1})
    if request.method == "POST" and form.is_valid():
        if run(
            form,
            lambda: settings_programs.priority_criterion_add(
                actor=request.user, portfolio=portfolio, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Prioriteringskriteriet är tillagt."))
            return back(portfolio, "prioritering")
    return page(
        request, portfolio, form, _("Lägg till prioriteringskriterium"), anchor="prioritering"
    )


@login_required
def priority_criterion_edit(request, pk, item_pk):
    portfolio = manageable(request, pk)
    criterion = sel.priority_criterion_for(portfolio, item_pk)
    form = forms.PriorityCriterionEditForm(
        bound(request),
        initial={"name": criterion.name, "weight": criterion.weight, "version": criterion.version},
    )
    if request.method == "POST" and form.is_valid():
        if run(
            form,
            lambda: settings_programs.priority_criterion_update(
                actor=request.user, criterion=criterion, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Prioriteringskriteriet är ändrat."))
            return back(portfolio, "prioritering")
    return page(
        request,
        portfolio,
        form,
        _("Ändra prioriteringskriterium"),
        _("En ny vikt räknar om prioriteringspoängen för alla initiativ i portföljen."),
        anchor="prioritering",
    )


@login_required
@require_POST
def priority_criterion_delete(request, pk, item_pk):
    portfolio = manageable(request, pk)
    criterion = sel.priority_criterion_for(portfolio, item_pk)
    return _post_action(
        request,
        portfolio,
        lambda: settings_programs.priority_criterion_delete(
            actor=request.user, criterion=criterion
        ),
        _("Prioriteringskriteriet är borttaget."),
        "prioritering",
    )


# --- programs, budgets, meeting ------------------------------------------------------------


@login_required
def program_add(request, pk):
    portfolio = manageable(request, pk)
    form = forms.ProgramForm(bound(request), managers=sel.program_manager_candidates(portfolio))
    if request.method == "POST" and form.is_valid():
        if run(
            form,
            lambda: settings_programs.program_create(
                actor=request.user, portfolio=portfolio, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Programmet är skapat."))
            return back(portfolio, "program")
    return page(request, portfolio, form, _("Nytt program"), anchor="program")


@login_required
def program_edit(request, pk, item_pk):
    portfolio = manageable(request, pk)
    program = sel.program_for(portfolio, item_pk)
    form = forms.ProgramEditForm(
        bound(request),
        managers=sel.program_manager_candidates(portfolio),
        initial={
            "name": program.name,
            "description": program.description,
            "manager": program.manager_id,
            "version": program.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        if run(
            form,
            lambda: settings_programs.program_update(
                actor=request.user, program=program, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Programmet är ändrat."))
            return back(portfolio, "program")
    return page(
        request,
        portfolio,
        form,
        _("Ändra programmet %(name)s") % {"name": program.name},
        anchor="program",
    )


def _budget_asked(request, program):
    """The budget named by ?ar=, to change it; None for a new year (or an unknown one)."""
    year = request.GET.get("ar", "")
    if not year.isdigit():
        return None
    return program.budgets.filter(year=int(year)).first()


@login_required
def program_budget(request, pk, item_pk):
    portfolio = manageable(request, pk)
    program = sel.program_for(portfolio, item_pk)
    budget = _budget_asked(request, program)
    initial = {"year": timezone.localdate().year}
    if budget is not None:
        initial = {"year": budget.year, "amount": budget.amount, "version": budget.version}
    form = forms.ProgramBudgetForm(
        bound(request), initial=initial, existing_year=budget is not None
    )
    if request.method == "POST" and form.is_valid():
        if run(
            form,
            lambda: settings_programs.program_budget_set(
                actor=request.user,
                program=program,
                new_year_only=budget is None,
                **form.cleaned_data,
            ),
        ):
            messages.success(request, _("Budgeten är sparad."))
            return back(portfolio, "program")
    return page(
        request,
        portfolio,
        form,
        _("Budget för %(name)s") % {"name": program.name},
        _("Ett år som redan har en budget ändrar du från listan nedan."),
        anchor="program",
        budgets=list(program.budgets.all()),
    )


@login_required
def meeting_edit(request, pk):
    portfolio = manageable(request, pk)
    form = forms.MeetingForm(
        bound(request),
        initial={
            "next_board_meeting": portfolio.next_board_meeting,
            "sender": portfolio.sender,
            "version": portfolio.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        if run(
            form,
            lambda: settings_programs.portfolio_meeting_update(
                actor=request.user, portfolio=portfolio, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Uppgifterna om mötet är sparade."))
            return back(portfolio, "moten")
    return page(request, portfolio, form, _("Möte och beslutsunderlag"), anchor="moten")
