"""Workflow actions as pages: decisions, confirmations, participation, status, benefits,
priority, pause and 3N. Each view shows a form, calls one service and goes back to the
initiative; a refusal is shown on the form in Swedish with the user's input kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User

from .. import policies
from ..forms import workflow as forms
from ..forms.base import apply_error
from ..models import EffectGoal, GateCriterion, Participation
from ..selectors.decision_basis import municipality_share
from ..selectors.gates import decision_kinds_for, gate_checklist
from ..selectors.initiatives import initiative_visible
from ..services import benefits, participation, priority, status, workflow
from ..services.errors import DomainError, NotAllowedError, StaleVersionError


def _back(initiative, anchor=""):
    response = redirect("portfolio:initiative-detail", pk=initiative.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _run(request, form, action, *, current_version=None) -> bool:
    """Call the service; on refusal put the reason on the form. True when it succeeded."""
    try:
        action()
    except StaleVersionError as exc:
        form.add_error(None, str(exc.message))
        if current_version is not None:
            data = form.data.copy()
            data["version"] = current_version()
            form.data = data
    except NotAllowedError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except (ValidationError, DomainError) as exc:
        apply_error(form, exc)
    else:
        return True
    return False


def _page(request, initiative, form, heading, intro="", **extra):
    return render(
        request,
        "portfolio/workflow/action_form.html",
        {"initiative": initiative, "form": form, "heading": heading, "intro": intro, **extra},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def decision_create(request, pk):
    initiative = initiative_visible(request.user, pk)
    kinds = decision_kinds_for(request.user, initiative)
    if not kinds:
        raise PermissionDenied
    decisions = list(initiative.decisions.order_by("-decided_on", "-id"))
    form = forms.DecisionForm(
        (request.POST if request.method == "POST" else None),
        kinds=kinds,
        decisions=decisions,
        initial={"version": initiative.version, "kind": request.GET.get("beslut", kinds[0])},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        corrects = next((d for d in decisions if d.pk == data["corrects"]), None)
        done = _run(
            request,
            form,
            lambda: workflow.decision_record(
                actor=request.user,
                initiative=initiative,
                kind=data["kind"],
                outcome=data["outcome"],
                decided_on=data["decided_on"],
                meeting_reference=data["meeting_reference"],
                motivation=data["motivation"],
                target_stage=data["target_stage"] or None,
                corrects=corrects,
                version=data["version"],
            ),
            current_version=lambda: type(initiative).objects.get(pk=pk).version,
        )
        if done:
            messages.success(request, _("Beslutet är registrerat."))
            return _back(initiative, "beslut")
    return _page(
        request,
        initiative,
        form,
        _("Registrera beslut"),
        _(
            "Beslutet registreras som en allmän handling och kan inte ändras efteråt; "
            "ett fel rättas med ett nytt beslut."
        ),
        checklist=gate_checklist(initiative),
    )


@login_required
@require_POST
def criterion_confirm(request, pk, criterion_pk):
    initiative = initiative_visible(request.user, pk)
    criterion = get_object_or_404(GateCriterion, pk=criterion_pk, portfolio=initiative.portfolio)
    form = forms.ConfirmForm(request.POST)
    form.is_valid()
    if _run(
        request,
        form,
        lambda: workflow.criterion_confirm(
            actor=request.user,
            initiative=initiative,
            criterion=criterion,
            note=form.cleaned_data.get("note", ""),
        ),
    ):
        messages.success(request, _("Kriteriet är bekräftat."))
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return _back(initiative, "grind")


@login_required
@require_POST
def criterion_unconfirm(request, pk, criterion_pk):
    initiative = initiative_visible(request.user, pk)
    criterion = get_object_or_404(GateCriterion, pk=criterion_pk, portfolio=initiative.portfolio)
    form = forms.ConfirmForm(request.POST)
    if _run(
        request,
        form,
        lambda: workflow.criterion_unconfirm(
            actor=request.user, initiative=initiative, criterion=criterion
        ),
    ):
        messages.success(request, _("Bekräftelsen är borttagen."))
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return _back(initiative, "grind")


@login_required
def participation_invite(request, pk):
    initiative = initiative_visible(request.user, pk)
    if not policies.can_invite_municipalities(request.user, initiative):
        raise PermissionDenied
    municipalities = initiative.portfolio.constellation.members.exclude(
        participations__initiative=initiative
    ).order_by("name")
    form = forms.InviteForm(
        (request.POST if request.method == "POST" else None), municipalities=municipalities
    )
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: participation.participation_invite(
                actor=request.user,
                initiative=initiative,
                municipality=form.cleaned_data["municipality"],
            ),
        ):
            messages.success(request, _("Kommunen är inbjuden."))
            return _back(initiative, "deltagande")
    return _page(request, initiative, form, _("Bjud in kommun"))


def _participation(request, pk, participation_pk):
    initiative = initiative_visible(request.user, pk)
    item = get_object_or_404(
        Participation.objects.select_related("municipality"),
        pk=participation_pk,
        initiative=initiative,
    )
    item.initiative = initiative
    return initiative, item


def _participation_action(
    request, pk, participation_pk, form_class, heading, call, done_msg, *, joining=None
):
    initiative, item = _participation(request, pk, participation_pk)
    # What taking part costs the municipality, shown beside its answer.
    share = (
        None
        if joining is None
        else municipality_share(
            initiative, item.municipality, joining=joining, on=timezone.localdate()
        )
    )
    form = form_class(
        (request.POST if request.method == "POST" else None), initial={"version": item.version}
    )
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: call(item, form.cleaned_data),
            current_version=lambda: Participation.objects.get(pk=item.pk).version,
        ):
            messages.success(request, done_msg)
            return _back(initiative, "deltagande")
    return _page(
        request,
        initiative,
        form,
        heading % {"name": item.municipality.name},
        participation=item,
        share=share,
    )


@login_required
def participation_answer(request, pk, participation_pk):
    return _participation_action(
        request,
        pk,
        participation_pk,
        forms.AnswerForm,
        _("Svara för %(name)s"),
        lambda item, data: participation.participation_answer(
            actor=request.user,
            participation=item,
            version=data["version"],
            answer=data["answer"],
            joined_on=data["joined_on"],
            local_decision=data,
        ),
        _("Svaret är registrerat."),
        joining=True,
    )


@login_required
def participation_leave(request, pk, participation_pk):
    return _participation_action(
        request,
        pk,
        participation_pk,
        forms.LeaveForm,
        _("%(name)s lämnar initiativet"),
        lambda item, data: participation.participation_leave(
            actor=request.user,
            participation=item,
            version=data["version"],
            left_on=data["left_on"],
            reason=data["reason"],
            local_decision=data,
        ),
        _("Att kommunen lämnar är registrerat."),
        joining=False,
    )


@login_required
def participation_implemented(request, pk, participation_pk):
    return _participation_action(
        request,
        pk,
        participation_pk,
        forms.ImplementedForm,
        _("%(name)s har implementerat lösningen"),
        lambda item, data: participation.participation_implemented(
            actor=request.user,
            participation=item,
            version=data["version"],
            implemented_on=data["implemented_on"],
        ),
        _("Implementeringen är registrerad."),
    )


@login_required
def participation_opt_out(request, pk, participation_pk):
    return _participation_action(
        request,
        pk,
        participation_pk,
        forms.VersionOnlyForm,
        _("%(name)s avstår från att implementera"),
        lambda item, data: participation.participation_opt_out(
            actor=request.user, participation=item, version=data["version"]
        ),
        _("Att kommunen avstår från implementering är registrerat."),
    )


@login_required
def status_create(request, pk):
    initiative = initiative_visible(request.user, pk)
    if not policies.can_report_for(request.user, initiative):
        raise PermissionDenied
    municipalities = initiative.portfolio.constellation.members.filter(
        participations__initiative=initiative, participations__status="deltar"
    ).order_by("name")
    form = forms.StatusForm(
        (request.POST if request.method == "POST" else None), municipalities=municipalities
    )
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: status.status_update_create(
                actor=request.user, initiative=initiative, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Statusrapporten är registrerad."))
            return _back(initiative, "status")
    return _page(request, initiative, form, _("Ny statusrapport"))


def _goal_form(request, initiative, goal=None):
    members = initiative.portfolio.constellation.members.all()
    initial = {}
    if goal is not None:
        initial = {name: getattr(goal, name) for name in benefits.GOAL_FIELDS}
        initial["version"] = goal.version
    return forms.EffectGoalForm(
        (request.POST if request.method == "POST" else None),
        initial=initial,
        editing=goal is not None,
        owners=User.objects.filter(municipality__in=members, is_active=True).order_by(
            "first_name", "last_name"
        ),
        portfolio_goals=initiative.portfolio.goals.all(),
    )


@login_required
def effect_goal_create(request, pk):
    initiative = initiative_visible(request.user, pk)
    if not policies.can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    form = _goal_form(request, initiative)
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: benefits.effect_goal_create(
                actor=request.user, initiative=initiative, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Effektmålet är sparat."))
            return _back(initiative, "nyttor")
    return _page(request, initiative, form, _("Nytt effektmål"))


def _goal(request, pk, goal_pk):
    initiative = initiative_visible(request.user, pk)
    goal = get_object_or_404(EffectGoal, pk=goal_pk, initiative=initiative)
    goal.initiative = initiative
    return initiative, goal


@login_required
def effect_goal_edit(request, pk, goal_pk):
    initiative, goal = _goal(request, pk, goal_pk)
    if not policies.can_edit_initiative(request.user, initiative):
        raise PermissionDenied
    form = _goal_form(request, initiative, goal)
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: benefits.effect_goal_update(
                actor=request.user, effect_goal=goal, **form.cleaned_data
            ),
            current_version=lambda: EffectGoal.objects.get(pk=goal.pk).version,
        ):
            messages.success(request, _("Effektmålet är sparat."))
            return _back(initiative, "nyttor")
    return _page(request, initiative, form, _("Ändra effektmål"))


@login_required
def measurement_create(request, pk, goal_pk):
    initiative, goal = _goal(request, pk, goal_pk)
    form = forms.MeasurementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: benefits.measurement_record(
                actor=request.user, effect_goal=goal, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Mätvärdet är sparat."))
            return _back(initiative, "nyttor")
    return _page(request, initiative, form, _("Nytt mätvärde för %(goal)s") % {"goal": goal.name})


@login_required
def priority_scores(request, pk):
    initiative = initiative_visible(request.user, pk)
    if not policies.can_score_priority(request.user, initiative):
        raise PermissionDenied
    criteria = list(initiative.portfolio.priority_criteria.all())
    current = {s.criterion_id: s.score for s in initiative.priority_scores.all()}
    form = forms.PriorityForm(
        (request.POST if request.method == "POST" else None),
        criteria=criteria,
        initial={f"criterion_{pk}": score for pk, score in current.items()},
    )
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: priority.priority_scores_set(
                actor=request.user, initiative=initiative, scores=form.scores()
            ),
        ):
            messages.success(request, _("Prioriteringspoängen är sparade."))
            return _back(initiative, "prioritering")
    return _page(
        request,
        initiative,
        form,
        _("Prioritering"),
        _("Poäng 1–5 per kriterium, där 5 är bäst. Initiativets poäng är det viktade medelvärdet."),
    )


@login_required
def initiative_pause(request, pk):
    initiative = initiative_visible(request.user, pk)
    if not policies.can_pause_initiative(request.user, initiative):
        raise PermissionDenied
    form = forms.PauseForm(
        (request.POST if request.method == "POST" else None),
        initial={"version": initiative.version},
    )
    pausing = not initiative.is_paused
    if request.method == "POST" and form.is_valid():
        if _run(
            request,
            form,
            lambda: workflow.initiative_set_paused(
                actor=request.user,
                initiative=initiative,
                paused=pausing,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            ),
            current_version=lambda: type(initiative).objects.get(pk=pk).version,
        ):
            messages.success(
                request,
                _("Initiativet är pausat.") if pausing else _("Initiativet är återupptaget."),
            )
            return _back(initiative)
    return _page(
        request,
        initiative,
        form,
        _("Pausa initiativet") if pausing else _("Återuppta initiativet"),
        _("En paus ändrar inte steget; grindar kan inte passeras under pausen.") if pausing else "",
    )


@login_required
def initiative_3n(request, pk):
    initiative = initiative_visible(request.user, pk)
    form = forms.ThreeNForm(
        (request.POST if request.method == "POST" else None),
        initial={
            "is_new": initiative.is_new,
            "is_useful": initiative.is_useful,
            "is_used": initiative.is_used,
            "version": initiative.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            request,
            form,
            lambda: benefits.initiative_set_3n(
                actor=request.user,
                initiative=initiative,
                version=data["version"],
                is_new=data["is_new"],
                is_useful=data["is_useful"],
                is_used=data["is_used"],
            ),
            current_version=lambda: type(initiative).objects.get(pk=pk).version,
        ):
            messages.success(request, _("3N-bedömningen är sparad."))
            return _back(initiative, "nyttor")
    return _page(request, initiative, form, _("3N: ny, nyttig, nyttiggjord"))
