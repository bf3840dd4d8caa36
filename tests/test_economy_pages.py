"""The economy pages: allocation, settlement, scenarios, the municipality's view, entries."""

import datetime as dt

import economy_builders as eb
import factories
import pytest
from django.urls import reverse

from portfolio.models import CostEntry, SettledPeriod, TimeEntry

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def state(client):
    w = eb.money_world()
    initiative = eb.initiative(w)
    eb.actual(w, initiative, 1_000_000, dt.date(2025, 8, 1), paid_by="1460")
    client.force_login(w.director)
    return w, initiative, client


def test_allocation_pages_show_kronor_with_spaces_a_chart_and_its_table(state):
    w, initiative, client = state
    for name, pk in (
        ("economy-portfolio", w.portfolio.pk),
        ("economy-program", w.program.pk),
        ("economy-initiative", initiative.pk),
    ):
        response = client.get(reverse(f"portfolio:{name}", args=[pk]) + "?period=2025H2")
        html = response.content.decode()
        assert response.status_code == 200, name
        assert "122\u00a0207\u00a0kr" in html or "122 207 kr" in html
        assert "<svg" in html and "<caption>" in html
        export = client.get(reverse(f"portfolio:{name}-xlsx", args=[pk]) + "?period=2025H2")
        assert export["Content-Type"] == XLSX


def test_a_bad_period_is_explained_not_a_500(state):
    _w, initiative, client = state
    response = client.get(
        reverse("portfolio:economy-initiative", args=[initiative.pk]) + "?period=nu"
    )
    assert response.status_code == 200
    assert "halvår" in response.content.decode()


def test_outsiders_get_404(state, client):
    w, initiative, _client = state
    client.force_login(w.outsider)
    for name, pk in (
        ("economy-portfolio", w.portfolio.pk),
        ("economy-program", w.program.pk),
        ("economy-initiative", initiative.pk),
        ("settlement", w.portfolio.pk),
        ("scenarios", w.portfolio.pk),
        ("cost-entry-create", initiative.pk),
    ):
        assert client.get(reverse(f"portfolio:{name}", args=[pk])).status_code == 404, name


def test_settling_from_the_page_records_the_boards_decision(state, client):
    w, _initiative, _client = state
    client.force_login(w.coordinator)
    url = reverse("portfolio:settlement", args=[w.portfolio.pk])
    page = client.get(url + "?period=2025H2").content.decode()
    assert "Avräkna och lås 2025H2" in page
    assert 'name="confirmed"' in page and 'name="meeting_reference"' in page
    # Locking is for everyone and cannot be undone: not without the confirmation, and
    # not without the board's decision (its date and the § of its minutes).
    unconfirmed = client.post(url, {"period": "2025H2"})
    html = unconfirmed.content.decode()
    assert unconfirmed.status_code == 400
    assert "Kryssa i att du har granskat siffrorna" in html
    undecided = client.post(url, {"period": "2025H2", "confirmed": "on"})
    html = undecided.content.decode()
    assert undecided.status_code == 400
    assert "Ange datumet för styrgruppens beslut." in html
    assert "Ange protokollets paragraf för beslutet" in html
    early = client.post(
        url,
        {
            "period": "2025H2",
            "confirmed": "on",
            "decided_on": "2025-12-31",
            "meeting_reference": "§ 4",
        },
    )
    assert early.status_code == 400
    assert "tidigast tas dagen efter periodens slut, 2026-01-01" in early.content.decode()
    assert 'value="§ 4"' in early.content.decode()  # what was typed stays
    assert not SettledPeriod.objects.filter(portfolio=w.portfolio).exists()
    response = client.post(
        url,
        {
            "period": "2025H2",
            "confirmed": "on",
            "decided_on": "2026-02-12",
            "meeting_reference": "§ 4",
        },
    )
    assert response.status_code == 302
    settled = SettledPeriod.objects.get(portfolio=w.portfolio)
    assert (settled.decided_on, settled.meeting_reference) == (dt.date(2026, 2, 12), "§ 4")
    page = client.get(url + "?period=2025H2").content.decode()
    assert "låst" in page and "Avräkna och lås" not in page
    assert "Beslut: Portföljstyrgrupp 2026-02-12, § 4." in page
    assert (
        client.get(reverse("portfolio:settlement-xlsx", args=[w.portfolio.pk])).status_code == 200
    )


@pytest.mark.parametrize("who", ["director", "itchef"])
def test_a_director_or_it_chef_alone_cannot_settle_from_the_page(state, client, who):
    w, _initiative, _client = state
    client.force_login(getattr(w, who))
    url = reverse("portfolio:settlement", args=[w.portfolio.pk])
    page = client.get(url + "?period=2025H2").content.decode()
    # The page offers no lock button; it says how a period is locked.
    assert "Avräkna och lås" not in page
    assert "genom beslut i portföljstyrgruppen" in page
    response = client.post(
        url,
        {
            "period": "2025H2",
            "confirmed": "on",
            "decided_on": "2026-02-12",
            "meeting_reference": "§ 4",
        },
    )
    assert response.status_code == 403
    assert not SettledPeriod.objects.exists()


def test_scenarios_side_by_side(state):
    w, _initiative, client = state
    four_d = factories.constellation(("1460", "1438", "1439", "1461"))
    url = reverse("portfolio:scenarios", args=[w.portfolio.pk])
    response = client.get(
        url,
        {
            "belopp": "1000000",
            "konstellation": [four_d.pk, w.portfolio.constellation_id],
            "kommun": ["1460", "1492"],
            "egen_namn": "Bengtsfors och Åmål",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bengtsfors och Åmål" in html and four_d.short_name in html
    assert "122\u00a0207\u00a0kr" in html
    assert "13,65" in html
    empty = client.get(url, {"belopp": "5"})
    assert "Välj minst en" in empty.content.decode()
    bad = client.get(url, {"belopp": "-5", "kommun": ["1460"]})
    assert "negativt" in bad.content.decode()


def test_the_municipality_sees_its_own_economy(state, client):
    w, _initiative, _client = state
    client.force_login(w.itchef)
    html = client.get(reverse("portfolio:economy-mine") + "?period=2025H2").content.decode()
    assert "Ekonomi för Bengtsfors" in html
    assert "877\u00a0793\u00a0kr" in html  # 1 000 000 paid - 122 207 allocated, to receive
    assert client.get(reverse("portfolio:economy-mine-xlsx")).status_code == 200


def test_entering_costs_and_hours_on_the_initiative(state, client):
    w, initiative, _client = state
    client.force_login(w.itchef)
    detail = client.get(reverse("portfolio:initiative-detail", args=[initiative.pk]))
    assert 'id="ekonomi"' in detail.content.decode()
    assert "Registrera kostnad" in detail.content.decode()
    url = reverse("portfolio:cost-entry-create", args=[initiative.pk])
    bengtsfors = factories.municipality("1460")
    bad = client.post(
        url, {"kind": "utveckling", "nature": "utfall", "period": "2026-02-01", "amount": "100"}
    )
    assert bad.status_code == 400
    assert "betalade" in bad.content.decode()
    ok = client.post(
        url,
        {
            "kind": "utveckling",
            "nature": "utfall",
            "period": "2026-02-01",
            "amount": "100",
            "paid_by": bengtsfors.pk,
        },
    )
    assert ok.status_code == 302
    hours = client.post(
        reverse("portfolio:time-entry-create", args=[initiative.pk]),
        {"municipality": bengtsfors.pk, "period": "2026-02-01", "hours": "7,5"},
    )
    assert hours.status_code == 302, hours.content.decode()
    assert TimeEntry.objects.get().hours == 7.5
    entry = CostEntry.objects.get(amount=100)
    client.post(reverse("portfolio:entry-delete", args=["kostnad", entry.pk]), {"version": 1})
    assert not CostEntry.objects.filter(pk=entry.pk).exists()


def test_readers_see_the_section_without_forms(state, client):
    w, initiative, _client = state
    client.force_login(w.reader)
    html = client.get(reverse("portfolio:initiative-detail", args=[initiative.pk])).content.decode()
    assert 'id="ekonomi"' in html and "Spara kostnad" not in html
    assert (
        client.get(reverse("portfolio:cost-entry-create", args=[initiative.pk])).status_code == 403
    )


def _shown_period(client, url, **query) -> str:
    html = client.get(url, query).content.decode()
    return html.split('id="period-input" name="period" list="period-list" value="')[1].split('"')[0]


def test_the_economy_opens_on_the_newest_half_year_with_costs_or_hours(
    state, django_capture_on_commit_callbacks
):
    w, initiative, client = state
    # The only actual cost is dated 2025-08-01: the pages open on 2025H2, not on today's.
    for name, pk in (
        ("economy-portfolio", w.portfolio.pk),
        ("economy-program", w.program.pk),
        ("economy-initiative", initiative.pk),
        ("settlement", w.portfolio.pk),
    ):
        assert _shown_period(client, reverse(f"portfolio:{name}", args=[pk])) == "2025H2", name
    # The portfolio's kept figures are patched once the write commits.
    with django_capture_on_commit_callbacks(execute=True):
        eb.hours(w, initiative, "1460", 8, dt.date(2026, 2, 3))
    url = reverse("portfolio:economy-portfolio", args=[w.portfolio.pk])
    assert _shown_period(client, url) == "2026H1"
    # Asked for, a period is shown as asked.
    assert _shown_period(client, url, period="2024H1") == "2024H1"


def test_the_key_and_the_hourly_rate_stand_beside_the_allocation(state):
    w, initiative, client = state
    html = client.get(
        reverse("portfolio:economy-portfolio", args=[w.portfolio.pk]), {"period": "2025H2"}
    ).content.decode()
    key = w.portfolio.allocation_keys.order_by("-valid_from").first()
    text = html.replace("\xa0", " ")
    assert (
        f"Fördelningsnyckel: {key.population_weight} % efter folkmängd ({key.population_year})"
        in text
    )
    assert f"timvärde {key.hourly_rate} kr per timme" in text
