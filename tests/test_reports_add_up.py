"""Reports that add up: every printed total is the sum of its printed parts, and
every net says in words whether the municipality pays or gets money back.

The documents are read as their readers read them: the HTML that goes to WeasyPrint,
parsed table by table, amounts taken from the printed text.
"""

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portfolio.choices import Gate, ParticipationStatus, Stage
from portfolio.models import Participation, Portfolio
from portfolio.periods import parse_period
from portfolio.selectors.economy import municipality_economy
from portfolio.selectors.economy_types import net_wording
from portfolio.selectors.portfolio_cache import portfolio_changed
from reports import selectors, selectors_board

LATE_JOIN = dt.date(2026, 2, 1)
PERIODS = [parse_period(label) for label in ("2025H2", "2026H1", "2026H2")]
PAYS, RECEIVES, EVEN = "att betala", "att få tillbaka", "varken att betala eller att få tillbaka"


class Tables(HTMLParser):
    """Each <table> as {"head": [...], "body": [[...]], "foot": [[...]]} of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self._section, self._row, self._cell = [], "body", None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"head": [], "body": [], "foot": []})
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = {"thead": "head", "tbody": "body", "tfoot": "foot"}[tag]
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            span = int(dict(attrs).get("colspan") or 1)
            self._row.extend([""] * (span - 1))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1][self._section].append(self._row)
            self._row = None
        elif tag in ("thead", "tfoot"):
            self._section = "body"

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables_of(template: str, context: dict) -> list[dict]:
    with translation.override("sv"):
        page = render_to_string(template, context)
    parser = Tables()
    parser.feed(page)
    for table in parser.tables:
        table["columns"] = table["head"][0] if table["head"] else []
    return parser.tables


def kr(text: str) -> int:
    match = re.fullmatch(r"(-?[\d ]+) kr", text.replace("\u00a0", " "))
    assert match, f"not an amount: {text!r}"
    return int(match.group(1).replace(" ", ""))


def decimal(text: str) -> Decimal:
    return Decimal(text.replace(" ", "").replace(",", "."))


def column(table, label) -> int:
    return table["columns"].index(label)


def check_economy_table(table) -> int:
    """Each net is its printed parts with its words; each total the sum of its column."""
    c = {name: column(table, name) for name in table["columns"]}
    parts = {
        "Andel av kostnaderna (+)": 1,
        "Insatsmedel (+)": 1,
        "Kreditering (−)": -1,
        "Betalt (−)": -1,
        "Värde av tid (−)": -1,
    }
    rows = [row for row in table["body"] if row[c["Netto"]]]
    for row in rows + table["foot"]:
        net = kr(row[c["Netto"]])
        assert net == sum(sign * kr(row[c[name]]) for name, sign in parts.items()), row
        if row in rows or row[c["Innebär"]]:
            assert row[c["Innebär"]] == (PAYS if net > 0 else RECEIVES if net < 0 else EVEN)
    for foot in table["foot"]:
        for name in [*parts, "Netto"]:
            assert kr(foot[c[name]]) == sum(kr(row[c[name]]) for row in rows), name
        hours = c["Timmar"]
        assert decimal(foot[hours]) == sum(decimal(row[hours]) for row in rows)
    return sum(kr(row[c["Insatsmedel (+)"]]) + kr(row[c["Kreditering (−)"]]) for row in rows)


@pytest.fixture
def dal(demo):
    """The Dalsland demo portfolio with a late joiner in 2026H1, so that buy-ins and
    credits are printed (the demo's participants all joined on the same day)."""
    portfolio = Portfolio.objects.select_related("constellation").get(reference_prefix="DAL")
    initiative = next(
        i
        for i in portfolio.initiatives.filter(stage=Stage.PROJECT).order_by("reference")
        if portfolio.constellation.members.exclude(
            participations__initiative=i, participations__status=ParticipationStatus.PARTICIPATING
        ).exists()
    )
    joiner = portfolio.constellation.members.exclude(
        participations__initiative=initiative,
        participations__status=ParticipationStatus.PARTICIPATING,
    ).first()
    Participation.objects.update_or_create(
        initiative=initiative,
        municipality=joiner,
        defaults={"status": ParticipationStatus.PARTICIPATING, "joined_on": LATE_JOIN},
    )
    portfolio_changed(portfolio.pk)
    return portfolio


def test_net_wording_is_one_rule():
    assert (net_wording(1), net_wording(-1), net_wording(0)) == (PAYS, RECEIVES, EVEN)


def test_every_municipality_report_of_the_constellation_adds_up(dal):
    buy_ins_seen = 0
    for municipality in dal.constellation.members.order_by("code"):
        for period in PERIODS:
            context = selectors.municipality_report_data(municipality, period)
            tables = tables_of("reports/municipality_report.html", context)
            summary = next(t for t in tables if "Netto" in t["columns"])
            buy_ins_seen += check_economy_table(summary)
            # The printed figures are the economy's own, buy-in included.
            printed = {row[0]: row for row in summary["body"]}
            for economy in municipality_economy(municipality, period):
                row = economy.row_for(municipality.code)
                if row is None:
                    continue
                line = printed[economy.scope_name]
                assert kr(line[column(summary, "Netto")]) == row.net
                assert kr(line[column(summary, "Insatsmedel (+)")]) == row.buy_in_charged
                assert kr(line[column(summary, "Kreditering (−)")]) == row.buy_in_credited
    # The demo has late joiners: the check above has met buy-ins and credits.
    assert buy_ins_seen > 0


def test_the_municipality_report_says_in_words_what_the_total_net_means(dal):
    for municipality in dal.constellation.members.all():
        context = selectors.municipality_report_data(municipality, PERIODS[1])
        with translation.override("sv"):
            page = " ".join(render_to_string("reports/municipality_report.html", context).split())
        net = context["totals"]["net"]
        amount = f"{abs(net):,}".replace(",", " ")
        assert f"Sammanlagt har kommunen {amount} kr {net_wording(net)} för perioden." in page


def test_the_board_report_adds_up(dal):
    buy_ins_seen = 0
    for period in PERIODS:
        with translation.override("sv"):
            context = selectors_board.board_report_data(dal, period)
        tables = tables_of("reports/board_report.html", context)
        economy = next(t for t in tables if "Netto" in t["columns"])
        buy_ins_seen += check_economy_table(economy)
        assert len(economy["body"]) == len(dal.constellation.members.all())
        for table in tables:
            if table["columns"] and table["columns"][-1] == "Summa":
                for row in table["body"]:
                    *counts, total = [int(cell.replace(" ", "")) for cell in row[1:]]
                    assert sum(counts) == total, row
            if "Kvar" in table["columns"]:
                c = {name: column(table, name) for name in table["columns"]}
                for row in table["body"]:
                    if len(row) == len(c):
                        assert kr(row[c["Kvar"]]) == kr(row[c["Budget"]]) - kr(row[c["Utfall"]])
    assert buy_ins_seen > 0


def test_every_decision_memo_of_the_portfolio_adds_up(dal):
    memos = 0
    for initiative in dal.initiatives.all():
        for gate in Gate.values:
            with translation.override("sv"):
                context = selectors.decision_memo_data(initiative, gate, None)
            for table in tables_of("reports/decision_memo.html", context):
                if "Utveckling" not in table["columns"]:
                    continue
                memos += 1
                c = {name: column(table, name) for name in table["columns"]}
                (foot,) = table["foot"]
                for name in ("Utveckling", "Drift per år"):
                    assert kr(foot[c[name]]) == sum(kr(row[c[name]]) for row in table["body"])
                shares = [decimal(row[c["Andel"]].removesuffix(" %")) for row in table["body"]]
                assert sum(shares) == decimal(foot[c["Andel"]].removesuffix(" %")) == 100
    assert memos > 0


def test_the_economy_page_says_the_same_words_and_adds_up(dal, client):
    import factories

    from accounts.models import Role

    client.force_login(factories.user("1460", Role.DIRECTOR))
    period = PERIODS[1]
    response = client.get(
        reverse("portfolio:economy-portfolio", args=[dal.pk]), {"period": period.label}
    )
    assert response.status_code == 200
    parser = Tables()
    parser.feed(response.content.decode())
    (table,) = [t for t in parser.tables if t["head"] and "Netto" in t["head"][0]]
    c = {name: i for i, name in enumerate(table["head"][0])}
    rows = table["body"]
    assert rows
    for row in rows:
        net_text, _, words = row[c["Netto"]].partition(" kr ")
        net = kr(net_text + " kr")
        assert words == f"({net_wording(net)})"
    (foot,) = table["foot"]
    for name in ("Andel av kostnaderna", "Betalat", "Insatsmedel (+)", "Kreditering (−)"):
        assert kr(foot[c[name]]) == sum(kr(row[c[name]]) for row in rows), name


def test_buy_ins_and_credits_are_kept_apart_and_old_snapshots_read(dal):
    from portfolio.selectors.economy import portfolio_economy
    from portfolio.selectors.economy_types import EconomyRow

    rows = portfolio_economy(dal, PERIODS[1]).rows
    assert any(r.buy_in_charged for r in rows) and any(r.buy_in_credited for r in rows)
    for row in rows:
        assert row.buy_in == row.buy_in_charged - row.buy_in_credited
        assert row.net == row.allocated - row.paid - row.hours_value + row.buy_in
    # A period settled before the split keeps its signed buy-in; it is read as one side.
    old = {**rows[0].as_dict(), "buy_in": -500}
    del old["buy_in_charged"], old["buy_in_credited"]
    assert (
        EconomyRow.from_dict(old).buy_in_charged,
        EconomyRow.from_dict(old).buy_in_credited,
    ) == (
        0,
        500,
    )
