"""The minutes: a draft as recorded, justering by the chair and the adjuster, and then
an issued PDF that nothing at the meeting can change any more."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from meeting_builders import board, meeting
from pypdf import PdfReader
from workflow_builders import advance_to, idea, world

from portfolio.choices import Stage
from portfolio.models import Meeting, MeetingStatus
from portfolio.services import meetings
from portfolio.services.errors import DomainError, NotAllowedError
from portfolio.services.meeting_decisions import item_record
from reports import issued
from reports.archive_documents import issued_for
from reports.minutes import minutes_adjust, minutes_job
from reports.models import ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def held():
    """A meeting with two decisions recorded, the Åmål director named adjuster."""
    w = world()
    body = board(w)
    m = meeting(w, body)
    initiative = advance_to(w, idea(w, title="E-arkiv"), Stage.PRESTUDY, meet_next=True)
    meetings.agenda_propose(actor=w.coordinator, meeting=m)
    meetings.attendance_set(
        actor=w.coordinator,
        meeting=m,
        present=[w.director, w.director_amal, w.coordinator],
        adjuster=w.director_amal,
    )
    for item in m.items.order_by("order"):
        if item.initiative_id == initiative.pk:
            item_record(
                actor=w.coordinator,
                item=item,
                outcome="godkand",
                motivation="Förstudien visar nyttan.",
                target_stage=Stage.PROJECT,
            )
        elif item.kind == "rapport":
            item_record(actor=w.coordinator, item=item, outcome="noterat")
        else:
            meetings.agenda_item_remove(actor=w.coordinator, item=item)
    return w, Meeting.objects.get(pk=m.pk)


def test_the_draft_minutes_say_what_was_recorded(held):
    w, m = held
    response = _client(w.reader).get(reverse("reports:meeting-minutes", args=[m.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Utkast" in text
    assert "Protokoll Portföljstyrgruppen" in text
    assert "§ 1 Halvårsrapport 2025H2" in text
    assert "§ 2 G1" in text and "Förstudien visar nyttan." in text
    assert "Anslaget sätts upp när protokollet är justerat." in text
    hidden = _client(w.outsider).get(reverse("reports:meeting-minutes", args=[m.pk]))
    assert hidden.status_code == 404


def test_justering_by_chair_and_adjuster_issues_fixed_minutes(
    held, django_capture_on_commit_callbacks
):
    w, m = held
    with pytest.raises(NotAllowedError):
        minutes_adjust(actor=w.coordinator, meeting=m)  # the secretary does not justera
    assert minutes_adjust(actor=w.director, meeting=m) is None
    with pytest.raises(DomainError) as twice:
        minutes_adjust(actor=w.director, meeting=Meeting.objects.get(pk=m.pk))
    assert twice.value.rule == "already_adjusted_by_you"
    with django_capture_on_commit_callbacks(execute=True):
        job = minutes_adjust(actor=w.director_amal, meeting=Meeting.objects.get(pk=m.pk))
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE
    assert Meeting.objects.get(pk=m.pk).status == MeetingStatus.ADJUSTED

    text = pdf_text(issued.document(job).read())
    assert "Utkast" not in text
    assert "Sammanträdesdatum 2026-02-10" in text
    assert "Åmål" in text  # the place
    assert "§§ 1–2" in text
    assert "Godkänt" in text and "Noterat" in text
    assert "Justering" in text and text.count("justerat 20") == 2
    assert "Datum då anslaget tas ned" in text
    # The page hands out the issued document from now on, and the archive takes it in.
    page = _client(w.reader).get(reverse("reports:meeting-minutes", args=[m.pk]))
    assert page.status_code == 302 and page.url == reverse("reports:download", args=[job.pk])
    assert any("protokoll" in d.name for d in issued_for(w.portfolio))
    assert minutes_job(Meeting.objects.get(pk=m.pk)) == job


def test_justerade_minutes_cannot_change(held, django_capture_on_commit_callbacks):
    w, m = held
    minutes_adjust(actor=w.director, meeting=m)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_adjust(actor=w.director_amal, meeting=Meeting.objects.get(pk=m.pk))
    m = Meeting.objects.get(pk=m.pk)
    for attempt in (
        lambda: minutes_adjust(actor=w.director, meeting=m),
        lambda: meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Sent"),
        lambda: meetings.attendance_set(actor=w.coordinator, meeting=m, present=[w.director]),
        lambda: item_record(actor=w.coordinator, item=m.items.first(), outcome="noterat"),
    ):
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.rule in ("minutes_adjusted", "item_decided")
    assert m.items.count() == 2


def test_justering_waits_for_an_adjuster_and_for_every_item(held):
    w, m = held
    meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Inte behandlat")
    with pytest.raises(DomainError) as undecided:
        minutes_adjust(actor=w.director, meeting=m)
    assert undecided.value.rule == "items_undecided"
    assert Meeting.objects.get(pk=m.pk).chair_adjusted_at is None


def test_the_justering_buttons_on_the_meeting_page(held, django_capture_on_commit_callbacks):
    w, m = held
    page_url = reverse("portfolio:meeting-detail", args=[m.pk])
    adjust = reverse("reports:meeting-adjust", args=[m.pk])
    assert "Justera protokollet" in _client(w.director).get(page_url).content.decode()
    assert "Justera protokollet" not in _client(w.coordinator).get(page_url).content.decode()
    assert _client(w.coordinator).post(adjust).status_code == 403
    assert _client(w.outsider).post(adjust).status_code == 404
    assert _client(w.director).post(adjust).status_code == 302
    again = _client(w.director).post(adjust, follow=True).content.decode()
    assert "Du har redan justerat protokollet" in again
    with django_capture_on_commit_callbacks(execute=True):
        _client(w.director_amal).post(adjust)
    shown = _client(w.reader).get(page_url).content.decode()
    assert "Det justerade protokollet (PDF)" in shown
    assert "Protokollet justerat" in shown


def test_minutes_are_not_ordered_from_the_report_form(held):
    w, _m = held
    response = _client(w.director).post(
        reverse("reports:new"), {"kind": "minutes", "portfolio": w.portfolio.pk}
    )
    assert response.status_code in (200, 400)
    assert "Välj ett giltigt alternativ" in response.content.decode()
