"""The calculator (allocation preview), scenarios and costs against budget."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from municipalities.models import Municipality, Population

from ..choices import CostNature
from ..domain.allocation import Party, allocate
from ..models import AllocationKey, CostEntry, ProgramBudget
from .as_of import costs_on_q


@dataclass(frozen=True)
class PreviewRow:
    code: str
    name: str
    population: int
    share: Fraction
    amount: int


def _whole_number(value, field_name, errors, message):
    if isinstance(value, bool):
        errors[field_name] = [message]
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    errors[field_name] = [message]
    return None


def _codes(municipalities, errors) -> list[str]:
    if not isinstance(municipalities, list | tuple) or not municipalities:
        errors["municipalities"] = [_("Ange minst en kommun (kommunkod).")]
        return []
    codes = [str(c).strip() for c in municipalities]
    messages = []
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        messages.append(
            _("Kommunkoden förekommer mer än en gång: %(codes)s.")
            % {"codes": ", ".join(duplicates)}
        )
    known = set(Municipality.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in dict.fromkeys(codes) if c not in known]
    if unknown:
        messages.append(_("Okänd kommunkod: %(codes)s.") % {"codes": ", ".join(unknown)})
    if messages:
        errors["municipalities"] = messages
    return list(dict.fromkeys(codes))


def _weights(population_weight, equal_weight, errors):
    message = _("Ange vikten i hela procent, 0–100.")
    w_pop = _whole_number(population_weight, "population_weight", errors, message)
    w_eq = _whole_number(equal_weight, "equal_weight", errors, message)
    for name, value in (("population_weight", w_pop), ("equal_weight", w_eq)):
        if value is not None and not 0 <= value <= 100:
            errors[name] = [message]
    if "population_weight" not in errors and "equal_weight" not in errors and w_pop + w_eq != 100:
        message = _("Andelen efter folkmängd och lika andel ska tillsammans bli 100 %.")
        errors["population_weight"] = [message]
        errors["equal_weight"] = [message]
    return w_pop, w_eq


def _populations(codes, year, errors) -> dict[str, tuple[str, int]]:
    rows = {
        code: (name, population)
        for code, name, population in Population.objects.filter(
            municipality__code__in=codes, year=year
        ).values_list("municipality__code", "municipality__name", "population")
    }
    missing = [c for c in codes if c not in rows]
    if missing and not errors.get("municipalities"):
        if not rows:
            errors["population_year"] = [
                _("Det finns ingen folkmängd för år %(year)s.") % {"year": year}
            ]
        else:
            errors["population_year"] = [
                _("Folkmängd för år %(year)s saknas för %(codes)s.")
                % {"year": year, "codes": ", ".join(missing)}
            ]
    return rows


def allocation_preview(
    *,
    municipalities: list[str],
    amount: int,
    population_weight: int,
    equal_weight: int,
    population_year: int,
) -> list[PreviewRow]:
    """Allocate `amount` kronor among `municipalities` (kommunkoder) with a key.

    Raises ValidationError with a Swedish message per field for bad input.
    """
    errors: dict[str, list[str]] = {}
    codes = _codes(municipalities, errors)
    total = _whole_number(amount, "amount", errors, _("Ange beloppet i hela kronor."))
    if total is not None and total < 0:
        errors["amount"] = [_("Beloppet kan inte vara negativt.")]
    w_pop, w_eq = _weights(population_weight, equal_weight, errors)
    year = _whole_number(
        population_year, "population_year", errors, _("Ange året som fyra siffror, t.ex. 2025.")
    )
    rows = {}
    if year is not None and codes:
        rows = _populations(codes, year, errors)
    if errors:
        raise ValidationError(errors)
    parties = [Party(code, rows[code][1]) for code in codes]
    return [
        PreviewRow(a.code, rows[a.code][0], a.population, a.share, a.amount)
        for a in allocate(total, parties, w_pop, w_eq)
    ]


def share_text(share: Fraction, decimals: int = 6) -> str:
    exact = Decimal(share.numerator) / Decimal(share.denominator)
    return str(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


# --- scenarios ------------------------------------------------------------------------


@dataclass
class ScenarioCell:
    amount: int
    per_inhabitant: Decimal


@dataclass
class ScenarioRow:
    code: str
    name: str
    population: int
    cells: dict[str, ScenarioCell | None] = field(default_factory=dict)


@dataclass
class ScenarioTable:
    amount: int
    labels: list[str]
    rows: list[ScenarioRow]
    population_weight: int
    equal_weight: int
    population_year: int
    totals: dict[str, int] = field(default_factory=dict)
    per_inhabitant: dict[str, Decimal] = field(default_factory=dict)


def scenario_amount(*, initiative=None, program=None) -> int:
    """The costs a scenario divides: the estimates (development and operation) of the
    initiative or program; without estimates, its actual costs."""
    costs = CostEntry.objects.all()
    if initiative is not None:
        costs = costs.filter(initiative=initiative)
    else:
        costs = costs.filter(initiative__program=program)
    sums = dict(
        costs.values("nature").order_by().annotate(t=Sum("amount")).values_list("nature", "t")
    )
    return sums.get(CostNature.ESTIMATE) or sums.get(CostNature.ACTUAL) or 0


def _current_key(initiative, program):
    portfolio_id = initiative.portfolio_id if initiative is not None else program.portfolio_id
    return AllocationKey.objects.filter(portfolio_id=portfolio_id).order_by("-valid_from").first()


def scenario_compare(
    *,
    sets: dict[str, list[str]],
    amount: int | None = None,
    initiative=None,
    program=None,
    key=None,
) -> ScenarioTable:
    """The same costs under other sets of municipalities, side by side.

    `key` is an AllocationKey, a dict with population_weight/equal_weight/population_year,
    or None for the portfolio's current key (80/20 on 2025 without a portfolio).
    """
    if amount is None:
        if initiative is None and program is None:
            raise ValidationError(
                {"amount": [_("Ange ett belopp, ett initiativ eller ett program.")]}
            )
        amount = scenario_amount(initiative=initiative, program=program)
    errors: dict[str, list[str]] = {}
    amount = _whole_number(amount, "amount", errors, _("Ange beloppet i hela kronor."))
    if amount is not None and amount < 0:
        errors["amount"] = [_("Beloppet kan inte vara negativt.")]
    if errors:
        raise ValidationError(errors)
    if key is None and (initiative is not None or program is not None):
        key = _current_key(initiative, program)
    if key is None:
        key = {"population_weight": 80, "equal_weight": 20, "population_year": 2025}
    if not isinstance(key, dict):
        key = {
            "population_weight": key.population_weight,
            "equal_weight": key.equal_weight,
            "population_year": key.population_year,
        }
    if not sets:
        raise ValidationError({"sets": [_("Välj minst en uppsättning kommuner.")]})
    results = {}
    for label, codes in sets.items():
        try:
            results[label] = allocation_preview(municipalities=list(codes), amount=amount, **key)
        except ValidationError as exc:
            errors[f"sets.{label}"] = [m for ms in exc.message_dict.values() for m in ms]
    if errors:
        raise ValidationError(errors)
    by_code: dict[str, ScenarioRow] = {}
    for label, rows in results.items():
        for r in rows:
            row = by_code.setdefault(r.code, ScenarioRow(r.code, r.name, r.population))
            row.cells[label] = ScenarioCell(r.amount, _per_inhabitant(r.amount, r.population))
    labels = list(sets)
    for row in by_code.values():
        for label in labels:
            row.cells.setdefault(label, None)
    table = ScenarioTable(
        amount=amount,
        labels=labels,
        rows=sorted(by_code.values(), key=lambda r: r.name),
        **key,
    )
    for label, rows in results.items():
        table.totals[label] = sum(r.amount for r in rows)
        table.per_inhabitant[label] = _per_inhabitant(
            table.totals[label], sum(r.population for r in rows)
        )
    return table


def _per_inhabitant(amount: int, population: int) -> Decimal:
    if not population:
        return Decimal("0.00")
    return (Decimal(amount) / Decimal(population)).quantize(Decimal("0.01"), ROUND_HALF_UP)


# --- costs against budget -------------------------------------------------------------


@dataclass
class BudgetRow:
    program_id: int | None
    program_name: str
    year: int
    budget: int
    estimate: int
    actual: int

    @property
    def remaining(self) -> int:
        return self.budget - self.actual


def costs_against_budget(portfolio, until: dt.date | None = None) -> list[BudgetRow]:
    """Per program and year: its budget, the estimated and the actual costs; `until`:
    the costs as they stood on that day (`as_of.costs_on_q`)."""
    entries = CostEntry.objects.filter(initiative__portfolio=portfolio)
    if until is not None:
        entries = CostEntry.all_entries.filter(costs_on_q(until), initiative__portfolio=portfolio)
    names = {p.pk: p.name for p in portfolio.programs.all()}
    cells: dict[tuple, dict] = defaultdict(lambda: {"budget": 0, "estimate": 0, "actual": 0})
    for program_id, year, amount in ProgramBudget.objects.filter(
        program__portfolio=portfolio
    ).values_list("program_id", "year", "amount"):
        cells[(program_id, year)]["budget"] += amount
    for program_id, year, nature, total in (
        entries.annotate(year=ExtractYear("period"))
        .values("initiative__program_id", "year", "nature")
        .order_by()
        .annotate(total=Sum("amount"))
        .values_list("initiative__program_id", "year", "nature", "total")
    ):
        slot = "actual" if nature == CostNature.ACTUAL else "estimate"
        cells[(program_id, year)][slot] += total
    rows = [
        BudgetRow(
            program_id,
            names.get(program_id, _("Utan program")),
            year,
            values["budget"],
            values["estimate"],
            values["actual"],
        )
        for (program_id, year), values in cells.items()
    ]
    rows.sort(key=lambda r: (r.program_id is None, r.program_name, r.year))
    return rows
