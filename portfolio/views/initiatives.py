"""Initiative pages: the detail page, submitting an idea, editing, the ranked list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import policies
from ..domain.gate_checks import description_missing
from ..forms.base import apply_error
from ..forms.initiatives import EDIT_FIELDS, InitiativeForm
from ..models import Initiative, Program
from ..selectors.access import visible_portfolios
from ..selectors.gates import decision_kinds_for, gate_checklist
from ..selectors.history import history_lines
from ..selectors.initiatives import (
    initiative_for_detail,
    initiative_visible,
    ranked_initiatives,
)
from ..services.errors import DomainError, NotAllowedError, StaleVersionError
from ..services.initiatives import initiative_create, initiative_update
from .attachments import initiative_attachments

HISTORY_LIMIT = 100


def _permissions(user, initiative) -> dict:
    participations = list(initiative.participations.all())
    return {
        "can_edit": policies.can_edit_initiative(user, initiative),
        "can_judge_3n": policies.can_judge_3n(user, initiative),
        "can_confirm": policies.can_confirm_criterion(user, initiative),
        "can_invite": policies.can_invite_municipalities(user, initiative),
        "can_report": policies.can_report_for(user, initiative),
        "can_score": policies.can_score_priority(user, initiative),
        "can_pause": policies.can_pause_initiative(user, initiative),
        "decision_kinds": decision_kinds_for(user, initiative),
        "answerable": {p.pk for p in participations if policies.can_answer_participation(user, p)},
        "implementable": {
            p.pk for p in participations if policies.can_record_implementation(user, p)
        },
    }


@login_required
def initiative_detail(request, pk):
    initiative = initiative_for_detail(request.user, pk)
    checklist = gate_checklist(initiative)
    confirmations = {c.criterion_id: c for c in initiative.confirmations.all()}
    history = history_lines(list(initiative.history.all())[:HISTORY_LIMIT])
    members = initiative.portfolio.constellation.members.all()
    invited = {p.municipality_id for p in initiative.participations.all()}
    context = {
        "initiative": initiative,
        "checklist": checklist,
        "confirmations": confirmations,
        "history": history,
        "uninvited": [m for m in members if m.pk not in invited],
        "scores": {s.criterion_id: s.score for s in initiative.priority_scores.all()},
        "priority_criteria": initiative.portfolio.priority_criteria.all(),
        "latest_status": next(iter(initiative.status_updates.all()), None),
        **_permissions(request.user, initiative),
        **initiative_attachments(request.user, initiative, initiative.decisions.all()),
    }
    return render(request, "portfolio/initiative_detail.html", context)


@login_required
def initiative_create_view(request, portfolio_pk):
    portfolio = get_object_or_404(
        visible_portfolios(request.user).select_related("constellation"), pk=portfolio_pk
    )
    if not policies.can_submit_idea(request.user, portfolio):
        raise PermissionDenied
    form = InitiativeForm((request.POST if request.method == "POST" else None), portfolio=portfolio)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            initiative = initiative_create(
                actor=request.user, portfolio=portfolio, title=values.pop("title"), **values
            )
        except (ValidationError, DomainError) as exc:
            apply_error(form, exc)
        else:
            missing = description_missing(initiative)
            messages.success(
                request,
                _("Idén %(ref)s är inlämnad.") % {"ref": initiative.reference}
                + (
                    " " + _("Innan den kan tas upp vid G0 behövs mer: %(m)s") % {"m": missing}
                    if missing
                    else ""
                ),
            )
            return redirect("portfolio:initiative-detail", pk=initiative.pk)
    return render(
        request,
        "portfolio/initiative_form.html",
        {"form": form, "portfolio": portfolio, "initiative": None},
    )


def _current_values(initiative, form) -> list[tuple]:
    """The stored values that differ from what the user submitted (for a stale save)."""
    stored = Initiative.objects.select_related("program", "proposing_municipality", "owner").get(
        pk=initiative.pk
    )
    rows = []
    for name in form.fields:
        if name == "version" or name not in form.cleaned_data:
            continue
        mine, theirs = form.cleaned_data[name], getattr(stored, name)
        if (mine or None) != (theirs or None):
            rows.append((form.fields[name].label, theirs, mine))
    return stored, rows


@login_required
def initiative_edit(request, pk):
    initiative = initiative_visible(request.user, pk)
    if not policies.can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    form = InitiativeForm(
        (request.POST if request.method == "POST" else None),
        portfolio=initiative.portfolio,
        editing=True,
        initial=_initial(initiative),
    )
    conflicts = None
    if request.method == "POST" and form.is_valid():
        try:
            initiative_update(
                actor=request.user,
                initiative=initiative,
                version=form.cleaned_data["version"],
                **form.values(),
            )
        except StaleVersionError as exc:
            stored, conflicts = _current_values(initiative, form)
            form.add_error(None, str(exc.message))
            # The user's input stays in the form; the next save compares with the newest.
            data = request.POST.copy()
            data["version"] = stored.version
            form.data = data
        except NotAllowedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except (ValidationError, DomainError) as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("portfolio:initiative-detail", pk=initiative.pk)
    return render(
        request,
        "portfolio/initiative_form.html",
        {
            "form": form,
            "portfolio": initiative.portfolio,
            "initiative": initiative,
            "conflicts": conflicts,
        },
    )


def _initial(initiative) -> dict:
    values = {name: getattr(initiative, f"{name}_id", None) for name in EDIT_FIELDS}
    for name in EDIT_FIELDS:
        if values[name] is None:
            values[name] = getattr(initiative, name)
    values["version"] = initiative.version
    return values


@login_required
def initiative_ranking(request, portfolio_pk):
    portfolio = get_object_or_404(visible_portfolios(request.user), pk=portfolio_pk)
    programs = Program.objects.filter(portfolio=portfolio).order_by("name")
    program = None
    if request.GET.get("program", "").isdigit():
        program = get_object_or_404(programs, pk=int(request.GET["program"]))
    return render(
        request,
        "portfolio/initiative_ranking.html",
        {
            "portfolio": portfolio,
            "programs": programs,
            "program": program,
            "initiatives": ranked_initiatives(portfolio, program),
        },
    )
