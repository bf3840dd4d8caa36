"""The municipality's own decision behind its answer (issue 18): the kommunstyrelse's or a
nämnd's decision, with date, § and diarienummer, kept beside the answer and shown on the
initiative page, in the API and in the decision memo."""

import datetime as dt

import factories
import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from workflow_builders import TODAY, fresh, idea, world

from portfolio.models import Participation
from portfolio.services import participation as svc
from reports.selectors import decision_memo_data

pytestmark = pytest.mark.django_db

DECISION = {
    "local_decision_body": "Kommunstyrelsen",
    "local_decision_on": dt.date(2026, 3, 2),
    "local_decision_reference": "§ 45",
    "local_diary_number": "KS 2026/12",
}


def _invited(w):
    initiative = idea(w)
    amal = factories.municipality("1492")
    return initiative, svc.participation_invite(
        actor=w.manager, initiative=initiative, municipality=amal
    )


def test_the_answer_keeps_the_municipalitys_own_decision():
    w = world()
    initiative, p = _invited(w)
    svc.participation_answer(
        actor=w.director_amal, participation=p, version=1, answer="deltar", local_decision=DECISION
    )
    p.refresh_from_db()
    assert p.local_decision == "Kommunstyrelsen 2026-03-02 § 45, dnr KS 2026/12"
    history = initiative.history.filter(entity="participation").latest("pk")
    assert history.changes["local_decision_body"] == ["", "Kommunstyrelsen"]
    context = decision_memo_data(fresh(initiative), "G0", None)
    memo = render_to_string("reports/decision_memo.html", context)
    assert "Beslut i Åmål" in memo and "Kommunstyrelsen 2026-03-02 § 45" in memo


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"local_decision_body": "Kommunstyrelsen"}, "local_decision_on", "Ange dagen"),
        ({"local_decision_on": dt.date(2026, 3, 2)}, "local_decision_body", "Ange vilket organ"),
        (
            {
                "local_decision_body": "KS",
                "local_decision_on": dt.date.today() + dt.timedelta(days=2),
            },
            "local_decision_on",
            "framtiden",
        ),
        (
            {"local_decision_body": "KS" * 61, "local_decision_on": TODAY},
            "local_decision_body",
            "Högst 120",
        ),
    ],
)
def test_an_incomplete_decision_is_refused_and_nothing_is_written(given, field, message):
    w = world()
    _, p = _invited(w)
    with pytest.raises(ValidationError) as refused:
        svc.participation_answer(
            actor=w.director_amal, participation=p, version=1, answer="deltar", local_decision=given
        )
    assert message in refused.value.message_dict[field][0]
    assert Participation.objects.get(pk=p.pk).status == "inbjuden"


def test_the_answer_page_and_the_api_take_the_decision():
    w = world()
    initiative, p = _invited(w)
    client = APIClient()
    client.force_authenticate(w.director_amal)
    url = f"/api/v1/initiatives/{initiative.pk}/participations/{p.pk}/answer/"
    refused = client.post(
        url, {"version": 1, "answer": "deltar", "local_decision_body": "KS"}, format="json"
    )
    assert refused.status_code == 400
    assert "local_decision_on" in str(refused.json())
    answered = client.post(url, {"version": 1, "answer": "avstar", **DECISION}, format="json")
    assert answered.status_code == 200, answered.content
    assert answered.json()["local_decision_reference"] == "§ 45"

    page = Client()
    page.force_login(w.director_amal)
    form = page.get(reverse("portfolio:participation-answer", args=[initiative.pk, p.pk]))
    assert "Kommunens beslutande organ" in form.text
    posted = page.post(
        reverse("portfolio:participation-answer", args=[initiative.pk, p.pk]),
        {
            "answer": "deltar",
            "version": 2,
            "local_decision_body": "Kommunfullmäktige",
            "local_decision_on": "2026-04-20",
            "local_decision_reference": "§ 7",
        },
    )
    assert posted.status_code == 302
    detail = page.get(reverse("portfolio:initiative-detail", args=[initiative.pk]))
    assert "Kommunens beslut: Kommunfullmäktige 2026-04-20 § 7" in detail.text
