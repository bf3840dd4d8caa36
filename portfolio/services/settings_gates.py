"""The portfolio office edits each gate's checklist.

A criterion is never deleted: decisions keep the checklist as it was in their
criteria_snapshot and confirmations point at the criterion, so a criterion that is no
longer wanted is deactivated (and can be reactivated). Editing a label changes what
future checklists show; decisions already taken keep the label they were taken with.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..choices import CriterionKind, Gate
from ..domain.gate_checks import SYSTEM_CHECKS
from ..models import GateCriterion, Portfolio
from .settings_common import changed_fields, require_settings_manager, settings_record
from .versions import check_version

ENTITY = "gate_criterion"
LABEL_MAX = 200


def _clean_label(label) -> str:
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": [_("Skriv vad kriteriet gäller.")]})
    if len(label) > LABEL_MAX:
        raise ValidationError(
            {"label": [_("Kriteriet får vara högst %(max)d tecken.") % {"max": LABEL_MAX}]}
        )
    return label


def _locked_portfolio(portfolio: Portfolio) -> None:
    # Two people adding or reordering at once get one order, not a mix.
    Portfolio.objects.select_for_update().filter(pk=portfolio.pk).first()


@transaction.atomic
def gate_criterion_add(
    *, actor, portfolio: Portfolio, gate: str, label: str, kind: str, system_check: str = ""
) -> GateCriterion:
    """A manual criterion (a person confirms it) or a system check from SYSTEM_CHECKS."""
    require_settings_manager(actor, portfolio)
    errors = {}
    if gate not in Gate.values:
        errors["gate"] = [_("Välj en av grindarna G0, G1, G2 och G3.")]
    if kind not in CriterionKind.values:
        errors["kind"] = [
            _("Välj om systemet kontrollerar kriteriet eller en person bekräftar det.")
        ]
    system_check = (system_check or "").strip()
    if kind == CriterionKind.SYSTEM and system_check not in SYSTEM_CHECKS:
        errors["system_check"] = [
            _("Välj en av systemets kontroller.")
            if not system_check
            else _("Okänd systemkontroll: %(code)s.") % {"code": system_check}
        ]
    if kind == CriterionKind.MANUAL and system_check:
        errors["system_check"] = [
            _("Ett kriterium som en person bekräftar har ingen systemkontroll.")
        ]
    try:
        label = _clean_label(label)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    _locked_portfolio(portfolio)
    siblings = GateCriterion.objects.filter(portfolio=portfolio, gate=gate)
    if kind == CriterionKind.SYSTEM and siblings.filter(system_check=system_check).exists():
        raise ValidationError(
            {
                "system_check": [
                    _(
                        "Grinden har redan ett kriterium med den kontrollen; "
                        "återaktivera det i stället."
                    )
                ]
            }
        )
    top = siblings.aggregate(top=Max("order"))["top"]
    criterion = GateCriterion(
        portfolio=portfolio,
        gate=gate,
        label=label,
        kind=kind,
        system_check=system_check if kind == CriterionKind.SYSTEM else "",
        order=0 if top is None else top + 1,
    )
    criterion.full_clean()
    criterion.save()
    settings_record(
        portfolio=portfolio,
        actor=actor,
        entity=ENTITY,
        entity_id=criterion.pk,
        action="created",
        label=f"{gate}: {label}",
        changes={"gate": gate, "label": label, "kind": kind, "system_check": system_check},
    )
    return criterion


def _locked(criterion: GateCriterion) -> GateCriterion:
    return (
        GateCriterion.objects.select_for_update(of=("self",))
        .select_related("portfolio")
        .get(pk=criterion.pk)
    )


@transaction.atomic
def gate_criterion_update(
    *,
    actor,
    criterion: GateCriterion,
    label: str | None = None,
    is_active: bool | None = None,
    version: int | None = None,
) -> GateCriterion:
    """Edit the label and/or (de)activate. Kind and check stay: add a new criterion instead.
    `version`, if given, is the one the editor saw (another: StaleVersionError)."""
    require_settings_manager(actor, criterion.portfolio)
    current = _locked(criterion)
    check_version(current, version)
    before = {"label": current.label, "is_active": current.is_active}
    if label is not None:
        current.label = _clean_label(label)
    if is_active is not None:
        current.is_active = bool(is_active)
    changes = changed_fields(current, before)
    if changes:
        current.version += 1
        current.save(update_fields=[*changes, "version"])
        if "is_active" in changes and len(changes) == 1:
            action = "reactivated" if current.is_active else "deactivated"
        else:
            action = "updated"
        settings_record(
            portfolio=current.portfolio,
            actor=actor,
            entity=ENTITY,
            entity_id=current.pk,
            action=action,
            label=f"{current.gate}: {current.label}",
            changes=changes,
        )
    return current


@transaction.atomic
def gate_criteria_reorder(*, actor, portfolio: Portfolio, gate: str, order: list[int]) -> list:
    """`order` lists every criterion of the gate (active or not), first one first."""
    require_settings_manager(actor, portfolio)
    if gate not in Gate.values:
        raise ValidationError({"gate": [_("Välj en av grindarna G0, G1, G2 och G3.")]})
    _locked_portfolio(portfolio)
    criteria = {
        c.pk: c
        for c in GateCriterion.objects.filter(portfolio=portfolio, gate=gate).order_by(
            "order", "pk"
        )
    }
    try:
        wanted = [int(pk) for pk in order]
    except (TypeError, ValueError):
        wanted = None
    if wanted is None or len(wanted) != len(set(wanted)) or set(wanted) != set(criteria):
        raise ValidationError(
            {
                "order": [
                    _("Ange varje kriterium i grinden %(gate)s exakt en gång.") % {"gate": gate}
                ]
            }
        )
    before = list(criteria)
    if before == wanted:
        return [criteria[pk] for pk in wanted]
    changed = []
    for index, pk in enumerate(wanted):
        criterion = criteria[pk]
        if criterion.order != index:
            criterion.order = index
            changed.append(criterion)
    GateCriterion.objects.bulk_update(changed, ["order"])
    settings_record(
        portfolio=portfolio,
        actor=actor,
        entity=ENTITY,
        entity_id=0,
        action="reordered",
        label=gate,
        changes={
            "order": [[criteria[pk].label for pk in before], [criteria[pk].label for pk in wanted]]
        },
    )
    return [criteria[pk] for pk in wanted]


def gate_criterion_move(*, actor, criterion: GateCriterion, direction: str) -> list:
    """One step up or down within its gate (the page's buttons)."""
    ids = list(
        GateCriterion.objects.filter(portfolio=criterion.portfolio_id, gate=criterion.gate)
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )
    index = ids.index(criterion.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
    return gate_criteria_reorder(
        actor=actor, portfolio=criterion.portfolio, gate=criterion.gate, order=ids
    )
