"""Gate decisions: the only way an initiative's stage changes.

Each decision locks the initiative's row first, so of two simultaneous decisions at
the same gate exactly one is recorded; the other finds the stage moved on (or the
version changed) and is refused. Decisions are public records: never changed or
deleted. A correction is a new decision that names the one it corrects.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policies
from ..choices import (
    TERMINAL_STAGES,
    CriterionKind,
    DecisionBody,
    DecisionKind,
    DecisionOutcome,
    Matter,
    Stage,
)
from ..domain.gate_checks import GATE_FROM_STAGE, gate_evaluate, unmet_messages
from ..models import (
    CriterionConfirmation,
    GateCriterion,
    GateDecision,
    Initiative,
    allow_stage_change,
)
from ..selectors.decision_basis import decision_basis
from . import notices
from .errors import DomainError, NotAllowedError, StaleVersionError
from .history import history_record

# Where an approved gate leads. G1 leads to projekt or uppdrag, chosen by the board.
APPROVED_TARGETS = {
    DecisionKind.G0: (Stage.PRESTUDY,),
    DecisionKind.G1: (Stage.PROJECT, Stage.ASSIGNMENT),
    DecisionKind.G2: (Stage.IMPLEMENTATION,),
    DecisionKind.G3: (Stage.OPERATION,),
}


def decision_body(kind: str) -> str:
    return DecisionBody.PROGRAM if kind in policies.PROGRAM_GATES else DecisionBody.BOARD


def _invalid(field: str, message) -> ValidationError:
    return ValidationError({field: [message]})


def _validate_choice(kind: str, outcome: str) -> None:
    if kind not in DecisionKind.values:
        raise _invalid("kind", _("Okänt beslut."))
    if outcome not in DecisionOutcome.values:
        raise _invalid("outcome", _("Okänt utfall."))


def _stage_after(kind, outcome, base_stage, target_stage) -> str:
    if kind == DecisionKind.CANCEL:
        return Stage.CANCELLED if outcome == DecisionOutcome.APPROVED else base_stage
    if outcome == DecisionOutcome.RETURNED:
        return base_stage
    if outcome == DecisionOutcome.REJECTED:
        return Stage.REJECTED
    targets = APPROVED_TARGETS[kind]
    if len(targets) == 1:
        if target_stage not in (None, "", targets[0]):
            raise _invalid(
                "target_stage",
                _("Grinden leder bara till %(stage)s.") % {"stage": Stage(targets[0]).label},
            )
        return targets[0]
    if target_stage not in targets:
        raise _invalid(
            "target_stage",
            _("Ange om initiativet blir ett projekt eller ett uppdrag."),
        )
    return target_stage


def base_stage(initiative: Initiative, kind: str, corrects: GateDecision | None) -> str:
    """The stage the decision is taken from: the current one, or the corrected decision's."""
    if corrects is not None:
        if corrects.initiative_id != initiative.pk:
            raise _invalid("corrects", _("Beslutet som rättas gäller ett annat initiativ."))
        if corrects.kind != kind:
            raise _invalid("corrects", _("En rättelse ska gälla samma slags beslut."))
        if GateDecision.objects.filter(corrects=corrects).exists():
            raise DomainError(
                _("Beslutet är redan rättat; rätta i stället det senaste beslutet."),
                rule="already_corrected",
            )
        if corrects.stage_after != initiative.stage:
            raise DomainError(
                _("Initiativet har gått vidare sedan beslutet; det kan inte längre rättas."),
                rule="correction_too_late",
            )
        return corrects.stage_before
    check_gate_order(initiative.stage, kind)
    return initiative.stage


def check_gate_order(stage: str, kind: str) -> None:
    """A decision can be taken only at the gate that follows `stage` (or to cancel)."""
    if stage in TERMINAL_STAGES:
        raise DomainError(
            _("Initiativet är %(stage)s; inga fler beslut kan fattas.")
            % {"stage": Stage(stage).label.lower()},
            rule="terminal_stage",
        )
    if kind != DecisionKind.CANCEL and GATE_FROM_STAGE.get(stage) != kind:
        expected = GATE_FROM_STAGE.get(stage)
        raise DomainError(
            _("Initiativet står i steget %(stage)s; nästa grind är %(gate)s.")
            % {"stage": Stage(stage).label, "gate": expected or _("ingen")},
            rule="wrong_gate",
            fields={"kind": [_("Fel grind för initiativets steg.")]},
        )


def next_stage(stage: str, kind: str, outcome: str, target_stage: str | None = None) -> str:
    """Where a decision taken at `stage` leads, by the same gate order and outcomes as
    `decision_record`; for history imported from a workbook, decision by decision."""
    _validate_choice(kind, outcome)
    check_gate_order(stage, kind)
    return _stage_after(kind, outcome, stage, target_stage)


def _chain_root(decision: GateDecision) -> GateDecision:
    while decision.corrects_id is not None:
        decision = decision.corrects
    return decision


def refuse_date_out_of_order(
    initiative: Initiative, decided_on: dt.date, corrects: GateDecision | None
) -> None:
    """A decision is dated on or after the submission and the decision before it.

    A correction restates the decision it corrects, so it is compared with what came
    before that decision, not with the decision itself.
    """
    submitted_on = timezone.localtime(initiative.submitted_at).date()
    if decided_on < submitted_on:
        raise DomainError(
            _("Beslutet kan inte dateras före %(date)s, då initiativet lämnades in.")
            % {"date": submitted_on.isoformat()},
            rule="date_before_submission",
            fields={"decided_on": [_("Beslutsdatumet ligger före inlämningsdatumet.")]},
        )
    earlier = initiative.decisions.all()
    if corrects is not None:
        earlier = earlier.filter(pk__lt=_chain_root(corrects).pk)
    previous = earlier.order_by("-decided_on", "-id").first()
    if previous is not None and decided_on < previous.decided_on:
        raise DomainError(
            _(
                "Beslutet kan inte dateras före föregående beslut om initiativet "
                "(%(decision)s %(date)s)."
            )
            % {"decision": previous.get_kind_display(), "date": previous.decided_on.isoformat()},
            rule="date_before_previous_decision",
            fields={
                "decided_on": [
                    _("Beslutsdatumet ligger före föregående beslut (%(date)s).")
                    % {"date": previous.decided_on.isoformat()}
                ]
            },
        )


def decision_record(
    *,
    actor,
    initiative: Initiative,
    kind: str,
    outcome: str,
    decided_on: dt.date,
    meeting_reference: str = "",
    motivation: str = "",
    target_stage: str | None = None,
    corrects: GateDecision | None = None,
    version: int | None = None,
) -> GateDecision:
    _validate_choice(kind, outcome)
    deciding = policies.deciding_body(actor, initiative.portfolio, initiative.program_id, kind)
    if not policies.can_record_decision(actor, initiative, kind):
        if deciding is not None:
            raise NotAllowedError(
                _(
                    "Beslutet fattas av %(body)s; bara organets ordförande eller sekreterare "
                    "kan registrera det."
                )
                % {"body": deciding.name}
            )
        if kind in policies.BOARD_DECISIONS and policies.bodies_of(actor, initiative.portfolio):
            raise NotAllowedError(
                _(
                    "Inget av portföljens beslutsorgan beslutar om %(matter)s. Portföljkontoret "
                    "lägger till frågan hos ett organ under Inställningar."
                )
                % {"matter": str(Matter(kind).label).lower()}
            )
        body = DecisionBody(decision_body(kind)).label.lower()
        raise NotAllowedError(
            _("Bara den som registrerar beslut för %(body)s kan registrera det här beslutet.")
            % {"body": body}
        )
    if decided_on is None:
        raise _invalid("decided_on", _("Ange beslutsdatum."))
    if decided_on > timezone.localdate():
        raise _invalid("decided_on", _("Beslutsdatumet kan inte ligga i framtiden."))
    with transaction.atomic():
        locked = (
            Initiative.objects.select_for_update().select_related("portfolio").get(pk=initiative.pk)
        )
        if version is not None and locked.version != version:
            raise StaleVersionError()
        base = base_stage(locked, kind, corrects)
        refuse_date_out_of_order(locked, decided_on, corrects)
        after = _stage_after(kind, outcome, base, target_stage)
        is_gate_approval = kind != DecisionKind.CANCEL and outcome == DecisionOutcome.APPROVED
        if is_gate_approval and locked.is_paused:
            raise DomainError(
                _("Initiativet är pausat. Återuppta det innan grinden passeras."),
                rule="paused",
            )
        results = gate_evaluate(locked, kind) if kind in APPROVED_TARGETS else []
        if is_gate_approval:
            unmet = unmet_messages(results)
            if unmet:
                raise DomainError(
                    _("Grinden kan inte passeras: %(count)s kriterier är inte uppfyllda.")
                    % {"count": len(unmet)},
                    rule="gate_criteria_unmet",
                    fields={"criteria": unmet},
                )
        decision = decision_write(
            locked,
            actor=actor,
            action="correction" if corrects else "recorded",
            kind=kind,
            outcome=outcome,
            stage_after=after,
            decided_on=decided_on,
            body=deciding.kind if deciding else decision_body(kind),
            deciding_body=deciding,
            meeting_reference=meeting_reference,
            motivation=motivation,
            criteria_snapshot=[r.as_dict() for r in results],
            basis=decision_basis(locked, decided_on),
            corrects=corrects,
        )
        notices.decision_taken(actor=actor, decision=decision)
    with_stage(initiative, after, locked.version + 1)
    return decision


def decision_write(locked: Initiative, *, actor, action: str, **fields) -> GateDecision:
    """Store a decision, the stage it leaves the (locked) initiative in and its history
    row: the one write behind a decision recorded here and one imported from before."""
    decision = GateDecision(
        initiative=locked, stage_before=locked.stage, recorded_by=actor, **fields
    )
    decision.full_clean(exclude=["criteria_snapshot", "basis"])
    decision.save()
    Initiative.objects.filter(pk=locked.pk).update(
        stage=decision.stage_after, version=F("version") + 1, updated_at=timezone.now()
    )
    corrects = decision.corrects
    history_record(
        initiative=locked,
        entity="decision",
        entity_id=decision.pk,
        action=action,
        actor=actor,
        changes={
            "kind": decision.kind,
            "outcome": decision.outcome,
            "stage": [locked.stage, decision.stage_after],
            "decided_on": decision.decided_on,
            "meeting_reference": decision.meeting_reference,
            **({"corrects": corrects.pk} if corrects else {}),
        },
    )
    return decision


def with_stage(initiative: Initiative, stage: str, version: int) -> None:
    """Bring the caller's copy in line with what was stored."""
    with allow_stage_change(initiative):
        initiative.stage = stage
    initiative.version = version


def initiative_set_paused(
    *, actor, initiative: Initiative, paused: bool, reason: str = "", version: int | None = None
) -> Initiative:
    if not policies.can_pause_initiative(actor, initiative):
        raise NotAllowedError(_("Du kan inte pausa eller återuppta initiativet."))
    if initiative.stage in TERMINAL_STAGES:
        raise DomainError(_("Ett avslutat initiativ kan inte pausas."), rule="terminal_stage")
    if paused and not reason.strip():
        raise _invalid("reason", _("Ange varför initiativet pausas."))
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if version is not None and locked.version != version:
            raise StaleVersionError()
        if locked.is_paused == paused:
            raise DomainError(
                _("Initiativet är redan pausat.") if paused else _("Initiativet är inte pausat."),
                rule="no_change",
            )
        Initiative.objects.filter(pk=locked.pk).update(
            is_paused=paused, version=F("version") + 1, updated_at=timezone.now()
        )
        history_record(
            initiative=locked,
            entity="initiative",
            entity_id=locked.pk,
            action="paused" if paused else "resumed",
            actor=actor,
            changes={"is_paused": [not paused, paused], **({"reason": reason} if reason else {})},
        )
    initiative.is_paused = paused
    initiative.version = locked.version + 1
    return initiative


def _manual_criterion(initiative: Initiative, criterion: GateCriterion) -> None:
    if criterion.portfolio_id != initiative.portfolio_id or not criterion.is_active:
        raise _invalid("criterion", _("Kriteriet hör inte till initiativets portfölj."))
    if criterion.kind != CriterionKind.MANUAL:
        raise _invalid("criterion", _("Kriteriet kontrolleras av systemet och kan inte bekräftas."))


def criterion_confirm(
    *, actor, initiative: Initiative, criterion: GateCriterion, note: str = ""
) -> CriterionConfirmation:
    if not policies.can_confirm_criterion(actor, initiative):
        raise NotAllowedError(_("Du kan inte bekräfta kriterier för initiativet."))
    _manual_criterion(initiative, criterion)
    try:
        with transaction.atomic():
            confirmation = CriterionConfirmation.objects.create(
                initiative=initiative, criterion=criterion, confirmed_by=actor, note=note
            )
            history_record(
                initiative=initiative,
                entity="confirmation",
                entity_id=confirmation.pk,
                action="confirmed",
                actor=actor,
                changes={"criterion": criterion.label, **({"note": note} if note else {})},
            )
    except IntegrityError as exc:
        raise DomainError(
            _("Kriteriet är redan bekräftat för initiativet."), rule="already_confirmed"
        ) from exc
    return confirmation


def criterion_unconfirm(*, actor, initiative: Initiative, criterion: GateCriterion) -> None:
    if not policies.can_confirm_criterion(actor, initiative):
        raise NotAllowedError(_("Du kan inte ändra bekräftade kriterier för initiativet."))
    _manual_criterion(initiative, criterion)
    with transaction.atomic():
        confirmation = (
            CriterionConfirmation.objects.select_for_update()
            .filter(initiative=initiative, criterion=criterion)
            .first()
        )
        if confirmation is None:
            raise DomainError(_("Kriteriet är inte bekräftat."), rule="not_confirmed")
        history_record(
            initiative=initiative,
            entity="confirmation",
            entity_id=confirmation.pk,
            action="unconfirmed",
            actor=actor,
            changes={"criterion": criterion.label},
        )
        confirmation.delete()
