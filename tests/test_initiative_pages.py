"""The initiative pages: detail, idea form, edit with a stale version, action forms."""

import datetime as dt

import factories
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from workflow_builders import TODAY, advance_to, fresh, idea, meet_g0, world

from portfolio.choices import Stage
from portfolio.models import GateDecision, HistoryEntry, Initiative, StatusUpdate
from portfolio.services import benefits, status

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def login(client, user):
    client.force_login(user)
    return client


def test_detail_shows_everything_about_an_initiative(client, w):
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    login(client, w.reader)
    body = client.get(reverse("portfolio:initiative-detail", args=[initiative.pk])).content
    html = body.decode()
    for text in [
        initiative.reference,
        "Förstudie",
        "Kriterier för G1",
        "Förstudiens slutsats är inte ifylld.",
        "Grindbeslut G0",
        "Bengtsfors",
        "Historik",
        "Prioritering",
        "Nyttor och effektmål",
        "Statusrapporter",
    ]:
        assert text in html, text


def test_detail_template_has_a_place_for_the_economy_section():
    from pathlib import Path

    from django.conf import settings

    template = Path(settings.BASE_DIR, "templates/portfolio/initiative_detail.html").read_text()
    # The marker until the money area includes its section there.
    assert "{# economy section #}" in template or "portfolio/economy/" in template


def test_detail_query_count_does_not_grow_with_rows(client, w):
    small = advance_to(w, idea(w), Stage.IMPLEMENTATION)
    big = advance_to(w, idea(w, title="Stort"), Stage.IMPLEMENTATION)
    for n in range(6):
        goal = fresh(big).effect_goals.get()
        benefits.measurement_record(
            actor=w.manager, effect_goal=goal, measured_on=TODAY - dt.timedelta(days=n), value=n
        )
        status.status_update_create(
            actor=w.itchef,
            initiative=fresh(big),
            reported_on=TODAY - dt.timedelta(days=n),
            health_time="gron",
            health_cost="gul",
            health_quality="rod",
            progress=10 * n,
        )
    login(client, w.director)

    def count(pk):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("portfolio:initiative-detail", args=[pk])).status_code == 200
        return len(ctx.captured_queries)

    assert count(big.pk) == count(small.pk)


def test_detail_outside_the_users_constellations_is_404(client, w):
    initiative = idea(w)
    login(client, w.outsider)
    assert (
        client.get(reverse("portfolio:initiative-detail", args=[initiative.pk])).status_code == 404
    )
    assert client.get(reverse("portfolio:initiative-edit", args=[initiative.pk])).status_code == 404
    assert client.get(reverse("portfolio:decision-create", args=[initiative.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, w):
    initiative = idea(w)
    response = client.get(reverse("portfolio:initiative-detail", args=[initiative.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_submitting_an_idea_through_the_form_says_what_is_missing(client, w):
    login(client, w.itchef)
    url = reverse("portfolio:initiative-create", args=[w.portfolio.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Gemensam växel"}, follow=True)
    initiative = Initiative.objects.get(title="Gemensam växel")
    assert initiative.owner == w.itchef
    assert initiative.proposing_municipality.code == "1460"
    html = response.content.decode()
    assert f"Idén {initiative.reference} är inlämnad" in html
    assert "behov eller problem" in html and "samverkansnivå" in html


def test_an_idea_without_title_is_refused_in_swedish(client, w):
    login(client, w.itchef)
    response = client.post(reverse("portfolio:initiative-create", args=[w.portfolio.pk]), {})
    assert response.status_code == 200
    assert "Det gick inte att spara" in response.content.decode()
    assert not Initiative.objects.exists()


def test_reader_cannot_submit_an_idea(client, w):
    login(client, w.reader)
    url = reverse("portfolio:initiative-create", args=[w.portfolio.pk])
    assert client.get(url).status_code == 403


def _edit_data(initiative, **changes):
    data = {
        "title": initiative.title,
        "need": initiative.need,
        "expected_benefit": initiative.expected_benefit,
        "area": initiative.area,
        "target_group": initiative.target_group,
        "collaboration_level": initiative.collaboration_level,
        "program": initiative.program_id,
        "proposing_municipality": initiative.proposing_municipality_id,
        "owner": initiative.owner_id or "",
        "security_classification": initiative.security_classification,
        "version": initiative.version,
    }
    data.update(changes)
    return data


def test_stale_edit_is_refused_and_keeps_both_versions(client, w):
    initiative = idea(w)
    url = reverse("portfolio:initiative-edit", args=[initiative.pk])
    login(client, w.manager)
    first = _edit_data(initiative, need="Först sparat behov.")
    second = _edit_data(initiative, need="Mitt andra behov.")
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    html = response.content.decode()
    assert "Någon annan har sparat" in html
    assert "Först sparat behov." in html and "Mitt andra behov." in html
    assert fresh(initiative).need == "Först sparat behov."
    # The form now carries the newest version: saving again wins deliberately.
    assert f'value="{initiative.version + 1}"' in html
    second["version"] = initiative.version + 1
    assert client.post(url, second).status_code == 302
    assert fresh(initiative).need == "Mitt andra behov."


def test_decision_page_refuses_unmet_gate_and_names_criteria(client, w):
    initiative = idea(w, need="")
    login(client, w.manager)
    url = reverse("portfolio:decision-create", args=[initiative.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "G0",
            "outcome": "godkand",
            "decided_on": TODAY.isoformat(),
            "version": initiative.version,
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Beskrivningen är komplett: Beskrivningen saknar: behov eller problem." in html
    assert not GateDecision.objects.exists()


def test_decision_page_records_g0(client, w):
    initiative = idea(w)
    meet_g0(w, initiative)
    login(client, w.manager)
    response = client.post(
        reverse("portfolio:decision-create", args=[initiative.pk]),
        {
            "kind": "G0",
            "outcome": "godkand",
            "decided_on": TODAY.isoformat(),
            "meeting_reference": "Programstyrgruppen § 3",
            "version": fresh(initiative).version,
        },
    )
    assert response.status_code == 302
    assert fresh(initiative).stage == Stage.PRESTUDY


def test_decision_page_is_refused_to_a_reader(client, w):
    initiative = idea(w)
    login(client, w.reader)
    assert client.get(reverse("portfolio:decision-create", args=[initiative.pk])).status_code == 403


def test_director_answers_for_own_municipality_on_the_page(client, w):
    initiative = idea(w)
    p = initiative.participations.get()
    login(client, w.director)
    url = reverse("portfolio:participation-answer", args=[initiative.pk, p.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"answer": "deltar", "version": p.version})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == "deltar"


def test_other_director_cannot_answer_for_bengtsfors(client, w):
    initiative = idea(w)
    p = initiative.participations.get()
    login(client, w.director_amal)
    url = reverse("portfolio:participation-answer", args=[initiative.pk, p.pk])
    response = client.post(url, {"answer": "deltar", "version": p.version})
    assert response.status_code == 403


def test_leaving_without_reason_shows_swedish_errors(client, w):
    initiative = advance_to(w, idea(w), Stage.PROJECT)
    p = initiative.participations.get(municipality__code="1460")
    login(client, w.director)
    response = client.post(
        reverse("portfolio:participation-leave", args=[initiative.pk, p.pk]),
        {"left_on": "", "reason": "", "version": p.version},
    )
    assert response.status_code == 400
    assert "Fältet måste fyllas i" in response.content.decode() or "obligatoriskt" in (
        response.content.decode()
    )


def test_itchef_posts_status_on_the_page(client, w):
    initiative = advance_to(w, idea(w), Stage.PROJECT)
    login(client, w.itchef)
    response = client.post(
        reverse("portfolio:status-create", args=[initiative.pk]),
        {
            "reported_on": TODAY.isoformat(),
            "health_time": "gron",
            "health_cost": "gul",
            "health_quality": "gron",
            "progress": "40",
            "comment": "Enligt plan.",
        },
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get()
    assert update.author == w.itchef and update.municipality.code == "1460"
    assert HistoryEntry.objects.filter(entity="status", entity_id=update.pk).exists()


def test_confirming_a_manual_criterion_on_the_page(client, w):
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    criterion = w.portfolio.gate_criteria.get(gate="G1", kind="manuell")
    login(client, w.manager)
    response = client.post(
        reverse("portfolio:criterion-confirm", args=[initiative.pk, criterion.pk]),
        {"note": "Förhandsgranskad 2026-01-10"},
    )
    assert response.status_code == 302
    assert initiative.confirmations.filter(criterion=criterion).exists()


def test_priority_page_sets_scores(client, w):
    initiative = idea(w)
    login(client, w.manager)
    url = reverse("portfolio:priority-scores", args=[initiative.pk])
    assert client.get(url).status_code == 200
    data = {f"criterion_{c.pk}": "5" if c.weight == 3 else "1" for c in w.criteria}
    assert client.post(url, data).status_code == 302
    assert str(fresh(initiative).priority_score) == "4.00"


def test_ranking_page_lists_by_score(client, w):
    low = idea(w, title="Lågt")
    high = idea(w, title="Högt")
    from portfolio.services.priority import priority_scores_set

    priority_scores_set(actor=w.manager, initiative=low, scores={w.criteria[0].pk: 1})
    priority_scores_set(actor=w.manager, initiative=high, scores={w.criteria[0].pk: 5})
    login(client, w.reader)
    html = client.get(reverse("portfolio:initiative-ranking", args=[w.portfolio.pk])).content
    html = html.decode()
    assert html.index("Högt") < html.index("Lågt")


def test_effect_goal_and_measurement_pages(client, w):
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)
    login(client, w.manager)
    response = client.post(
        reverse("portfolio:effect-goal-create", args=[initiative.pk]),
        {
            "name": "Kortare väntetid",
            "indicator": "Väntetid",
            "unit": "dagar",
            "baseline": "30",
            "target": "10",
        },
    )
    assert response.status_code == 302
    goal = initiative.effect_goals.get()
    response = client.post(
        reverse("portfolio:measurement-create", args=[initiative.pk, goal.pk]),
        {"measured_on": TODAY.isoformat(), "value": "25"},
    )
    assert response.status_code == 302
    html = client.get(reverse("portfolio:initiative-detail", args=[initiative.pk])).content
    assert "Kortare väntetid" in html.decode() and "25" in html.decode()


def test_pause_page(client, w):
    initiative = idea(w)
    login(client, w.manager)
    url = reverse("portfolio:initiative-pause", args=[initiative.pk])
    response = client.post(url, {"reason": "Väntar på budget", "version": initiative.version})
    assert response.status_code == 302
    assert fresh(initiative).is_paused


def test_unused_factories_import_keeps_linters_quiet():
    assert factories.PASSWORD
