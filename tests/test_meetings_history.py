"""The history of a meeting: items added, removed and moved, and changes to its time and
place, in Swedish on the meeting page and in the API; a change made after the kallelse
went out is marked as such."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from meeting_builders import board, meeting
from rest_framework.test import APIClient
from workflow_builders import world

from portfolio.models import Meeting, MeetingStatus, SettingsChange
from portfolio.selectors.history import meeting_lines
from portfolio.services import meetings
from portfolio.services.errors import DomainError, NotAllowedError, StaleVersionError
from portfolio.services.meeting_agenda import agenda_send
from portfolio.services.meeting_changes import meeting_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    w = world()
    body = board(w)
    m = meeting(w, body, starts_at=timezone.now() + dt.timedelta(days=30))
    return w, body, m


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _fresh(m):
    return Meeting.objects.get(pk=m.pk)


def _texts(m) -> list[str]:
    return [line.text for line in meeting_lines(_fresh(m))]


def test_adding_moving_and_removing_items_is_kept_in_swedish(setup):
    w, body, m = setup
    budget = meetings.agenda_item_add(
        actor=w.coordinator, meeting=m, title="Budget 2027", memo_reference="KS 1"
    )
    meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="E-arkiv")
    meetings.agenda_item_move(actor=w.coordinator, item=budget, step=1)
    meetings.agenda_item_remove(actor=w.coordinator, item=budget)
    assert _texts(m) == [
        "Ärendet ”Budget 2027” togs bort från föredragningslistan.",
        "Ärendet ”Budget 2027” flyttades från plats 1 till plats 2 på föredragningslistan.",
        "Ärendet ”E-arkiv” lades till på föredragningslistan.",
        "Ärendet ”Budget 2027” lades till på föredragningslistan.",
    ]
    page = _client(w.reader).get(reverse("portfolio:meeting-detail", args=[m.pk]))
    html = page.content.decode()
    assert "Historik" in html and "togs bort från föredragningslistan" in html
    # The settings' history stays about the settings.
    settings_page = _client(w.coordinator).get(
        reverse("portfolio:settings", kwargs={"pk": w.portfolio.pk})
    )
    assert "föredragningslistan" not in settings_page.content.decode()


def test_a_change_after_the_kallelse_is_marked(setup):
    w, body, m = setup
    meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Budget", memo_reference="1")
    agenda_send(actor=w.coordinator, meeting=m)
    meetings.agenda_item_add(actor=w.coordinator, meeting=_fresh(m), title="Sent ärende")
    latest, first = meeting_lines(_fresh(m))
    assert latest.after_notice and not first.after_notice
    assert latest.sentence == (
        "Ärendet ”Sent ärende” lades till på föredragningslistan efter att kallelsen skickats"
    )
    html = _client(w.reader).get(reverse("portfolio:meeting-detail", args=[m.pk])).content
    assert "<strong>Ärendet ”Sent ärende” lades till" in html.decode()
    history = _api(w.reader).get(f"/api/v1/meetings/{m.pk}/").json()["history"]
    assert [row["after_notice"] for row in history] == [True, False]
    assert history[0]["actor"]["id"] == w.coordinator.pk


def test_changing_time_and_place_is_kept_and_refused_to_others(setup):
    w, body, m = setup
    later = m.starts_at + dt.timedelta(days=1)
    for person in (w.director_amal, w.reader, w.manager):
        with pytest.raises(NotAllowedError):
            meeting_update(actor=person, meeting=m, place="Vänersborg")
    meeting_update(actor=w.coordinator, meeting=m, starts_at=later, place="Vänersborg")
    [line] = meeting_lines(_fresh(m))
    assert line.sentence == "Mötet ändrades"
    old = timezone.localtime(m.starts_at).strftime("%Y-%m-%d %H:%M")
    new = timezone.localtime(later).strftime("%Y-%m-%d %H:%M")
    assert [(c.label, c.text) for c in line.changes] == [
        ("Börjar", f"{old} → {new}"),
        ("Plats", "Åmål → Vänersborg"),
    ]
    # Nothing changed: nothing kept.
    meeting_update(actor=w.coordinator, meeting=_fresh(m), place="Vänersborg")
    assert len(meeting_lines(_fresh(m))) == 1


def test_bad_changes_are_refused_and_nothing_is_kept(setup):
    w, body, m = setup
    with pytest.raises(ValidationError) as refused:
        meeting_update(actor=w.coordinator, meeting=m, place="", link="")
    assert refused.value.message_dict["place"] == ["Ange plats eller länk till mötet."]
    with pytest.raises(ValidationError):
        meeting_update(actor=w.coordinator, meeting=m, agenda_notice_days=90)
    with pytest.raises(StaleVersionError):
        meeting_update(actor=w.coordinator, meeting=m, version=99, place="Dals-Ed")
    Meeting.objects.filter(pk=m.pk).update(status=MeetingStatus.HELD)
    with pytest.raises(DomainError, match="tid och plats kan inte längre ändras"):
        meeting_update(actor=w.coordinator, meeting=_fresh(m), place="Dals-Ed")
    assert _fresh(m).place == "Åmål"
    assert not SettingsChange.objects.filter(entity="meeting").exists()


def test_the_page_changes_the_meeting_for_those_who_plan_it(setup):
    w, body, m = setup
    url = reverse("portfolio:meeting-change", args=[m.pk])
    when = timezone.localtime(m.starts_at)
    data = {
        "change-day": when.date().isoformat(),
        "change-time": "13:00",
        "change-place": "Vänersborg",
        "change-link": "",
        "change-agenda_notice_days": "7",
        "change-version": str(m.version),
    }
    detail = reverse("portfolio:meeting-detail", args=[m.pk])
    assert "Ändra tid och plats" in _client(w.coordinator).get(detail).content.decode()
    assert "Ändra tid och plats" not in _client(w.director_amal).get(detail).content.decode()
    assert _client(w.director_amal).post(url, data).status_code == 403
    assert _client(w.outsider).post(url, data).status_code == 404
    bad = _client(w.coordinator).post(url, {**data, "change-place": ""})
    assert bad.status_code == 400
    assert "Ange plats eller länk till mötet." in bad.content.decode()
    assert _client(w.coordinator).post(url, data).status_code == 302
    changed = _fresh(m)
    assert changed.place == "Vänersborg"
    assert timezone.localtime(changed.starts_at).strftime("%H:%M") == "13:00"
    assert "Plats: Åmål → Vänersborg" in _client(w.reader).get(detail).content.decode()


def test_the_api_changes_the_meeting_with_field_errors(setup):
    w, body, m = setup
    url = f"/api/v1/meetings/{m.pk}/"
    assert _api(w.director_amal).patch(url, {"place": "X"}, format="json").status_code == 403
    assert _api(w.outsider).patch(url, {"place": "X"}, format="json").status_code == 404
    empty = _api(w.coordinator).patch(url, {"place": "", "link": ""}, format="json")
    assert empty.status_code == 400 and "place" in empty.json()["errors"]
    nothing = _api(w.coordinator).patch(url, {"version": 1}, format="json")
    assert nothing.status_code == 400
    stale = _api(w.coordinator).patch(url, {"place": "X", "version": 99}, format="json")
    assert stale.status_code == 409
    done = _api(w.coordinator).patch(url, {"place": "Dals-Ed", "version": 1}, format="json")
    assert done.status_code == 200
    assert done.json()["place"] == "Dals-Ed"
    assert done.json()["history"][0]["text"] == "Mötet ändrades. Plats: Åmål → Dals-Ed."


def test_a_meeting_moved_after_its_kallelse_may_be_called_anew(setup):
    w, body, m = setup
    meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Budget", memo_reference="1")
    agenda_send(actor=w.coordinator, meeting=m)
    detail = reverse("portfolio:meeting-detail", args=[m.pk])
    assert "Skicka kallelse" not in _client(w.coordinator).get(detail).content.decode()
    meeting_update(actor=w.coordinator, meeting=_fresh(m), place="Vänersborg")
    [line, _added] = meeting_lines(_fresh(m))
    assert line.after_notice and line.sentence == "Mötet ändrades efter att kallelsen skickats"
    page = _client(w.coordinator).get(detail).content.decode()
    assert "Mötet eller föredragningslistan har ändrats sedan kallelsen skickades" in page
    assert "Skicka kallelse" in page
    agenda_send(actor=w.coordinator, meeting=_fresh(m))
    assert _fresh(m).sendings.count() == 2
