"""Importing initiatives from Excel: preview, all-or-nothing apply, idempotency, round trip."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from portfolio.excel.exports import initiatives_workbook_bytes
from portfolio.excel.importer import initiatives_import, initiatives_preview
from portfolio.excel.preview import ImportRefused
from portfolio.models import HistoryEntry, Initiative
from portfolio.services.errors import NotAllowedError
from portfolio.services.initiatives import initiative_create
from tests import factories

pytestmark = pytest.mark.django_db

HEADERS = [
    "Initiativnummer",
    "Titel",
    "Program",
    "Föreslagen av kommun",
    "Område",
    "Målgrupp",
    "Samverkansnivå (1–5)",
    "Planerad start",
    "Planerat slut",
]


def xlsx(rows, headers=HEADERS, title="Initiativ") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
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
    return portfolio, program, coordinator


GOOD_ROWS = [
    [
        None,
        "Gemensam e-arkivtjänst",
        "Effektiv kommun",
        "Åmål",
        "Insida",
        "Medarbetare",
        3,
        dt.date(2026, 2, 1),
        "2026-12-31",
    ],
    [None, "Digital bokning av lokaler", "", "1460", "utsida", "Invånare", "2", None, None],
]


def test_a_good_file_is_previewed_without_writing_and_then_created(setup):
    portfolio, program, coordinator = setup
    content = xlsx(GOOD_ROWS)

    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=content)
    assert preview.is_valid, preview.as_dict()
    assert preview.counts["create"] == 2
    assert Initiative.objects.count() == 0

    result = initiatives_import(actor=coordinator, portfolio=portfolio, content=content)
    assert (result.created, result.updated) == (2, 0)
    archive = Initiative.objects.get(title="Gemensam e-arkivtjänst")
    assert archive.program == program
    assert archive.proposing_municipality.name == "Åmål"
    assert (archive.area, archive.target_group, archive.collaboration_level) == (
        "insida",
        "medarbetare",
        3,
    )
    assert archive.planned_start == dt.date(2026, 2, 1)
    assert archive.planned_end == dt.date(2026, 12, 31)
    assert archive.reference.startswith(portfolio.reference_prefix)
    booking = Initiative.objects.get(title="Digital bokning av lokaler")
    assert booking.proposing_municipality.code == "1460" and booking.program is None
    assert HistoryEntry.objects.filter(action="created", actor=coordinator).count() == 2


def test_errors_are_reported_per_row_and_column_in_swedish(setup):
    portfolio, _program, coordinator = setup
    content = xlsx(
        [
            GOOD_ROWS[0],
            [None, "", "Effektiv kommun", "Åmål", "", "", None, None, None],
            [None, "Okänd kommun", "", "Gotham", "", "", None, None, None],
            [None, "Okänt program", "Finns inte", "Åmål", "", "", None, None, None],
            [None, "Fel datum", "", "Åmål", "", "", None, "nästa vår", None],
            [None, "Fel nivå", "", "Åmål", "Mittemellan", "", 9, None, None],
            [None, "Utanför", "", "Skara", "", "", None, None, None],
            [None, "Baklänges", "", "Åmål", "", "", None, "2026-05-01", "2026-01-01"],
        ]
    )
    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=content)
    assert not preview.is_valid
    by_row = {row.number: row for row in preview.rows}
    assert not by_row[2].has_errors
    assert by_row[3].errors["Titel"] == ["Titel saknas."]
    assert "Kommunen ”Gotham” finns inte" in by_row[4].errors["Föreslagen av kommun"][0]
    assert "Programmet ”Finns inte” finns inte i portföljen" in by_row[5].errors["Program"][0]
    assert "”nästa vår” är inte ett datum" in by_row[6].errors["Planerad start"][0]
    assert "Tillåtna värden: Utsida, Insida, IT-fabrik" in by_row[7].errors["Område"][0]
    assert "1–5" in by_row[7].errors["Samverkansnivå (1–5)"][0]
    assert (
        "ingår inte i portföljens samverkanskonstellation"
        in (by_row[8].errors["Föreslagen av kommun"][0])
    )
    assert by_row[9].errors["Planerat slut"] == [
        "Planerat slut kan inte ligga före planerad start."
    ]
    assert preview.counts["error"] == 7


def test_a_bad_file_writes_nothing_even_after_good_rows(setup):
    portfolio, _program, coordinator = setup
    existing = initiative_create(actor=coordinator, portfolio=portfolio, title="Redan här")
    history = HistoryEntry.objects.count()
    content = xlsx(
        [
            GOOD_ROWS[0],
            [existing.reference, "Nytt namn", "", "Bengtsfors", "", "", None, None, None],
            [None, "Trasig", "", "Bengtsfors", "", "", None, "31/31/2026", None],
        ]
    )
    with pytest.raises(ImportRefused) as refused:
        initiatives_import(actor=coordinator, portfolio=portfolio, content=content)
    assert refused.value.preview.rows[2].has_errors
    assert list(Initiative.objects.values_list("title", flat=True)) == ["Redan här"]
    assert HistoryEntry.objects.count() == history


def test_importing_the_same_file_twice_changes_nothing(setup):
    portfolio, _program, coordinator = setup
    content = xlsx(GOOD_ROWS)
    initiatives_import(actor=coordinator, portfolio=portfolio, content=content)
    snapshot = list(Initiative.objects.order_by("id").values())
    history = HistoryEntry.objects.count()

    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=content)
    assert preview.counts["unchanged"] == 2 and not preview.changes_anything
    result = initiatives_import(actor=coordinator, portfolio=portfolio, content=content)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert list(Initiative.objects.order_by("id").values()) == snapshot
    assert HistoryEntry.objects.count() == history


def test_an_exported_file_reimports_unchanged_and_edits_update_by_reference(setup):
    portfolio, _program, coordinator = setup
    initiatives_import(actor=coordinator, portfolio=portfolio, content=xlsx(GOOD_ROWS))
    exported = initiatives_workbook_bytes(Initiative.objects.filter(portfolio=portfolio))

    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=exported)
    assert preview.is_valid and preview.counts["unchanged"] == 2, preview.as_dict()

    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook.active
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("Titel") + 1, value="Gemensamt e-arkiv")
    sheet.cell(row=2, column=headers.index("Planerat slut") + 1, value=dt.date(2027, 6, 30))
    buffer = io.BytesIO()
    workbook.save(buffer)
    reference = sheet.cell(row=2, column=1).value

    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=buffer.getvalue())
    changed = [row for row in preview.rows if row.final_action == "update"]
    assert len(changed) == 1
    assert changed[0].changes["Titel"] == ("Gemensam e-arkivtjänst", "Gemensamt e-arkiv")
    assert changed[0].changes["Planerat slut"] == ("2026-12-31", "2027-06-30")

    result = initiatives_import(actor=coordinator, portfolio=portfolio, content=buffer.getvalue())
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    updated = Initiative.objects.get(reference=reference)
    assert (updated.title, updated.planned_end) == ("Gemensamt e-arkiv", dt.date(2027, 6, 30))
    assert HistoryEntry.objects.filter(action="updated", actor=coordinator).count() == 1


def _data_rows(content: bytes, skip=("Initiativnummer", "Inlämnad")):
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    keep = [i for i, h in enumerate(rows[0]) if h not in skip]
    return [[row[i] for i in keep] for row in rows]


def _without_numbers(content: bytes) -> bytes:
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.value = None
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_export_imported_into_another_portfolio_round_trips_to_identical_data(setup):
    portfolio, program, coordinator = setup
    owner = factories.user("1492", Role.INITIATIVE_OWNER, username="agare.amal")
    initiative_create(
        actor=coordinator,
        portfolio=portfolio,
        title="Gemensam växel",
        program=program,
        proposing_municipality=factories.municipality("1492"),
        owner=owner,
        need="Sex växlar\nblir en.",
        expected_benefit="Lägre kostnad",
        area="it_fabrik",
        target_group="bada",
        collaboration_level=5,
        planned_start=dt.date(2026, 1, 15),
        planned_end=dt.date(2027, 1, 14),
        registration_number="KS 2026/12",
        security_classification="mattlig",
        operation_owner="IT-chefen i Åmål",
    )
    initiatives_import(actor=coordinator, portfolio=portfolio, content=xlsx(GOOD_ROWS))
    exported = initiatives_workbook_bytes(Initiative.objects.filter(portfolio=portfolio))

    other = factories.portfolio(group=portfolio.constellation)
    other_program = factories.program(other)
    other_program.name = "Effektiv kommun"
    other_program.save()
    # Another portfolio's numbers are unknown here, so each is an error ...
    refused = initiatives_preview(actor=coordinator, portfolio=other, content=exported)
    assert refused.count("error") == 3 and refused.count("create") == 0
    # ... and rows without a number are new initiatives.
    result = initiatives_import(
        actor=coordinator, portfolio=other, content=_without_numbers(exported)
    )
    assert result.created == 3
    again = initiatives_workbook_bytes(Initiative.objects.filter(portfolio=other))
    assert _data_rows(again) == _data_rows(exported)


def test_only_programledare_and_samordnare_of_the_constellation_may_import(setup):
    portfolio, _program, _coordinator = setup
    content = xlsx(GOOD_ROWS)
    it_chef = factories.user("1460", Role.IT_MANAGER)
    outsider = factories.user("1495", Role.COORDINATOR)  # Skara: not in the constellation
    for user in (it_chef, outsider):
        with pytest.raises(NotAllowedError):
            initiatives_preview(actor=user, portfolio=portfolio, content=content)
    manager = factories.user("1460", Role.PROGRAM_MANAGER)
    assert initiatives_preview(actor=manager, portfolio=portfolio, content=content).is_valid


def test_a_row_without_number_matches_a_unique_title_so_old_lists_do_not_duplicate(setup):
    portfolio, _program, coordinator = setup
    existing = initiative_create(
        actor=coordinator, portfolio=portfolio, title="Digital bokning av lokaler"
    )
    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=xlsx(GOOD_ROWS))
    booking = preview.rows[1]
    assert booking.target == existing and booking.final_action == "update"
    assert any(existing.reference in w for w in booking.warnings)


def test_the_same_initiative_twice_in_one_file_is_an_error(setup):
    portfolio, _program, coordinator = setup
    existing = initiative_create(actor=coordinator, portfolio=portfolio, title="En")
    row = [existing.reference, "En", "", "Bengtsfors", "", "", None, None, None]
    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=xlsx([row, row]))
    assert "samma initiativ" in preview.rows[1].errors[""][0]


def test_a_missing_title_column_is_a_file_error(setup):
    portfolio, _program, coordinator = setup
    content = xlsx([["Åmål"]], headers=["Föreslagen av kommun"])
    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=content)
    assert preview.file_errors == [
        "Kolumnen ”Titel” saknas. Ladda ner mallen för att se kolumnerna."
    ]


def test_unknown_columns_are_named_and_ignored(setup):
    portfolio, _program, coordinator = setup
    content = xlsx([["Ett", "x"]], headers=["Titel", "Kommentar"])
    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=content)
    assert preview.is_valid
    assert preview.warnings == ["Kolumnen ”Kommentar” känns inte igen och läses inte."]


def test_the_demo_portfolio_exports_and_reimports_unchanged(demo):
    from accounts.models import User
    from portfolio.excel.entries_import import entries_preview
    from portfolio.excel.exports import entries_workbook_bytes
    from portfolio.models import Portfolio

    portfolio = Portfolio.objects.get(reference_prefix="DAL")
    coordinator = User.objects.get(username="samordnare")
    initiatives = Initiative.objects.filter(portfolio=portfolio)
    exported = initiatives_workbook_bytes(initiatives)
    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=exported)
    assert preview.is_valid, [r.errors for r in preview.rows if r.errors]
    assert preview.counts["unchanged"] == initiatives.count()

    entries = entries_workbook_bytes(initiatives)
    for kind in ("costs", "time"):
        preview = entries_preview(
            actor=coordinator, portfolio=portfolio, kind=kind, content=entries
        )
        assert preview.rows and not preview.file_errors, kind
        assert not preview.changes_anything and not preview.row_error_count, kind


def test_an_unknown_initiative_number_is_an_error_never_a_new_initiative(setup):
    portfolio, _program, coordinator = setup
    unknown = f"{portfolio.reference_prefix}-999"
    rows = [[unknown, "Gemensam e-arkivtjänst", "", "1460", "insida", "Medarbetare", 3]]
    content = xlsx([row + [None, None] for row in rows])
    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=content)
    [row] = preview.rows
    assert row.final_action == "error"
    assert f"Initiativnumret {unknown} finns inte i portföljen" in row.errors["Initiativnummer"][0]
    with pytest.raises(ImportRefused):
        initiatives_import(actor=coordinator, portfolio=portfolio, content=content)
    assert not Initiative.objects.filter(portfolio=portfolio).exists()


def test_the_preview_says_why_the_stage_and_the_sums_are_not_imported(setup):
    portfolio, _program, coordinator = setup
    headers = [*HEADERS, "Steg", "Utveckling, estimat (kr)"]
    content = xlsx(
        [
            [
                None,
                "Gemensam e-arkivtjänst",
                "",
                "1460",
                "insida",
                "Medarbetare",
                3,
                None,
                None,
                "Projekt",
                500000,
            ]
        ],
        headers=headers,
    )
    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=content)
    text = " ".join(preview.warnings)
    assert "Kolumnen ”Steg” läses inte: ett initiativs steg ändras bara genom beslut" in text
    assert "Kolumnen ”Utveckling, estimat (kr)” läses inte: summan räknas fram" in text


def test_a_number_of_another_portfolio_is_an_error_never_a_new_initiative(setup):
    portfolio, _program, coordinator = setup
    rows = [["XYZ-999", "Gemensam e-arkivtjänst", "", "1460", "insida", "Medarbetare", 3]]
    content = xlsx([row + [None, None] for row in rows])
    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=content)
    [row] = preview.rows
    assert row.final_action == "error"
    assert "Initiativnumret XYZ-999 finns inte i portföljen" in row.errors["Initiativnummer"][0]
    with pytest.raises(ImportRefused):
        initiatives_import(actor=coordinator, portfolio=portfolio, content=content)
    assert not Initiative.objects.filter(portfolio=portfolio).exists()


STAGE_HEADERS = [*HEADERS, "Steg"]


def test_a_new_row_marked_projekt_or_forvaltning_is_an_error_not_an_idea(setup):
    portfolio, _program, coordinator = setup
    base = [None, "Gemensam e-arkivtjänst", "", "1460", "insida", "Medarbetare", 3, None, None]
    rows = [
        base + ["Projekt"],
        [*base[:1], "Lönesystem", *base[2:], "Förvaltning"],
        [*base[:1], "Ny idé", *base[2:], "Idé"],
        [*base[:1], "Utan steg", *base[2:], None],
        [*base[:1], "Påhittat", *base[2:], "Klar"],
    ]
    content = xlsx(rows, headers=STAGE_HEADERS)
    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=content)
    actions = [row.final_action for row in preview.rows]
    assert actions == ["error", "error", "create", "create", "error"]
    message = preview.rows[0].errors["Steg"][0]
    assert "Steget Projekt kan inte importeras" in message and "bladet Beslut" in message
    assert "Steget Förvaltning kan inte importeras" in preview.rows[1].errors["Steg"][0]
    assert "”Klar” är inget giltigt värde" in preview.rows[4].errors["Steg"][0]
    with pytest.raises(ImportRefused):
        initiatives_import(actor=coordinator, portfolio=portfolio, content=content)
    assert not Initiative.objects.filter(portfolio=portfolio).exists()


def test_an_existing_row_whose_stage_differs_from_its_decisions_is_an_error(setup):
    portfolio, _program, coordinator = setup
    existing = initiative_create(actor=coordinator, portfolio=portfolio, title="En")
    row = [existing.reference, "En", "", "Bengtsfors", "", "", None, None, None]
    content = xlsx([row + ["Förstudie"]], headers=STAGE_HEADERS)
    preview = initiatives_preview(actor=coordinator, portfolio=portfolio, content=content)
    [checked] = preview.rows
    assert f"{existing.reference} står i steget Idé, inte Förstudie" in checked.errors["Steg"][0]
    same = initiatives_preview(
        actor=coordinator, portfolio=portfolio, content=xlsx([row + ["Idé"]], headers=STAGE_HEADERS)
    )
    assert same.is_valid and same.counts["unchanged"] == 1
