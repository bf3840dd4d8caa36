"""What the PDFs say: headings, municipalities and amounts, Swedish formats, safety."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pdf_pages
import pytest
from pypdf import PdfReader

from municipalities.models import Municipality
from portfolio.models import GateDecision, Initiative, Portfolio
from portfolio.periods import parse_period
from portfolio.selectors.economy import municipality_economy, portfolio_economy
from reports import rendering, sources
from samverkan.formatting import kr, percent

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
PERIOD = parse_period("2026H1")
HOSTILE_TITLE = 'Hot <img src="file:///etc/passwd"> titel'
HOSTILE_NEED = (
    '<a href="http://169.254.169.254/latest/meta-data/">metadata</a>'
    '<link rel="stylesheet" href="file:///etc/passwd">'
    "<style>@import url(http://169.254.169.254/x.css);</style>"
    '<svg><image href="file:///etc/passwd"/></svg>'
)


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def first_page_png(content: bytes, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(content)
    return pdf_pages.first_page_png(content, ARTIFACTS / f"{name}.png")


def assert_tagged(content: bytes, title_start: str):
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title.startswith(title_start)


@pytest.fixture
def dal(demo):
    return Portfolio.objects.get(reference_prefix="DAL")


def test_board_report_shows_the_economy_exactly(dal):
    fetcher = rendering.StaticOnlyFetcher()
    content = rendering.render_board_report(dal, PERIOD, fetcher=fetcher)
    text = text_of(content)
    for heading in (
        "Portföljrapport Digitalisering Dalsland",
        "Sammanfattning",
        "Program och initiativ",
        "Beslut under perioden",
        "Ärenden till nästa möte",
        "Kostnader mot budget",
        "Fördelning och netto per kommun",
        "Uppföljning (indikatorer)",
        "Diagram",
        "Diarienummer",
    ):
        assert heading in text, heading
    economy = portfolio_economy(dal, PERIOD)
    assert economy.rows
    lines = text.splitlines()
    for row in economy.rows:
        line = next(line for line in lines if line.startswith(row.name + " "))
        assert kr(row.allocated) in line and kr(row.net) in line, line
    assert "Effektiv kommun" in text and "Omvårdnad Dalsland" in text
    assert re.search(r"Sida 1 av \d+", text)
    assert fetcher.requested == ["samverkan-static:reports/document.css"]
    assert_tagged(content, "Portföljrapport Digitalisering Dalsland 2026H1")
    assert first_page_png(content, "portfoljrapport").stat().st_size > 1000


def test_decision_memo_follows_the_arboga_format(dal):
    initiative = Initiative.objects.get(reference="DAL-2")
    content = rendering.render_decision_memo(initiative, "G1")
    text = text_of(content)
    headings = [
        "Avsändare",
        "Mottagare",
        "Datum",
        "Diarienummer",
        "Förslag till beslut",
        "Sammanfattning",
        "Ärendet",
        "Ekonomiska konsekvenser",
        "Barnkonsekvensanalys",
        "Uppföljning",
        "Beslutsunderlag",
    ]
    lines = [line.strip() for line in text.splitlines()]
    positions = [
        next(i for i, line in enumerate(lines) if line == h or line.startswith(h + " "))
        for h in headings
    ]
    assert positions == sorted(positions)
    assert "Portföljstyrgruppen föreslås besluta att" in text
    assert "KS 2025/102" in text
    assert "Ingen barnkonsekvensanalys har gjorts." in text
    import django.utils.timezone as tz

    rows = sources.allocation_for(initiative, 320_000, tz.localdate())
    assert [r.name for r in rows] == ["Bengtsfors", "Färgelanda", "Mellerud", "Vänersborg", "Åmål"]
    assert sum(r.amount for r in rows) == 320_000
    lines = text.splitlines()
    for row in rows:
        line = next(line for line in lines if line.startswith(row.name + " "))
        assert kr(row.amount) in line, line
        # Shares are rounded so that the printed ones add up to 100,00 %.
        printed = Decimal(re.search(r"(\d+,\d\d) %", line).group(1).replace(",", "."))
        exact = Decimal(row.share.numerator) / Decimal(row.share.denominator) * 100
        assert abs(printed - exact) < Decimal("0.01"), line
    assert "320 000 kr" in text
    assert_tagged(content, "Beslutsunderlag DAL-2")
    first_page_png(content, "beslutsunderlag")


def test_decision_memo_after_the_decision_is_written_as_the_decision(dal):
    initiative = Initiative.objects.get(reference="DAL-1")
    decision = GateDecision.objects.get(initiative=initiative, kind="G1")
    Initiative.objects.filter(pk=initiative.pk).update(child_impact_analysis="Barn berörs inte.")
    text = " ".join(text_of(rendering.render_decision_memo(initiative, "G1", decision)).split())
    assert f"Portföljstyrgruppen beslutade {decision.decided_on.isoformat()}" in text
    assert "godkänna att DAL-1 Gemensam IT-fabrik går vidare från Förstudie till Projekt" in text
    assert "föreslås" not in text
    assert "Barn berörs inte." in text
    assert "Ingen barnkonsekvensanalys" not in text


def test_municipality_report_shows_its_rows(dal):
    bengtsfors = Municipality.objects.get(code="1460")
    content = rendering.render_municipality_report(bengtsfors, PERIOD)
    text = text_of(content)
    assert "Kommunrapport Bengtsfors" in text
    for economy in municipality_economy(bengtsfors, PERIOD):
        row = economy.row_for("1460")
        name = Portfolio.objects.get(pk=economy.portfolio_id).name
        # The name may wrap in the narrow first column: read the row as one line.
        flowing = " ".join(text.split())
        start = flowing.index(f"{name} {kr(row.allocated)} ")
        assert kr(row.net) in flowing[start : flowing.index("Summa", start)]
    assert "DAL-1 Gemensam IT-fabrik" in text
    assert_tagged(content, "Kommunrapport Bengtsfors")
    first_page_png(content, "kommunrapport")


def test_hostile_text_is_printed_not_fetched(dal, monkeypatch):
    initiative = Initiative.objects.get(reference="DAL-2")
    Initiative.objects.filter(pk=initiative.pk).update(
        title=HOSTILE_TITLE, need=HOSTILE_NEED, child_impact_analysis=HOSTILE_NEED
    )
    opened = []
    real_urlopen = __import__("urllib.request").request.urlopen
    monkeypatch.setattr(
        "urllib.request.urlopen", lambda *a, **k: opened.append(a) or real_urlopen(*a, **k)
    )
    for render in (
        lambda f: rendering.render_decision_memo(initiative, "G1", fetcher=f),
        lambda f: rendering.render_board_report(dal, PERIOD, fetcher=f),
    ):
        fetcher = rendering.StaticOnlyFetcher()
        content = render(fetcher)
        assert all(u.startswith("samverkan-static:") for u in fetcher.requested), fetcher.requested
        assert fetcher.refused == []
        text = text_of(content)
        assert "root:x:0:0" not in text
        assert b"root:x:0" not in content
        assert "file:///etc/passwd" in "".join(text.split())  # shown as text, never followed
    assert opened == []
    assert "169.254.169.254" in text_of(rendering.render_decision_memo(initiative, "G1"))


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidirectional_controls_in_user_text_do_not_reach_the_pdf(dal):
    initiative = Initiative.objects.get(reference="DAL-2")
    Initiative.objects.filter(pk=initiative.pk).update(
        title="Bild \u202egnp.exe", need="Behov \u2067dolt\u2069 och \u200fmärkt\u202a slut\u202c"
    )
    for content in (
        rendering.render_decision_memo(initiative, "G1"),
        rendering.render_board_report(dal, PERIOD),
    ):
        text = text_of(content)
        assert "Bild gnp.exe" in text  # in the order it was typed, not shown as "exe.png"
        assert not set(BIDI_CONTROLS) & set(text)
        assert not set(BIDI_CONTROLS) & set(PdfReader(io.BytesIO(content)).metadata.title)
    memo = text_of(rendering.render_decision_memo(initiative, "G1"))
    assert "Behov dolt och märkt slut" in " ".join(memo.split())


def test_fetcher_refuses_everything_but_static_and_data():
    fetcher = rendering.StaticOnlyFetcher()
    for url in (
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        "ftp://example.org/x",
        "samverkan-static:../../etc/passwd",
        "samverkan-static:reports/../../../../etc/passwd",
        "samverkan-static:nonexistent.css",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hej").read() == b"hej"
    assert b"@page" in fetcher.fetch("samverkan-static:reports/document.css").read()


def test_swedish_formats():
    assert kr(1_999_899) == "1 999 899 kr"
    assert kr(-12_000) == "-12 000 kr"
    from fractions import Fraction

    assert percent(Fraction(1, 8)) == "12,5 %"


def test_board_report_names_only_the_exceptions_and_stays_short(dal):
    """Counts for every initiative, names only for those that need the board, at most a
    fixed number per program: more initiatives leave the page count unchanged."""
    import datetime as dt

    from accounts.models import User
    from portfolio.services.status import status_update_create
    from reports.selectors_board import PROGRAM_EXCEPTIONS_CAP
    from tests import factories

    coordinator = User.objects.get(username="samordnare")
    big = factories.program(dal)
    numbers = iter(range(9000, 10000))

    def add(count: int, health: str | None, title: str) -> list[Initiative]:
        made = [
            factories.initiative(dal, big, title=f"{title} {n}", reference=f"DAL-{next(numbers)}")
            for n in range(count)
        ]
        for initiative in made:  # submitted in the period: the report is as of its end
            factories.submitted_on(initiative, dt.date(2026, 2, 2))
        for initiative in made if health else []:
            status_update_create(
                actor=coordinator,
                initiative=initiative,
                reported_on=dt.date(2026, 3, 2),
                health_time=health,
                health_cost="gron",
                health_quality="gron",
                progress=10,
            )
        return made

    red = add(PROGRAM_EXCEPTIONS_CAP + 8, "rod", "Röd")
    green = add(5, "gron", "Grön")
    first = rendering.render_board_report(dal, PERIOD)
    text = " ".join(text_of(first).split())
    assert f"{big.name}: {PROGRAM_EXCEPTIONS_CAP + 8} initiativ som behöver uppmärksamhet" in text
    named = [i for i in red if f"{i.reference} {i.title} " in text]
    assert len(named) == PROGRAM_EXCEPTIONS_CAP
    assert "och 8 initiativ till — se Excel-exporten av initiativlistan" in text
    assert not [i for i in green if f"{i.reference} " in text]  # counted, not named

    add(60, "rod", "Fler")
    add(60, None, "Idé")
    second = rendering.render_board_report(dal, PERIOD)
    text = " ".join(text_of(second).split())
    assert "och 68 initiativ till — se Excel-exporten av initiativlistan" in text
    pages = len(PdfReader(io.BytesIO(second)).pages)
    assert pages == len(PdfReader(io.BytesIO(first)).pages)
    assert pages <= 20
