"""Meetings, agenda, decisions, minutes and the calendar feed in the REST API: the same
services and rules as the meeting page."""

import datetime as dt

import pytest
from meeting_builders import board, meeting
from rest_framework.test import APIClient
from workflow_builders import advance_to, fresh, idea, world

from portfolio.choices import Stage
from portfolio.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def setup():
    w = world()
    body = board(w)
    return w, body, meeting(w, body)


def test_a_meeting_is_planned_listed_and_read(setup):
    w, body, m = setup
    url = f"/api/v1/portfolios/{w.portfolio.pk}/meetings/"
    data = {"body": body.pk, "starts_at": "2026-03-12T13:00:00+01:00", "place": "Mellerud"}
    assert _api(w.director_amal).post(url, data, format="json").status_code == 403
    assert _api(w.outsider).post(url, data, format="json").status_code == 404
    missing = _api(w.coordinator).post(url, {**data, "place": ""}, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"]["place"] or missing.json()
    made = _api(w.coordinator).post(url, data, format="json")
    assert made.status_code == 201
    assert made.json()["place"] == "Mellerud" and made.json()["items"] == []
    listed = _api(w.reader).get(url).json()
    assert [row["id"] for row in listed] == [made.json()["id"], m.pk]
    assert _api(w.outsider).get(f"/api/v1/meetings/{m.pk}/").status_code == 404


def test_the_agenda_and_a_decision_through_the_api(setup):
    w, _body, m = setup
    initiative = advance_to(w, idea(w, title="E-arkiv"), Stage.PRESTUDY, meet_next=True)
    proposal = _api(w.reader).get(f"/api/v1/meetings/{m.pk}/proposal/").json()
    assert any(p["initiative"] == initiative.pk for p in proposal)
    assert _api(w.director_amal).post(f"/api/v1/meetings/{m.pk}/proposal/").status_code == 403
    added = _api(w.coordinator).post(f"/api/v1/meetings/{m.pk}/proposal/")
    assert added.status_code == 201
    gate = next(i for i in added.json()["items"] if i["initiative"] == initiative.pk)
    decide = f"/api/v1/meetings/{m.pk}/items/{gate['id']}/decision/"
    body = {"outcome": "godkand", "motivation": "Nyttan är visad."}
    assert _api(w.director_amal).post(decide, body, format="json").status_code == 403
    no_stage = _api(w.coordinator).post(decide, body, format="json")
    assert no_stage.status_code == 400
    done = _api(w.coordinator).post(decide, {**body, "target_stage": "projekt"}, format="json")
    assert done.status_code == 201
    assert done.json()["paragraph"] == 1 and done.json()["outcome_label"] == "Godkänt"
    assert fresh(initiative).stage == Stage.PROJECT
    again = _api(w.coordinator).post(decide, {**body, "target_stage": "projekt"}, format="json")
    assert again.status_code == 400
    assert "redan beslutat" in str(again.json())
    unknown = _api(w.coordinator).post(decide, {"outcome": "kanske"}, format="json")
    assert unknown.status_code == 400


def test_items_are_added_and_removed_and_attendance_set(setup):
    w, _body, m = setup
    items = f"/api/v1/meetings/{m.pk}/items/"
    assert _api(w.manager).post(items, {"title": "X"}, format="json").status_code == 403
    assert _api(w.coordinator).post(items, {"title": ""}, format="json").status_code == 400
    added = _api(w.coordinator).post(items, {"title": "Övrigt", "memo_reference": "Dnr 4"})
    item_id = added.json()["items"][0]["id"]
    assert _api(w.reader).delete(f"{items}{item_id}/").status_code == 403
    assert _api(w.coordinator).delete(f"{items}{item_id}/").status_code == 204
    assert not AgendaItem.objects.filter(pk=item_id).exists()
    attendance = f"/api/v1/meetings/{m.pk}/attendance/"
    people = {"present": [w.director.pk, w.director_amal.pk], "adjuster": w.director_amal.pk}
    assert _api(w.director_amal).put(attendance, people, format="json").status_code == 403
    stranger = {"present": [w.manager.pk]}
    assert _api(w.coordinator).put(attendance, stranger, format="json").status_code == 400
    set_ = _api(w.coordinator).put(attendance, people, format="json")
    assert set_.status_code == 200
    assert {p["id"] for p in set_.json()["present"]} == {w.director.pk, w.director_amal.pk}


def test_justering_through_the_api(setup, django_capture_on_commit_callbacks):
    w, _body, m = setup
    client = _api(w.coordinator)
    added = client.post(f"/api/v1/meetings/{m.pk}/items/", {"title": "Övrigt"}, format="json")
    item_id = added.json()["items"][0]["id"]
    client.post(f"/api/v1/meetings/{m.pk}/items/{item_id}/decision/", {"outcome": "noterat"})
    client.put(
        f"/api/v1/meetings/{m.pk}/attendance/",
        {"present": [w.director.pk, w.director_amal.pk], "adjuster": w.director_amal.pk},
        format="json",
    )
    url = f"/api/v1/meetings/{m.pk}/minutes/"
    state = _api(w.reader).get(url).json()
    assert state["adjusted"] is False and state["draft_pdf"]
    assert _api(w.coordinator).post(url).status_code == 403
    assert _api(w.director).post(url).status_code == 200
    second = _api(w.director).post(url)
    assert second.status_code == 400
    assert "redan justerat" in str(second.json())
    with django_capture_on_commit_callbacks(execute=True):
        final = _api(w.director_amal).post(url)
    assert final.status_code == 200 and final.json()["adjusted"] is True
    report = final.json()["report"]
    download = _api(w.reader).get(f"/api/v1/reports/{report}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    late = client.post(f"/api/v1/meetings/{m.pk}/items/", {"title": "Sent"}, format="json")
    assert late.status_code == 400
    assert "justerat" in str(late.json())


def test_the_calendar_feed_lists_the_bodys_meetings(setup):
    w, body, m = setup
    meeting(w, body, starts_at=m.starts_at + dt.timedelta(days=30), place="Vänersborg, sal 2")
    feed = _api(w.reader).get(f"/api/v1/bodies/{body.pk}/calendar.ics")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    text = feed.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 2
    assert "DTSTART:20260210T080000Z" in text
    assert "LOCATION:Vänersborg\\, sal 2" in text
    assert f"UID:meeting-{m.pk}@" in text
    assert _api(w.outsider).get(f"/api/v1/bodies/{body.pk}/calendar.ics").status_code == 404
    assert APIClient().get(f"/api/v1/bodies/{body.pk}/calendar.ics").status_code == 401
    assert Meeting.objects.count() == 2
