"""Importing cost and time entries: per-row permission, all or nothing, idempotent, round trip."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from portfolio.excel.entries_import import entries_import, entries_preview
from portfolio.excel.exports import entries_workbook_bytes
from portfolio.excel.preview import ImportRefused
from portfolio.models import CostEntry, HistoryEntry, Initiative, TimeEntry
from portfolio.periods import parse_period
from portfolio.services.allocation import period_settle
from portfolio.services.costs import cost_entry_create
from portfolio.services.initiatives import initiative_create
from portfolio.services.participation import participation_answer, participation_invite
from tests import factories

pytestmark = pytest.mark.django_db

COST_HEADERS = [
    "Initiativnummer",
    "Kostnadsslag",
    "Estimat eller utfall",
    "Period",
    "Belopp (kr)",
    "Betald av kommun",
    "Beskrivning",
]
TIME_HEADERS = ["Initiativnummer", "Kommun", "Period", "Timmar", "Roll", "Beskrivning"]


def xlsx(headers, rows, title="Blad1") -> bytes:
    workbook = Workbook()
    workbook.active.title = title
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _participate(coordinator, initiative, code):
    participation = initiative.participations.filter(municipality__code=code).first()
    if participation is None:
        participation = participation_invite(
            actor=coordinator, initiative=initiative, municipality=factories.municipality(code)
        )
    director = factories.user(code, Role.DIRECTOR)
    participation_answer(
        actor=director,
        participation=participation,
        version=participation.version,
        answer="deltar",
        joined_on=dt.date(2025, 1, 1),
    )


@pytest.fixture
def setup(db):
    portfolio = factories.portfolio()
    coordinator = factories.user("1460", Role.COORDINATOR)
    initiative = initiative_create(actor=coordinator, portfolio=portfolio, title="E-arkiv")
    _participate(coordinator, initiative, "1460")
    _participate(coordinator, initiative, "1492")
    initiative = Initiative.objects.get(pk=initiative.pk)
    return portfolio, coordinator, initiative


def _costs(ref):
    return [
        [ref, "Förstudie och utveckling", "Utfall", "2026H1", "1 200 000", "Bengtsfors", "Konsult"],
        [ref, "drift", "Estimat", dt.date(2026, 9, 30), 250000, None, None],
        [ref, "Förstudie och utveckling", "utfall", "2026-03-31", "99 500 kr", "1492", ""],
    ]


def test_cost_rows_are_previewed_then_created_through_the_service(setup):
    portfolio, coordinator, initiative = setup
    content = xlsx(COST_HEADERS, _costs(initiative.reference))

    preview = entries_preview(actor=coordinator, portfolio=portfolio, kind="costs", content=content)
    assert preview.is_valid, preview.as_dict()
    assert CostEntry.objects.count() == 0

    result = entries_import(actor=coordinator, portfolio=portfolio, kind="costs", content=content)
    assert result.created == 3
    rows = list(
        CostEntry.objects.order_by("id").values_list(
            "kind", "nature", "period", "amount", "paid_by__code", "description"
        )
    )
    assert rows == [
        ("utveckling", "utfall", dt.date(2026, 1, 1), 1_200_000, "1460", "Konsult"),
        ("drift", "estimat", dt.date(2026, 9, 30), 250_000, None, ""),
        ("utveckling", "utfall", dt.date(2026, 3, 31), 99_500, "1492", ""),
    ]
    assert HistoryEntry.objects.filter(entity="cost_entry", actor=coordinator).count() == 3


def test_importing_the_same_costs_again_changes_nothing(setup):
    portfolio, coordinator, initiative = setup
    content = xlsx(COST_HEADERS, _costs(initiative.reference) + [_costs(initiative.reference)[1]])
    entries_import(actor=coordinator, portfolio=portfolio, kind="costs", content=content)
    assert CostEntry.objects.count() == 4  # two identical estimates are two entries

    result = entries_import(actor=coordinator, portfolio=portfolio, kind="costs", content=content)
    assert (result.created, result.unchanged) == (0, 4)
    assert CostEntry.objects.count() == 4


def test_exported_costs_and_hours_have_real_types_and_reimport_unchanged(setup):
    portfolio, coordinator, initiative = setup
    entries_import(
        actor=coordinator,
        portfolio=portfolio,
        kind="costs",
        content=xlsx(COST_HEADERS, _costs(initiative.reference)),
    )
    entries_import(
        actor=coordinator,
        portfolio=portfolio,
        kind="time",
        content=xlsx(TIME_HEADERS, [[initiative.reference, "Åmål", "2026H1", "7,5", "", ""]]),
    )
    exported = entries_workbook_bytes(Initiative.objects.filter(portfolio=portfolio))

    workbook = load_workbook(io.BytesIO(exported))
    assert workbook.sheetnames[:2] == ["Kostnader", "Tidsinsatser"]
    costs = workbook["Kostnader"]
    assert [c.value for c in costs[1]] == [
        "Initiativnummer",
        "Initiativ",
        "Kostnadsslag",
        "Estimat eller utfall",
        "Period",
        "Belopp (kr)",
        "Betald av kommun",
        "Beskrivning",
    ]
    first = costs[2]
    assert first[5].value == 1_200_000 and first[5].number_format == '#,##0 "kr"'
    assert isinstance(first[4].value, dt.datetime) and first[4].value.date() == dt.date(2026, 1, 1)
    assert first[2].value == "Förstudie och utveckling" and first[6].value == "Bengtsfors"
    hours = workbook["Tidsinsatser"][2]
    assert hours[4].value == 7.5 and hours[4].data_type == "n"

    for kind in ("costs", "time"):
        result = entries_import(actor=coordinator, portfolio=portfolio, kind=kind, content=exported)
        assert result.created == 0 and result.unchanged >= 1
    assert TimeEntry.objects.get().hours == Decimal("7.50")


def test_a_bad_cost_file_shows_every_error_and_writes_nothing(setup):
    portfolio, coordinator, initiative = setup
    ref = initiative.reference
    content = xlsx(
        COST_HEADERS,
        [
            _costs(ref)[0],
            ["XYZ-9", "drift", "Estimat", "2026-01-01", 1, None, None],
            [ref, "Hyra", "Utfall", "2026-01-01", 1, "Åmål", None],
            [ref, "drift", "Utfall", "igår", "tolv", "Gotham", None],
            [ref, "drift", "Utfall", "2026-01-01", 100, None, None],
            [ref, "drift", "Estimat", "2026-01-01", 100, "Åmål", None],
            [ref, "drift", "Estimat", "2026-01-01", 0, None, None],
        ],
    )
    preview = entries_preview(actor=coordinator, portfolio=portfolio, kind="costs", content=content)
    rows = {row.number: row.errors for row in preview.rows}
    assert rows[2] == {}
    assert rows[3]["Initiativnummer"] == ["Initiativnumret XYZ-9 finns inte i portföljen."]
    assert "Tillåtna värden: Förstudie och utveckling" in rows[4]["Kostnadsslag"][0]
    assert "”igår” är inte ett datum" in rows[5]["Period"][0]
    assert "”tolv” är inte ett tal" in rows[5]["Belopp (kr)"][0]
    assert "Kommunen ”Gotham” finns inte" in rows[5]["Betald av kommun"][0]
    assert rows[6]["Betald av kommun"] == ["Ange vilken kommun som betalade kostnaden."]
    assert "Ett estimat har ingen betalande kommun" in rows[7]["Betald av kommun"][0]
    assert "större än noll" in rows[8]["Belopp (kr)"][0]

    history = HistoryEntry.objects.count()
    with pytest.raises(ImportRefused):
        entries_import(actor=coordinator, portfolio=portfolio, kind="costs", content=content)
    assert CostEntry.objects.count() == 0 and HistoryEntry.objects.count() == history


def test_each_row_follows_who_may_report_for_which_municipality(setup):
    portfolio, _coordinator, initiative = setup
    it_chef = factories.user("1460", Role.IT_MANAGER)
    ref = initiative.reference
    content = xlsx(
        TIME_HEADERS,
        [
            [ref, "Bengtsfors", "2026-02-01", 10, "Projektledare", ""],
            [ref, "Åmål", "2026-02-01", 4, "", ""],
            [ref, "Mellerud", "2026-02-01", 4, "", ""],
        ],
    )
    preview = entries_preview(actor=it_chef, portfolio=portfolio, kind="time", content=content)
    assert not preview.rows[0].has_errors
    assert "Du får inte rapportera för Åmål" in preview.rows[1].errors["Kommun"][0]
    assert "Du får inte rapportera för Mellerud" in preview.rows[2].errors["Kommun"][0]
    with pytest.raises(ImportRefused):
        entries_import(actor=it_chef, portfolio=portfolio, kind="time", content=content)
    assert TimeEntry.objects.count() == 0


def test_hours_are_read_with_a_decimal_comma_and_checked(setup):
    portfolio, coordinator, initiative = setup
    ref = initiative.reference
    content = xlsx(
        TIME_HEADERS,
        [
            [ref, "Åmål", "2026H2", "7,5", "Arkivarie", "Inventering"],
            [ref, "Åmål", "2026H2", "-3", "", ""],
            [ref, "Åmål", "2026H2", "1,255", "", ""],
            [ref, "", "2026H2", 1, "", ""],
        ],
    )
    preview = entries_preview(actor=coordinator, portfolio=portfolio, kind="time", content=content)
    assert preview.rows[0].fields["hours"] == Decimal("7.50")
    assert preview.rows[0].fields["period"] == dt.date(2026, 7, 1)
    assert "större än noll" in preview.rows[1].errors["Timmar"][0]
    assert "två decimaler" in preview.rows[2].errors["Timmar"][0]
    assert "Ange vilken kommun" in preview.rows[3].errors["Kommun"][0]


def test_rows_in_a_settled_period_are_refused_but_already_imported_ones_pass(setup):
    portfolio, coordinator, initiative = setup
    ref = initiative.reference
    cost_entry_create(
        actor=coordinator,
        initiative=initiative,
        kind="utveckling",
        nature="utfall",
        period=dt.date(2025, 3, 1),
        amount=1000,
        paid_by=factories.municipality("1460"),
    )
    period_settle(
        actor=coordinator,
        portfolio=portfolio,
        period=parse_period("2025H1"),
        decided_on=dt.date(2025, 9, 1),
        meeting_reference="§ 3",
    )
    content = xlsx(
        COST_HEADERS,
        [
            [ref, "utveckling", "utfall", "2025-03-01", 1000, "Bengtsfors", None],
            [ref, "utveckling", "utfall", "2025-04-01", 500, "Bengtsfors", None],
            [ref, "utveckling", "estimat", "2025-04-01", 500, None, None],
        ],
    )
    preview = entries_preview(actor=coordinator, portfolio=portfolio, kind="costs", content=content)
    assert preview.rows[0].final_action == "unchanged"
    assert "avräknad och låst" in preview.rows[1].errors["Period"][0]
    # A settled period is closed to estimates too.
    assert "avräknad och låst" in preview.rows[2].errors["Period"][0]


def test_an_it_chef_imports_their_actual_costs_but_no_estimates(setup):
    portfolio, _coordinator, initiative = setup
    it_chef = factories.user("1460", Role.IT_MANAGER)
    ref = initiative.reference
    content = xlsx(
        COST_HEADERS,
        [
            [ref, "utveckling", "utfall", "2026-02-01", 1000, "Bengtsfors", None],
            [ref, "utveckling", "estimat", "2026-02-01", 1, None, None],
        ],
    )
    preview = entries_preview(actor=it_chef, portfolio=portfolio, kind="costs", content=content)
    assert not preview.rows[0].has_errors
    assert "bara programledaren" in preview.rows[1].errors["Estimat eller utfall"][0]
    with pytest.raises(ImportRefused):
        entries_import(actor=it_chef, portfolio=portfolio, kind="costs", content=content)
    assert CostEntry.objects.count() == 0


def test_readers_may_not_import_entries(setup):
    portfolio, _coordinator, initiative = setup
    from portfolio.services.errors import NotAllowedError

    with pytest.raises(NotAllowedError):
        entries_preview(
            actor=factories.user("1460", Role.READER),
            portfolio=portfolio,
            kind="costs",
            content=xlsx(COST_HEADERS, _costs(initiative.reference)),
        )
