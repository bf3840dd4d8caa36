"""The portfolio office's other settings: priority criteria and their weights, programs
with their programledare and yearly budgets, and the board's next meeting and memo sender.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..models import Initiative, Portfolio, PriorityCriterion, PriorityScore, Program, ProgramBudget
from ..selectors.settings import program_manager_candidates
from .errors import DomainError, StaleVersionError
from .priority import weighted_mean
from .settings_common import changed_fields, require_settings_manager, settings_record
from .versions import check_version, lock_at_version


class CriterionInUseError(DomainError):
    status_code = 409
    rule = "criterion_in_use"


def _text(value, name, errors, *, required=True, limit=160, message=None) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[name] = [message or _("Fältet måste fyllas i.")]
    elif len(value) > limit:
        errors[name] = [_("Högst %(max)d tecken.") % {"max": limit}]
    return value


def _weight(value, errors):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        errors["weight"] = [_("Ange vikten som ett heltal 1–100.")]
    return value


# --- priority criteria ---------------------------------------------------------------


def priority_scores_recompute(portfolio: Portfolio) -> int:
    """Every scored initiative's weighted mean after a weight changed; one query each way."""
    pairs = defaultdict(list)
    for initiative_id, weight, score in PriorityScore.objects.filter(
        initiative__portfolio=portfolio
    ).values_list("initiative_id", "criterion__weight", "score"):
        pairs[initiative_id].append((weight, score))
    initiatives = list(
        Initiative.objects.filter(portfolio=portfolio, pk__in=list(pairs)).only(
            "pk", "priority_score"
        )
    )
    changed = []
    for initiative in initiatives:
        value = weighted_mean(pairs[initiative.pk])
        if initiative.priority_score != value:
            initiative.priority_score = value
            changed.append(initiative)
    Initiative.objects.bulk_update(changed, ["priority_score"])
    return len(changed)


@transaction.atomic
def priority_criterion_add(*, actor, portfolio: Portfolio, name: str, weight: int):
    require_settings_manager(actor, portfolio)
    errors = {}
    name = _text(name, "name", errors, limit=120, message=_("Skriv kriteriets namn."))
    _weight(weight, errors)
    if not errors and PriorityCriterion.objects.filter(portfolio=portfolio, name=name).exists():
        errors["name"] = [_("Portföljen har redan ett kriterium med det namnet.")]
    if errors:
        raise ValidationError(errors)
    top = PriorityCriterion.objects.filter(portfolio=portfolio).aggregate(top=Max("order"))["top"]
    criterion = PriorityCriterion.objects.create(
        portfolio=portfolio, name=name, weight=weight, order=0 if top is None else top + 1
    )
    settings_record(
        portfolio=portfolio,
        actor=actor,
        entity="priority_criterion",
        entity_id=criterion.pk,
        action="created",
        label=name,
        changes={"name": name, "weight": weight},
    )
    return criterion


@transaction.atomic
def priority_criterion_update(
    *,
    actor,
    criterion: PriorityCriterion,
    name: str | None = None,
    weight: int | None = None,
    version: int | None = None,
) -> PriorityCriterion:
    """Rename or reweigh; a new weight recomputes every initiative's priority score.
    `version`, if given, is the one the editor saw (another: StaleVersionError)."""
    portfolio = criterion.portfolio
    require_settings_manager(actor, portfolio)
    current = lock_at_version(PriorityCriterion, criterion.pk, version)
    before = {"name": current.name, "weight": current.weight}
    errors = {}
    if name is not None:
        current.name = _text(name, "name", errors, limit=120, message=_("Skriv kriteriets namn."))
    if weight is not None:
        current.weight = _weight(weight, errors)
    if (
        "name" not in errors
        and PriorityCriterion.objects.filter(portfolio=portfolio, name=current.name)
        .exclude(pk=current.pk)
        .exists()
    ):
        errors["name"] = [_("Portföljen har redan ett kriterium med det namnet.")]
    if errors:
        raise ValidationError(errors)
    changes = changed_fields(current, before)
    if changes:
        current.version += 1
        current.save(update_fields=[*changes, "version"])
        if "weight" in changes:
            recomputed = priority_scores_recompute(portfolio)
            changes["recomputed_initiatives"] = recomputed
        settings_record(
            portfolio=portfolio,
            actor=actor,
            entity="priority_criterion",
            entity_id=current.pk,
            action="updated",
            label=current.name,
            changes=changes,
        )
    current.portfolio = portfolio
    return current


@transaction.atomic
def priority_criterion_delete(*, actor, criterion: PriorityCriterion) -> None:
    """Only a criterion nobody has scored: scores are the initiatives' data."""
    portfolio = criterion.portfolio
    require_settings_manager(actor, portfolio)
    scored = PriorityScore.objects.filter(criterion=criterion).count()
    if scored:
        raise CriterionInUseError(
            _(
                "Kriteriet har poäng för %(n)d initiativ och kan inte tas bort. "
                "Ändra vikten eller namnet i stället."
            )
            % {"n": scored}
        )
    settings_record(
        portfolio=portfolio,
        actor=actor,
        entity="priority_criterion",
        entity_id=criterion.pk,
        action="deleted",
        label=criterion.name,
        changes={"name": criterion.name, "weight": criterion.weight},
    )
    criterion.delete()


# --- programs and budgets --------------------------------------------------------------


def _manager(portfolio, manager, errors):
    """A User or a user id; only the constellation's programledare qualify."""
    if manager is None:
        return None
    pk = manager if isinstance(manager, int) and not isinstance(manager, bool) else manager.pk
    found = program_manager_candidates(portfolio).filter(pk=pk).first()
    if found is None:
        errors["manager"] = [
            _(
                "Programledaren ska vara en användare i konstellationens kommuner "
                "med rollen programledare."
            )
        ]
    return found


def _unique_program_name(portfolio, name, errors, exclude=None):
    if "name" in errors:
        return
    others = Program.objects.filter(portfolio=portfolio, name=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        errors["name"] = [_("Portföljen har redan ett program med det namnet.")]


@transaction.atomic
def program_create(
    *, actor, portfolio: Portfolio, name: str, description: str = "", manager=None
) -> Program:
    require_settings_manager(actor, portfolio)
    errors = {}
    name = _text(name, "name", errors, message=_("Skriv programmets namn."))
    description = _text(description, "description", errors, required=False, limit=5000)
    manager = _manager(portfolio, manager, errors)
    _unique_program_name(portfolio, name, errors)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            program = Program.objects.create(
                portfolio=portfolio, name=name, description=description, manager=manager
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"name": [_("Portföljen har redan ett program med det namnet.")]}
        ) from exc
    settings_record(
        portfolio=portfolio,
        actor=actor,
        entity="program",
        entity_id=program.pk,
        action="created",
        label=name,
        changes={"name": name, "manager": str(manager) if manager else None},
    )
    return program


_UNCHANGED = object()


@transaction.atomic
def program_update(
    *,
    actor,
    program: Program,
    name=None,
    description=None,
    manager=_UNCHANGED,
    version: int | None = None,
) -> Program:
    """Rename, describe, or set the programledare (None removes them).
    `version`, if given, is the one the editor saw (another: StaleVersionError)."""
    portfolio = program.portfolio
    require_settings_manager(actor, portfolio)
    current = (
        Program.objects.select_for_update(of=("self",)).select_related("manager").get(pk=program.pk)
    )
    check_version(current, version)
    before = {"name": current.name, "description": current.description, "manager": current.manager}
    errors = {}
    if name is not None:
        current.name = _text(name, "name", errors, message=_("Skriv programmets namn."))
        _unique_program_name(portfolio, current.name, errors, exclude=current)
    if description is not None:
        current.description = _text(description, "description", errors, required=False, limit=5000)
    if manager is not _UNCHANGED:
        current.manager = _manager(portfolio, manager, errors)
    if errors:
        raise ValidationError(errors)
    changes = changed_fields(current, before)
    if changes:
        current.version += 1
        current.save(update_fields=[*changes, "version"])
        settings_record(
            portfolio=portfolio,
            actor=actor,
            entity="program",
            entity_id=current.pk,
            action="updated",
            label=current.name,
            changes=changes,
        )
    current.portfolio = portfolio
    return current


@transaction.atomic
def program_budget_set(
    *,
    actor,
    program: Program,
    year: int,
    amount: int,
    version: int | None = None,
    new_year_only: bool = False,
) -> ProgramBudget:
    """The program's budget for a year in whole kronor (creates or replaces it).
    `version`, if given, is the version of the year's budget the editor saw: another
    one, or no budget at all, is refused (StaleVersionError). `new_year_only`: the
    editor meant to add a year, so a budget someone already set for it is refused
    rather than replaced unseen."""
    portfolio = program.portfolio
    require_settings_manager(actor, portfolio)
    errors = {}
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = [_("Ange budgetåret som fyra siffror mellan 2000 och 2100.")]
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        errors["amount"] = [_("Ange budgeten i hela kronor, 0 eller mer.")]
    if errors:
        raise ValidationError(errors)
    # Lock the program: two people setting the same year at once make one budget row.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    budget = ProgramBudget.objects.filter(program=program, year=year).first()
    if budget is None and version is not None:
        raise StaleVersionError()
    if budget is not None and new_year_only:
        raise StaleVersionError(
            _(
                "%(year)s har redan en budget. Välj året i listan och ändra beloppet där, "
                "så ser du vad som gäller innan du ersätter det."
            )
            % {"year": year},
            fields={"year": [_("Året har redan en budget.")]},
        )
    if budget is not None:
        check_version(budget, version)
    old = budget.amount if budget else None
    if budget is None:
        budget = ProgramBudget.objects.create(program=program, year=year, amount=amount)
    elif budget.amount != amount:
        budget.amount = amount
        budget.version += 1
        budget.save(update_fields=["amount", "version"])
    if old != amount:
        settings_record(
            portfolio=portfolio,
            actor=actor,
            entity="program_budget",
            entity_id=budget.pk,
            action="created" if old is None else "updated",
            label=f"{program.name} {year}",
            changes={"amount": [old, amount]},
        )
    return budget


# --- the board's meeting and the memo sender ----------------------------------------------


@transaction.atomic
def portfolio_meeting_update(
    *,
    actor,
    portfolio: Portfolio,
    next_board_meeting=_UNCHANGED,
    sender=None,
    version: int | None = None,
) -> Portfolio:
    """`version`, if given, is the one the editor saw (another: StaleVersionError)."""
    require_settings_manager(actor, portfolio)
    current = lock_at_version(Portfolio, portfolio.pk, version)
    before = {"next_board_meeting": current.next_board_meeting, "sender": current.sender}
    errors = {}
    if next_board_meeting is not _UNCHANGED:
        current.next_board_meeting = next_board_meeting
    if sender is not None:
        current.sender = _text(sender, "sender", errors, required=False, limit=160)
    if errors:
        raise ValidationError(errors)
    changes = changed_fields(current, before)
    if changes:
        current.version += 1
        current.save(update_fields=[*changes, "version"])
        settings_record(
            portfolio=current,
            actor=actor,
            entity="portfolio",
            entity_id=current.pk,
            action="updated",
            label=current.name,
            changes=changes,
        )
    return current
