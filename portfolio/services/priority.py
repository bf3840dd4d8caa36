"""Prioritisation: scores 1–5 per weighted criterion; the initiative's score is their
weighted mean over the criteria it has been scored on."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import policies
from ..models import Initiative, PriorityCriterion, PriorityScore
from .errors import NotAllowedError
from .history import history_record

TWO_PLACES = Decimal("0.01")


def weighted_mean(pairs) -> Decimal | None:
    """pairs of (weight, score); exact, rounded half up to two decimals."""
    pairs = list(pairs)
    total_weight = sum(w for w, _s in pairs)
    if not total_weight:
        return None
    value = Decimal(sum(w * s for w, s in pairs)) / Decimal(total_weight)
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def priority_recompute(initiative: Initiative) -> Decimal | None:
    scores = PriorityScore.objects.filter(initiative=initiative).select_related("criterion")
    value = weighted_mean((s.criterion.weight, s.score) for s in scores)
    Initiative.objects.filter(pk=initiative.pk).update(priority_score=value)
    initiative.priority_score = value
    return value


def priority_scores_set(*, actor, initiative: Initiative, scores: dict) -> Decimal | None:
    """scores: {criterion id (or PriorityCriterion): 1–5, or None to remove the score}."""
    if not policies.can_score_priority(actor, initiative):
        raise NotAllowedError(_("Du kan inte sätta prioriteringspoäng för initiativet."))
    criteria = {
        c.pk: c for c in PriorityCriterion.objects.filter(portfolio=initiative.portfolio_id)
    }
    wanted = {}
    errors = {}
    for key, score in scores.items():
        pk = key.pk if isinstance(key, PriorityCriterion) else int(key)
        criterion = criteria.get(pk)
        if criterion is None:
            errors[f"criterion_{pk}"] = [_("Kriteriet hör inte till portföljen.")]
            continue
        if score is not None and (not isinstance(score, int) or not 1 <= score <= 5):
            errors[f"criterion_{pk}"] = [
                _("Poängen för %(name)s ska vara ett heltal 1–5.") % {"name": criterion.name}
            ]
            continue
        wanted[criterion] = score
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = {
            s.criterion_id: s
            for s in PriorityScore.objects.select_for_update().filter(initiative=initiative)
        }
        changes = {}
        for criterion, score in wanted.items():
            current = existing.get(criterion.pk)
            old = current.score if current else None
            if old == score:
                continue
            if score is None:
                current.delete()
            elif current is None:
                PriorityScore.objects.create(
                    initiative=initiative, criterion=criterion, score=score
                )
            else:
                current.score = score
                current.save(update_fields=["score"])
            changes[criterion.name] = [old, score]
        before = initiative.priority_score
        value = priority_recompute(initiative)
        if changes:
            if before != value:
                changes["priority_score"] = [before, value]
            history_record(
                initiative=initiative,
                entity="priority",
                entity_id=initiative.pk,
                action="scored",
                actor=actor,
                changes=changes,
            )
    return value
