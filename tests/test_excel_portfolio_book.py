"""Moving a whole portfolio in from its workbook: initiatives, participation, past
decisions and status reports; preview, all or nothing, idempotence, round trip."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from portfolio.excel.book_export import portfolio_workbook_bytes
from portfolio.excel.book_import import portfolio_import
from portfolio.excel.book_preview import portfolio_preview
from portfolio.excel.preview import ImportRefused
from portfolio.models import GateDecision, HistoryEntry, Initiative, Participation, StatusUpdate
from portfolio.services.errors import NotAllowedError
from tests import factories

pytestmark = pytest.mark.django_db

INITIATIVE_HEADERS = [
    "Initiativnummer",
    "Titel",
    "Program",
    "Föreslagen av kommun",
    "Område",
    "Målgrupp",
    "Samverkansnivå (1–5)",
    "Inlämnad",
    "Steg",
]
PARTICIPATION_HEADERS = [
    "Initiativnummer",
    "Kommun",
    "Deltagande",
    "Deltar från",
    "Lämnade",
    "Skäl för att lämna",
    "Implementerade",
]
DECISION_HEADERS = [
    "Initiativnummer",
    "Beslut",
    "Utfall",
    "Nytt steg",
    "Beslutsdatum",
    "Beslutande organ",
    "Protokoll §",
    "Motivering",
]
STATUS_HEADERS = [
    "Initiativnummer",
    "Datum",
    "Tid",
    "Kostnad",
    "Kvalitet",
    "Framsteg (%)",
    "Kommentar",
]

INITIATIVES = [
    [
        "GML-1",
        "Gemensam e-arkivtjänst",
        "Effektiv kommun",
        "Åmål",
        "Insida",
        "Medarbetare",
        3,
        dt.date(2023, 2, 1),
        "Projekt",
    ],
    ["GML-2", "Digital bokning", "", "Bengtsfors", "Utsida", "Invånare", 2, "2023-09-15", "Idé"],
    ["GML-3", "Gemensam växel", "", "Mellerud", "", "", None, "2023-03-01", "Avslagen"],
]
PARTICIPATION = [
    ["GML-1", "Åmål", "Deltar", dt.date(2023, 6, 1), None, None, None],
    [
        "GML-1",
        "Bengtsfors",
        "Har lämnat",
        dt.date(2023, 6, 1),
        dt.date(2024, 3, 1),
        "Egen upphandling i stället",
        None,
    ],
    ["GML-1", "1461", "Deltar", dt.date(2024, 1, 10), None, None, dt.date(2024, 11, 1)],
]
DECISIONS = [
    [
        "GML-1",
        "G1",
        "Godkänd",
        "Projekt",
        dt.date(2023, 11, 20),
        "Portföljstyrgrupp",
        "§ 41",
        "Förstudien visar nyttan",
    ],
    ["GML-1", "G0", "Godkänd", None, dt.date(2023, 3, 14), "Programstyrgrupp", "§ 12", None],
    ["GML-3", "G0", "Avslagen", None, dt.date(2023, 4, 2), None, "§ 3", "Finns redan"],
]
STATUS = [
    ["GML-1", dt.date(2024, 2, 1), "Grön", "Gul", "Grön", 20, "Upphandling klar"],
    ["GML-1", dt.date(2024, 8, 1), "Gul", "Gul", "Grön", 55, None],
]


COST_HEADERS = [
    "Initiativnummer",
    "Kostnadsslag",
    "Estimat eller utfall",
    "Period",
    "Belopp (kr)",
    "Betald av kommun",
]
COSTS = [
    ["GML-1", "Förstudie och utveckling", "Estimat", "2023H2", 400000, None],
    ["GML-1", "Förstudie och utveckling", "Utfall", "2024H1", 180000, "Åmål"],
    # Paid by Bengtsfors before it left: still its cost.
    ["GML-1", "Förstudie och utveckling", "Utfall", "2023H2", 20000, "Bengtsfors"],
]
TIME_HEADERS = ["Initiativnummer", "Kommun", "Period", "Timmar", "Roll"]
TIME = [["GML-1", "Mellerud", "2024H1", "12,5", "Projektledare"]]


def book(
    initiatives=INITIATIVES,
    participation=PARTICIPATION,
    decisions=DECISIONS,
    status=STATUS,
    costs=COSTS,
    time=TIME,
) -> bytes:
    workbook = Workbook()
    sheets = [
        ("Initiativ", INITIATIVE_HEADERS, initiatives),
        ("Deltagande", PARTICIPATION_HEADERS, participation),
        ("Beslut", DECISION_HEADERS, decisions),
        ("Statusrapporter", STATUS_HEADERS, status),
        ("Kostnader", COST_HEADERS, costs),
        ("Tidsinsatser", TIME_HEADERS, time),
    ]
    for index, (title, headers, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def setup(db):
    portfolio = factories.portfolio()
    coordinator = factories.user("1460", Role.COORDINATOR, username="samordnare.test")
    program = factories.program(portfolio, manager=None)
    program.name = "Effektiv kommun"
    program.save()
    return portfolio, coordinator


def _counts():
    return (
        Initiative.objects.count(),
        GateDecision.objects.count(),
        Participation.objects.count(),
        StatusUpdate.objects.count(),
        HistoryEntry.objects.count(),
    )


def test_a_portfolio_moves_in_with_its_past_and_stages_come_from_its_decisions(setup):
    portfolio, coordinator = setup
    content = book()
    preview = portfolio_preview(actor=coordinator, portfolio=portfolio, content=content)
    assert preview.is_valid, preview.errors_by_place()
    assert preview.counts["create"] == 3 + 3 + 3 + 2 + 3 + 1
    assert Initiative.objects.count() == 0
    assert any("GML-1 sparas som dess tidigare nummer" in w for w in preview.rows[0].warnings)

    result = portfolio_import(actor=coordinator, portfolio=portfolio, content=content)
    assert result.created == 15
    archive = Initiative.objects.get(portfolio=portfolio, imported_reference="GML-1")
    assert archive.reference.startswith(f"{portfolio.reference_prefix}-")
    assert archive.stage == "projekt"
    assert archive.submitted_at.date() == dt.date(2023, 2, 1)
    decisions = list(archive.decisions.order_by("decided_on"))
    assert [(d.kind, d.stage_before, d.stage_after) for d in decisions] == [
        ("G0", "ide", "forstudie"),
        ("G1", "forstudie", "projekt"),
    ]
    assert all(d.imported for d in decisions)
    assert decisions[1].meeting_reference == "§ 41" and decisions[1].body == "portfoljstyrgrupp"
    left = archive.participations.get(municipality__name="Bengtsfors")
    assert (left.status, left.left_on, left.leave_reason) == (
        "lamnat",
        dt.date(2024, 3, 1),
        "Egen upphandling i stället",
    )
    assert archive.participations.get(municipality__code="1461").implemented_on == dt.date(
        2024, 11, 1
    )
    assert archive.latest_status.progress == 55
    rejected = Initiative.objects.get(imported_reference="GML-3")
    assert rejected.stage == "avslagen"
    assert Initiative.objects.get(imported_reference="GML-2").stage == "ide"
    assert sorted(archive.costs.values_list("amount", "paid_by__name")) == [
        (20000, "Bengtsfors"),
        (180000, "Åmål"),
        (400000, None),
    ]
    assert [(t.municipality.name, t.hours) for t in archive.time_entries.all()] == [
        ("Mellerud", Decimal("12.50"))
    ]


def test_importing_the_same_workbook_twice_changes_nothing(setup):
    portfolio, coordinator = setup
    content = book()
    portfolio_import(actor=coordinator, portfolio=portfolio, content=content)
    before = _counts()
    preview = portfolio_preview(actor=coordinator, portfolio=portfolio, content=content)
    assert preview.is_valid, preview.errors_by_place()
    assert not preview.changes_anything
    result = portfolio_import(actor=coordinator, portfolio=portfolio, content=content)
    assert (result.created, result.updated) == (0, 0)
    assert _counts() == before


def _content(workbook_bytes: bytes, skip=("Initiativnummer",)) -> dict:
    """Each sheet's rows without the initiative numbers, which a new portfolio gives anew."""
    workbook = load_workbook(io.BytesIO(workbook_bytes))
    result = {}
    for sheet in workbook.worksheets:
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        keep = [i for i, header in enumerate(rows[0]) if header not in skip]
        result[sheet.title] = [[row[i] for i in keep] for row in rows]
    return result


def test_export_import_into_an_empty_portfolio_and_export_again_round_trips(setup):
    portfolio, coordinator = setup
    portfolio_import(actor=coordinator, portfolio=portfolio, content=book())
    exported = portfolio_workbook_bytes(Initiative.objects.filter(portfolio=portfolio))
    assert [s.title for s in load_workbook(io.BytesIO(exported)).worksheets] == [
        "Initiativ",
        "Deltagande",
        "Beslut",
        "Statusrapporter",
        "Kostnader",
        "Tidsinsatser",
    ]
    # The same portfolio reads its own export as nothing to do.
    again = portfolio_preview(actor=coordinator, portfolio=portfolio, content=exported)
    assert again.is_valid and not again.changes_anything, again.errors_by_place()

    empty = factories.portfolio(group=portfolio.constellation)
    program = factories.program(empty)
    program.name = "Effektiv kommun"
    program.save()
    portfolio_import(actor=coordinator, portfolio=empty, content=exported)
    second = portfolio_workbook_bytes(Initiative.objects.filter(portfolio=empty))
    assert _content(second) == _content(exported)
    assert _content(second)["Beslut"][1:] and _content(second)["Deltagande"][1:]


def _errors(preview) -> str:
    return " | ".join(
        f"{place}: {' '.join(messages)}" for place, messages in preview.errors_by_place().items()
    )


def test_a_stage_that_skips_a_gate_without_a_decision_is_an_error(setup):
    portfolio, coordinator = setup
    initiatives = [row[:] for row in INITIATIVES]
    initiatives[1][8] = "Implementation"
    content = book(initiatives=initiatives)
    preview = portfolio_preview(actor=coordinator, portfolio=portfolio, content=content)
    row = preview.rows[1]
    assert "Steget Implementation följer inte av besluten på bladet Beslut" in row.errors["Steg"][0]
    assert "hoppar över en grind" in row.errors["Steg"][0]
    with pytest.raises(ImportRefused):
        portfolio_import(actor=coordinator, portfolio=portfolio, content=content)
    assert _counts()[:4] == (0, 0, 0, 0)


def test_bad_rows_are_errors_in_swedish_and_nothing_is_written(setup):
    portfolio, coordinator = setup
    own_unknown = f"{portfolio.reference_prefix}-999"
    decisions = [
        *DECISIONS,
        ["GML-2", "G0", "Godkänd", None, dt.date(2023, 1, 1), None, None, None],
        ["GML-9", "G0", "Godkänd", None, dt.date(2023, 1, 1), None, None, None],
        ["GML-3", "G1", "Godkänd", "Projekt", dt.date(2023, 5, 1), None, None, None],
    ]
    participation = [
        *PARTICIPATION,
        ["GML-2", "Skara", "Deltar", None, None, None, None],
        ["GML-2", "Dals-Ed", "Har lämnat", dt.date(2024, 5, 1), dt.date(2024, 1, 1), "x", None],
    ]
    initiatives = [*INITIATIVES, [own_unknown, "Felskrivet", "", "Åmål", "", "", None, None, None]]
    status = [*STATUS, ["GML-2", "förra året", "Blå", "Gul", "Grön", 120, None]]
    content = book(initiatives, participation, decisions, status)
    preview = portfolio_preview(actor=coordinator, portfolio=portfolio, content=content)
    errors = _errors(preview)
    assert f"Initiativnumret {own_unknown} finns inte i portföljen" in errors
    assert "Beslutet ligger före 2023-09-15, då GML-2 lämnades in" in errors
    assert "GML-9 finns varken i portföljen eller på bladet Initiativ" in errors
    assert "Initiativet är avslagen; inga fler beslut kan fattas" in errors
    assert "Skara ingår inte i portföljens samverkanskonstellation" in errors
    assert "Kommunen kan inte lämna före den gick med" in errors
    assert "”förra året” är inte ett datum" in errors
    assert "”Blå” är inget giltigt värde" in errors
    assert "Ange framsteget i procent, 0–100" in errors
    with pytest.raises(ImportRefused):
        portfolio_import(actor=coordinator, portfolio=portfolio, content=content)
    assert _counts() == (0, 0, 0, 0, 0)


def test_ignored_columns_and_sheets_are_named_with_their_reason(setup):
    portfolio, coordinator = setup
    headers = [*INITIATIVE_HEADERS, "Utveckling, estimat (kr)", "Anteckning"]
    initiatives = [[*row, 100, "x"] for row in INITIATIVES]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Initiativ"
    sheet.append(headers)
    for row in initiatives:
        sheet.append(row)
    notes = workbook.create_sheet("Anteckningar")
    notes.append(["Vad som helst"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = portfolio_preview(actor=coordinator, portfolio=portfolio, content=buffer.getvalue())
    text = " ".join(preview.warnings)
    assert "Kolumnen ”Utveckling, estimat (kr)” läses inte: summan räknas fram" in text
    assert "Kolumnen ”Anteckning” känns inte igen och läses inte" in text
    assert "Bladet ”Anteckningar” läses inte: bladet hör inte till portföljens" in text
    assert "Arbetsboken har inget blad ”Beslut”" in text
    # Without the decisions, the stages in the file do not follow.
    assert "Steget Projekt följer inte av besluten" in _errors(preview)


def test_a_recorded_decision_is_never_rewritten_by_an_import(setup):
    portfolio, coordinator = setup
    portfolio_import(actor=coordinator, portfolio=portfolio, content=book())
    changed = [row[:] for row in DECISIONS]
    changed[1][6] = "§ 13"
    preview = portfolio_preview(
        actor=coordinator, portfolio=portfolio, content=book(decisions=changed)
    )
    assert "har redan beslutet Grindbeslut G0 godkänd 2023-03-14 § 12" in _errors(preview)


def test_only_the_portfolio_office_of_the_constellation_may_import_a_portfolio(setup):
    portfolio, _coordinator = setup
    content = book()
    for user in (
        factories.user("1460", Role.PROGRAM_MANAGER),
        factories.user("1460", Role.IT_MANAGER),
        factories.user("1460", Role.DIRECTOR),
        factories.user("1460", Role.READER),
        factories.user("1495", Role.COORDINATOR),  # Skara: another constellation
    ):
        with pytest.raises(NotAllowedError):
            portfolio_preview(actor=user, portfolio=portfolio, content=content)
        with pytest.raises(NotAllowedError):
            portfolio_import(actor=user, portfolio=portfolio, content=content)
    assert Initiative.objects.count() == 0


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a workbook", "går inte att läsa som en Excel-arbetsbok"),
        (
            book(initiatives=[], participation=[], decisions=[], status=[], costs=[], time=[]),
            "Arbetsboken innehåller inga rader att importera.",
        ),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused_and_an_empty_one_has_nothing(
    setup, content, message
):
    portfolio, coordinator = setup
    preview = portfolio_preview(actor=coordinator, portfolio=portfolio, content=content)
    assert not preview.is_valid
    if message:
        assert message in " ".join(preview.file_errors)


def test_the_demo_portfolios_round_trip_through_an_empty_portfolio(demo):
    from accounts.models import User
    from portfolio.models import Body, Portfolio, Program

    coordinator = User.objects.get(username="samordnare")
    for source in Portfolio.objects.filter(constellation__members=coordinator.municipality):
        initiatives = Initiative.objects.filter(portfolio=source)
        exported = portfolio_workbook_bytes(initiatives)
        itself = portfolio_preview(actor=coordinator, portfolio=source, content=exported)
        assert itself.is_valid, _errors(itself)
        assert not itself.changes_anything

        empty = factories.portfolio(group=source.constellation)
        for program in Program.objects.filter(portfolio=source):
            Program.objects.create(portfolio=empty, name=program.name)
        for body in Body.objects.filter(portfolio=source):
            Body.objects.create(
                portfolio=empty,
                name=body.name,
                kind=body.kind,
                matters=body.matters,
                chair=body.chair,
                secretary=body.secretary,
            )
        result = portfolio_import(actor=coordinator, portfolio=empty, content=exported)
        assert result.created >= initiatives.count()
        twice = portfolio_preview(actor=coordinator, portfolio=empty, content=exported)
        assert twice.is_valid and not twice.changes_anything, _errors(twice)
        again = portfolio_workbook_bytes(Initiative.objects.filter(portfolio=empty))
        # The priority score is computed from the scores per criterion, which the
        # workbook does not carry (nor effect goals): the one column not moved in.
        skip = ("Initiativnummer", "Prioriteringspoäng")
        assert _content(again, skip) == _content(exported, skip), source.name


def _fail_on_the_last_cost(monkeypatch):
    """Let every write but the workbook's last cost succeed, then refuse that one."""
    from portfolio.services import costs
    from portfolio.services.errors import DomainError

    real = costs.cost_entry_create
    calls = []

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == len(COSTS):
            raise DomainError("Perioden är låst.", rule="settled")
        return real(**kwargs)

    monkeypatch.setattr(costs, "cost_entry_create", failing)


def _a_late_refusal_writes_nothing(setup, monkeypatch):
    portfolio, coordinator = setup
    _fail_on_the_last_cost(monkeypatch)
    with pytest.raises(ImportRefused) as refused:
        portfolio_import(actor=coordinator, portfolio=portfolio, content=book())
    assert "Perioden är låst." in _errors(refused.value.preview)
    assert _counts() == (0, 0, 0, 0, 0)


def test_a_refusal_after_many_writes_leaves_nothing_written(setup, monkeypatch):
    _a_late_refusal_writes_nothing(setup, monkeypatch)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_refusal_after_many_writes_leaves_nothing_written_on_postgresql(setup, monkeypatch):
    _a_late_refusal_writes_nothing(setup, monkeypatch)


def test_a_zip_bomb_and_a_formula_without_a_value_are_refused_and_nothing_evaluated(setup):
    from portfolio.bench import upload_files

    portfolio, coordinator = setup
    bomb = portfolio_preview(
        actor=coordinator, portfolio=portfolio, content=upload_files.zip_bomb(megabytes=29)
    )
    assert "packas upp till mer än 10 MB" in " ".join(bomb.file_errors)

    formula = [row[:] for row in STATUS]
    formula[0][5] = "=1+1"  # openpyxl saves the formula without a computed value
    preview = portfolio_preview(
        actor=coordinator, portfolio=portfolio, content=book(status=formula)
    )
    [row] = [r for r in preview.rows if r.sheet == "Statusrapporter" and r.errors]
    assert "formel utan sparat värde" in row.errors["Framsteg (%)"][0]
    assert not preview.is_valid


def test_a_correction_is_a_new_decision_linked_to_the_one_it_corrects(setup):
    portfolio, coordinator = setup
    headers = [*DECISION_HEADERS, "Rättelse"]
    decisions = [
        [*DECISIONS[1], None],
        # The G0 approval is corrected to a return; the stage goes back to Idé ...
        ["GML-1", "G0", "Återremitterad", None, dt.date(2023, 3, 20), None, "§ 14", None, "Ja"],
        # ... and a new G0 approval follows before G1.
        ["GML-1", "G0", "Godkänd", None, dt.date(2023, 4, 10), None, "§ 19", None, None],
        [*DECISIONS[0], None],
        [*DECISIONS[2], None],
    ]
    workbook = load_workbook(io.BytesIO(book()))
    sheet = workbook["Beslut"]
    sheet.delete_rows(1, sheet.max_row)
    sheet.append(headers)
    for row in decisions:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()

    portfolio_import(actor=coordinator, portfolio=portfolio, content=content)
    archive = Initiative.objects.get(imported_reference="GML-1")
    assert archive.stage == "projekt"
    first, correction, _again, _g1 = archive.decisions.order_by("decided_on")
    assert correction.corrects == first and correction.stage_after == "ide"
    assert not portfolio_preview(
        actor=coordinator, portfolio=portfolio, content=content
    ).changes_anything

    exported = portfolio_workbook_bytes(Initiative.objects.filter(portfolio=portfolio))
    empty = factories.portfolio(group=portfolio.constellation)
    program = factories.program(empty)
    program.name = "Effektiv kommun"
    program.save()
    portfolio_import(actor=coordinator, portfolio=empty, content=exported)
    second = portfolio_workbook_bytes(Initiative.objects.filter(portfolio=empty))
    assert _content(second) == _content(exported)

    # A correction of a decision the initiative has moved on from is refused.
    late = [
        *decisions,
        ["GML-1", "G0", "Avslagen", None, dt.date(2024, 1, 5), None, None, None, "Ja"],
    ]
    sheet.delete_rows(1, sheet.max_row)
    sheet.append(headers)
    for row in late:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    refused = portfolio_preview(actor=coordinator, portfolio=portfolio, content=buffer.getvalue())
    assert "det kan inte längre rättas" in _errors(refused)


def test_3n_and_late_implementation_move_in_and_3n_needs_an_implemented_solution(setup):
    portfolio, coordinator = setup
    headers = [*INITIATIVE_HEADERS, "Ny (3N)", "Nyttig (3N)", "Nyttiggjord (3N)"]
    initiatives = [
        [*INITIATIVES[0], "Ja", "Ja", None],  # implemented in Vänersborg (1461)
        [*INITIATIVES[1], "Ja", None, None],  # an idea: nothing implemented
        [*INITIATIVES[2], None, None, None],
    ]
    participation = [[*row, None, None] for row in PARTICIPATION]
    participation[2][-1] = "Ja"
    workbook = load_workbook(io.BytesIO(book()))
    for title, head, rows in (
        ("Initiativ", headers, initiatives),
        (
            "Deltagande",
            [*PARTICIPATION_HEADERS, "Avstår implementering", "Implementerade i efterhand"],
            participation,
        ),
    ):
        sheet = workbook[title]
        sheet.delete_rows(1, sheet.max_row)
        sheet.append(head)
        for row in rows:
            sheet.append(row)

    def content():
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    refused = portfolio_preview(actor=coordinator, portfolio=portfolio, content=content())
    assert "Initiativ rad 3" in refused.errors_by_place()
    assert "3N bedöms först när lösningen är implementerad" in _errors(refused)

    workbook["Initiativ"]["J3"] = None
    portfolio_import(actor=coordinator, portfolio=portfolio, content=content())
    archive = Initiative.objects.get(imported_reference="GML-1")
    assert (archive.is_new, archive.is_useful, archive.is_used) == (True, True, False)
    assert archive.participations.get(municipality__code="1461").is_late_implementer
    again = portfolio_preview(actor=coordinator, portfolio=portfolio, content=content())
    assert again.is_valid and not again.changes_anything, _errors(again)
