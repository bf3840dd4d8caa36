"""The kallelse: the agenda sent by the body's chair or secretary to its people, once
per sending, after commit (inbox and e-mail through a real SMTP server), and the agenda
as a PDF read back."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from meeting_builders import board, meeting
from pypdf import PdfReader
from rest_framework.test import APIClient
from workflow_builders import world

from accounts.models import User
from notifications.models import Kind, Notification
from portfolio.models import AgendaSending, Meeting, MeetingStatus
from portfolio.services import meetings
from portfolio.services.errors import DomainError, NotAllowedError
from portfolio.services.meeting_agenda import agenda_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(settings):
    settings.SITE_URL = "https://samverkan.example.se"
    w = world()
    for person in User.objects.all():
        person.email = f"{person.username}@example.se"
        person.save(update_fields=["email"])
    body = board(w)
    m = meeting(w, body, starts_at=timezone.now() + dt.timedelta(days=30))
    meetings.agenda_item_add(
        actor=w.coordinator, meeting=m, title="Budget 2027", memo_reference="KS 2026/118"
    )
    return w, body, m


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _addresses(messages) -> list[str]:
    return sorted(message["To"] for message in messages)


def test_each_member_is_told_once_per_sending_after_commit(
    setup, smtp_server, django_capture_on_commit_callbacks
):
    w, body, m = setup
    with django_capture_on_commit_callbacks(execute=True):
        sending = agenda_send(actor=w.coordinator, meeting=m)
        assert smtp_server == []  # not before commit
    assert not sending.late
    # The chair and the member; the secretary who sent it is not told of it.
    rows = Notification.objects.filter(kind=Kind.AGENDA)
    assert sorted(r.recipient.username for r in rows) == ["kd", "kd_amal"]
    assert _addresses(smtp_server) == ["kd@example.se", "kd_amal@example.se"]
    mail = smtp_server[0].get_content()
    assert f"https://samverkan.example.se/moten/{m.pk}/" in mail
    assert f"/rapporter/moten/{m.pk}/foredragningslista.pdf" in mail
    assert "Du kallas till sammanträde med Portföljstyrgruppen" in mail
    assert "Föredragningslistan har 1 ärende och" in mail
    assert smtp_server[0]["Subject"].strip().startswith("Samverkan: Kallelse till")
    stored = Meeting.objects.get(pk=m.pk)
    assert (stored.agenda_sent_by, stored.agenda_sent_at) == (w.coordinator, sending.sent_at)

    # The same agenda again: refused, nobody told twice.
    with pytest.raises(DomainError, match="har ändrats sedan dess"):
        agenda_send(actor=w.coordinator, meeting=m)
    # A changed agenda is a new sending, and everyone is told again.
    meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Övrigt")
    with django_capture_on_commit_callbacks(execute=True):
        agenda_send(actor=w.director, meeting=m)
    assert AgendaSending.objects.filter(meeting=m).count() == 2
    assert Notification.objects.filter(kind=Kind.AGENDA).count() == 4
    # The chair sent the second: the secretary is told of it, the chair not.
    assert _addresses(smtp_server[2:]) == ["kd_amal@example.se", "sam@example.se"]


def test_a_rolled_back_sending_tells_nobody(setup, smtp_server, django_capture_on_commit_callbacks):
    w, body, m = setup
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            agenda_send(actor=w.coordinator, meeting=m)
            raise RuntimeError("rolled back")
    assert not Notification.objects.exists()
    assert not AgendaSending.objects.exists()
    assert smtp_server == []


def test_only_the_chair_or_secretary_sends_and_never_for_a_held_meeting_or_empty_agenda(setup):
    w, body, m = setup
    for person in (w.director_amal, w.manager, w.reader):
        with pytest.raises(NotAllowedError):
            agenda_send(actor=person, meeting=m)
    empty = meeting(w, body, starts_at=timezone.now() + dt.timedelta(days=60))
    with pytest.raises(DomainError, match="Föredragningslistan är tom"):
        agenda_send(actor=w.coordinator, meeting=empty)
    Meeting.objects.filter(pk=m.pk).update(status=MeetingStatus.HELD)
    with pytest.raises(DomainError, match="redan hållet"):
        agenda_send(actor=w.coordinator, meeting=m)
    assert not AgendaSending.objects.exists()


def test_a_late_sending_is_allowed_and_marked(setup):
    w, body, m = setup
    Meeting.objects.filter(pk=m.pk).update(starts_at=timezone.now() + dt.timedelta(days=3))
    sending = agenda_send(actor=w.coordinator, meeting=Meeting.objects.get(pk=m.pk))
    assert sending.late
    page = _client(w.coordinator).get(reverse("portfolio:meeting-detail", args=[m.pk]))
    assert "för sent" in page.content.decode()


def test_the_page_offers_the_button_to_those_who_may_and_shows_the_status(setup):
    w, body, m = setup
    url = reverse("portfolio:meeting-detail", args=[m.pk])
    send = reverse("portfolio:meeting-agenda-send", args=[m.pk])
    assert "Skicka kallelse" in _client(w.coordinator).get(url).content.decode()
    assert "Skicka kallelse" not in _client(w.director_amal).get(url).content.decode()
    assert _client(w.director_amal).post(send).status_code == 403
    assert _client(w.outsider).post(send).status_code == 404
    assert not AgendaSending.objects.exists()

    secretary = _client(w.coordinator)
    response = secretary.post(send)
    assert response.status_code == 302
    page = secretary.get(url).content.decode()
    assert "Kallelsen är skickad till organets ledamöter." in page
    assert "(1 ärende)" in page
    assert "Skicka kallelse" not in page  # unchanged agenda: nothing to send
    listing = _client(w.reader).get(reverse("portfolio:meeting-list", args=[w.portfolio.pk]))
    assert f"Skickad {timezone.localdate():%Y-%m-%d}" in listing.content.decode()
    # Sending the unchanged agenda again: a Swedish message, nothing written.
    again = secretary.post(send, follow=True).content.decode()
    assert "varken mötet eller föredragningslistan har ändrats" in again
    assert AgendaSending.objects.count() == 1


def test_the_api_sends_and_refuses_an_unchanged_agenda(setup):
    w, body, m = setup
    url = f"/api/v1/meetings/{m.pk}/agenda/send/"
    member = APIClient()
    member.force_authenticate(w.director_amal)
    assert member.post(url).status_code == 403
    secretary = APIClient()
    secretary.force_authenticate(w.coordinator)
    response = secretary.post(url)
    assert response.status_code == 201
    assert response.json()["items"] == 1 and response.json()["late"] is False
    again = secretary.post(url)
    assert again.status_code == 400
    assert again.json()["code"] == "agenda_unchanged"
    detail = secretary.get(f"/api/v1/meetings/{m.pk}/").json()
    assert detail["agenda_sent_at"] is not None and detail["agenda_notice_days"] == 7
    [sent] = detail["sendings"]
    assert (sent["items"], sent["late"]) == (1, False)


def test_the_agenda_pdf_lists_each_item_with_its_memo(setup):
    w, body, m = setup
    meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Avtal om e-arkiv")
    response = _client(w.reader).get(reverse("reports:meeting-agenda", args=[m.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Kallelse och föredragningslista Portföljstyrgruppen" in text
    assert "1. Budget 2027" in text
    assert "Tjänsteskrivelse: KS 2026/118" in text
    assert "2. Avtal om e-arkiv" in text
    outsider = _client(w.outsider).get(reverse("reports:meeting-agenda", args=[m.pk]))
    assert outsider.status_code == 404


def test_the_notice_days_are_set_when_planning_and_decide_lateness(setup):
    w, body, m = setup
    assert m.agenda_notice_days == 7
    soon = timezone.now() + dt.timedelta(days=10)
    strict = meetings.meeting_plan(
        actor=w.coordinator, body=body, starts_at=soon, place="Åmål", agenda_notice_days=14
    )
    meetings.agenda_item_add(actor=w.coordinator, meeting=strict, title="Budget")
    assert agenda_send(actor=w.coordinator, meeting=strict).late  # 10 days < 14
    with pytest.raises(ValidationError, match="mellan 0 och 60 dagar"):
        meetings.meeting_plan(
            actor=w.coordinator, body=body, starts_at=soon, place="Åmål", agenda_notice_days=61
        )
    client = APIClient()
    client.force_authenticate(w.coordinator)
    response = client.post(
        f"/api/v1/portfolios/{w.portfolio.pk}/meetings/",
        {"body": body.pk, "starts_at": soon.isoformat(), "place": "Åmål", "agenda_notice_days": 3},
        format="json",
    )
    assert response.status_code == 201 and response.json()["agenda_notice_days"] == 3
    page = _client(w.coordinator).post(
        reverse("portfolio:meeting-create", args=[w.portfolio.pk]),
        {
            "body": body.pk,
            "day": soon.date().isoformat(),
            "time": "09:00",
            "place": "Åmål",
            "agenda_notice_days": "5",
        },
    )
    assert page.status_code == 302
    assert Meeting.objects.order_by("-pk").first().agenda_notice_days == 5


def test_the_meeting_page_and_api_read_the_sendings_in_constant_queries(setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w, body, m = setup
    client = _client(w.reader)
    api = APIClient()
    api.force_authenticate(w.reader)

    def counts():
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("portfolio:meeting-detail", args=[m.pk])).status_code == 200
        with CaptureQueriesContext(connection) as detail:
            assert api.get(f"/api/v1/meetings/{m.pk}/").status_code == 200
        return len(page), len(detail)

    agenda_send(actor=w.coordinator, meeting=m)
    one = counts()
    for n in range(3):
        meetings.agenda_item_add(actor=w.coordinator, meeting=m, title=f"Ärende {n}")
        agenda_send(actor=(w.coordinator, w.director)[n % 2], meeting=m)
    assert counts() == one
