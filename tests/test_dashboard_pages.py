"""The portfolio pages as users see them: dashboard, list, roadmap, Min kommun."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Role
from portfolio.choices import DecisionBody, DecisionKind, DecisionOutcome, Health, Stage
from portfolio.models import GateDecision, Initiative, Participation, StatusUpdate
from portfolio.services.status import latest_status_refresh
from tests import factories
from tests.dashboard_data import populated_portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(client):
    portfolio, director = populated_portfolio(30)
    client.force_login(director)
    return portfolio, director


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_dashboard_shows_one_column_per_stage_with_counts(client, board):
    portfolio, _ = board
    page = _text(client.get(reverse("portfolio:dashboard", args=[portfolio.pk])))
    for label in ("Idé", "Förstudie", "Projekt", "Uppdrag", "Implementation", "Förvaltning"):
        assert f'{label} <span class="count">(5)</span>' in page


def test_dashboard_health_is_told_by_word_and_symbol_not_colour_alone(client, board):
    portfolio, _ = board
    page = _text(client.get(reverse("portfolio:dashboard", args=[portfolio.pk])))
    assert '<span class="health-icon" aria-hidden="true">✕</span> Röd' in page
    assert '<span class="health-icon" aria-hidden="true">!</span> Gul' in page


def test_dashboard_filters_to_one_program_and_keeps_the_filter_in_the_url(client, board):
    portfolio, _ = board
    program = Initiative.objects.get(portfolio=portfolio, title="Initiativ 1").program
    url = reverse("portfolio:dashboard", args=[portfolio.pk])
    page = _text(client.get(url, {"program": program.pk}))
    titles = set(
        Initiative.objects.filter(portfolio=portfolio, program=program).values_list(
            "title", flat=True
        )
    )
    others = Initiative.objects.filter(portfolio=portfolio).exclude(program=program)
    assert ">Initiativ 1<" in page
    assert all(f">{t}<" not in page for t in others.values_list("title", flat=True)[:5])
    assert len(titles) == 15
    assert f"?program={program.pk}" in page  # the link to the full list keeps the filter


def test_dashboard_table_sorts_by_title_descending(client, board):
    portfolio, _ = board
    url = reverse("portfolio:dashboard", args=[portfolio.pk])
    page = _text(client.get(url, {"sortera": "-title"}))
    table = page[page.index('id="initiative-table"') :]
    assert (
        table.index(">Initiativ 9<") < table.index(">Initiativ 8<") < table.index(">Initiativ 30<")
    )
    assert ">Initiativ 1<" not in table  # the last of 30 in descending order
    assert 'aria-sort="descending"' in page


def test_dashboard_lists_decisions_since_the_chosen_date(client, board):
    portfolio, _ = board
    url = reverse("portfolio:dashboard", args=[portfolio.pk])
    page = _text(client.get(url, {"sedan": "2026-01-15"}))
    assert "Beslut sedan 2026-01-15" in page
    assert "Grindbeslut G0" in page
    page = _text(client.get(url, {"sedan": "2026-03-01"}))
    assert "Inga beslut under perioden." in page


def test_dashboard_refuses_a_bad_date_with_a_swedish_message(client, board):
    portfolio, _ = board
    url = reverse("portfolio:dashboard", args=[portfolio.pk])
    page = _text(client.get(url, {"sedan": "igår", "period": "2026H7"}))
    assert "Ange datumet som ÅÅÅÅ-MM-DD" in page
    assert "Ange perioden som ett halvår" in page


def test_dashboard_lists_initiatives_nearly_ready_for_the_board(client, demo):
    from accounts.models import User
    from portfolio.models import Portfolio

    portfolio = Portfolio.objects.get(reference_prefix="DAL")
    client.force_login(User.objects.get(username="kd.bengtsfors"))
    page = _text(client.get(reverse("portfolio:dashboard", args=[portfolio.pk])))
    section = page[page.index('id="awaiting-heading"') : page.index('id="decisions-heading"')]
    # Two initiatives in förstudie meet every G1 criterion but one, which is named.
    assert "Gemensam systemförvaltarorganisation" in section
    assert "Lön och HR-system" in section
    assert "av 7 uppfyllda" in section
    # Initiatives in idé wait for the program (G0), not for the board.
    assert "Gemensam helpdesk" not in section


def test_dashboard_shows_the_economy_of_the_period(client, board):
    portfolio, _ = board
    page = _text(
        client.get(reverse("portfolio:dashboard", args=[portfolio.pk]), {"period": "2026H1"})
    )
    assert "Kostnader mot budget per program och år" in page
    assert "1\u00a0000\u00a0000\u00a0kr" in page  # each program's budget for 2026
    assert "Fördelning per kommun 2026H1" in page
    assert "Bengtsfors" in page


def test_dashboard_of_another_constellation_answers_404(client, board):
    portfolio, _ = board
    outsider = factories.user("1495", Role.DIRECTOR)  # Skara: not in Dalsland
    client.force_login(outsider)
    assert client.get(reverse("portfolio:dashboard", args=[portfolio.pk])).status_code == 404
    assert client.get(reverse("portfolio:initiative-list", args=[portfolio.pk])).status_code == 404
    assert client.get(reverse("portfolio:roadmap", args=[portfolio.pk])).status_code == 404
    assert client.get(reverse("portfolio:indicators", args=[portfolio.pk])).status_code == 404


def test_pages_need_a_login(client, board):
    portfolio, _ = board
    client.logout()
    response = client.get(reverse("portfolio:dashboard", args=[portfolio.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_list_is_paginated_and_filtered_and_exports_as_filtered(client, board):
    portfolio, _ = board
    url = reverse("portfolio:initiative-list", args=[portfolio.pk])
    page = _text(client.get(url))
    assert "30 initiativ" in page
    assert "Sida 1 av 2" in page
    page = _text(client.get(url, {"stage": Stage.PROJECT, "sida": "1"}))
    assert "5 initiativ" in page
    export = reverse("portfolio:initiative-export-xlsx", args=[portfolio.pk])
    assert f'href="{export}?stage=projekt"' in page
    assert "Exportera till Excel" in page


def test_list_searches_titles_and_survives_a_bad_page_number(client, board):
    portfolio, _ = board
    url = reverse("portfolio:initiative-list", args=[portfolio.pk])
    page = _text(client.get(url, {"q": "Initiativ 17", "sida": "nio"}))
    assert "1 initiativ" in page
    assert ">Initiativ 17<" in page


def test_list_with_health_filter_shows_only_red(client, board):
    portfolio, _ = board
    page = _text(
        client.get(reverse("portfolio:initiative-list", args=[portfolio.pk]), {"health": "rod"})
    )
    assert "10 initiativ" in page


def test_roadmap_has_a_chart_with_a_table_alternative(client, board):
    portfolio, _ = board
    page = _text(client.get(reverse("portfolio:roadmap", args=[portfolio.pk])))
    assert 'role="img"' in page and "<title" in page and "<desc" in page
    assert "<caption>Initiativ med planerad start och planerat slut, per program</caption>" in page
    assert "2026-12-31" in page


def test_my_municipality_shows_participation_and_pending_answers(client):
    portfolio, director = populated_portfolio(3)
    invited = factories.initiative(portfolio, title="Inbjudan till Bengtsfors")
    Participation.objects.create(
        initiative=invited, municipality=factories.municipality("1460"), status="inbjuden"
    )
    client.force_login(director)
    page = _text(client.get(reverse("portfolio:my-municipality"), {"period": "2026H1"}))
    assert "Min kommun: Bengtsfors" in page
    assert "Inbjudan till Bengtsfors" in page
    assert "Kostnader, timmar och netto 2026H1" in page
    assert portfolio.name in page


def test_my_municipality_bad_period_is_a_message_not_an_error(client):
    _portfolio, director = populated_portfolio(1)
    client.force_login(director)
    page = _text(client.get(reverse("portfolio:my-municipality"), {"period": "förra året"}))
    assert "Ange perioden som ett halvår" in page


def test_latest_status_report_decides_the_health_shown(client):
    director = factories.user("1460", Role.DIRECTOR)
    portfolio = factories.portfolio()
    initiative = factories.initiative(portfolio, title="Hälsotest")
    for day, health in ((dt.date(2026, 1, 1), Health.RED), (dt.date(2026, 2, 1), Health.GREEN)):
        StatusUpdate.objects.create(
            initiative=initiative,
            reported_on=day,
            health_time=health,
            health_cost=health,
            health_quality=health,
            progress=10,
            author=director,
        )
    latest_status_refresh([initiative.pk])
    GateDecision.objects.create(
        initiative=initiative,
        kind=DecisionKind.G0,
        outcome=DecisionOutcome.RETURNED,
        stage_before=Stage.IDEA,
        stage_after=Stage.IDEA,
        decided_on=dt.date(2026, 2, 2),
        body=DecisionBody.PROGRAM,
        recorded_by=director,
    )
    client.force_login(director)
    page = _text(client.get(reverse("portfolio:initiative-list", args=[portfolio.pk])))
    row = page[page.index(">Hälsotest<") :]
    row = row[: row.index("</tr>")]
    assert "Grön" in row and "Röd" not in row


def test_list_answers_htmx_with_just_the_results(client, board):
    portfolio, _ = board
    url = reverse("portfolio:initiative-list", args=[portfolio.pk])
    page = _text(client.get(url, {"stage": Stage.IDEA}, headers={"HX-Request": "true"}))
    assert "<html" not in page
    assert "5 initiativ" in page
    assert 'id="initiative-table"' in page
    full = _text(client.get(url))
    assert 'hx-target="#list-results"' in full


def test_list_filters_paused_initiatives_with_a_yes_no_choice(client, board):
    portfolio, _ = board
    Initiative.objects.filter(portfolio=portfolio, title="Initiativ 3").update(is_paused=True)
    url = reverse("portfolio:initiative-list", args=[portfolio.pk])
    page = _text(client.get(url, {"is_paused": "true"}))
    assert "1 initiativ" in page and ">Initiativ 3<" in page
    assert '<option value="true" selected>Ja</option>' in page
    page = _text(client.get(url, {"is_paused": "kanske"}))
    assert "Filtret kunde inte användas" in page
