"""The demo's meetings: Dalsland's board held a meeting whose minutes are justerade,
and its next meeting has the agenda the product proposes from the demo data."""

import io

import pytest
from pypdf import PdfReader

from portfolio.models import GateDecision, ItemKind, Meeting, MeetingStatus, Portfolio
from portfolio.selectors.dashboard import awaiting_decisions
from portfolio.selectors.meetings import agenda_proposal
from reports import issued
from reports.minutes import minutes_job
from reports.models import ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _meetings():
    dal = Portfolio.objects.get(reference_prefix="DAL")
    past, upcoming = Meeting.objects.filter(body__portfolio=dal).order_by("starts_at")
    return dal, past, upcoming


def test_the_past_meeting_is_justerad_and_its_minutes_are_issued_when_opened(
    demo, django_capture_on_commit_callbacks
):
    _dal, past, _upcoming = _meetings()
    assert past.status == MeetingStatus.ADJUSTED
    assert past.present.count() == 2 and past.adjuster.username == "kd.amal"
    [serving] = past.substitutes.all()
    assert (serving.substitute.username, serving.serves_for.username) == (
        "itchef",
        "kd.vanersborg",
    )
    assert list(past.items.order_by("paragraph").values_list("paragraph", flat=True)) == [1, 2, 3]
    # Nothing the past meeting decided moved an initiative.
    assert not GateDecision.objects.filter(agenda_item__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        job = minutes_job(past)
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE
    assert minutes_job(past) == job  # issued once
    pdf = issued.document(job).read()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Protokoll Portföljstyrgruppen" in text
    assert "Mötesplan för portföljstyrgruppen 2027" in text
    assert "Bordlagt" in text and "Per Ekström" in text
    assert "Tjänstgörande ersättare" in text and "Erik Dahlgren för Lena Holm" in text
    assert "Utkast" not in text


def test_the_next_meeting_has_the_proposed_agenda(demo):
    dal, _past, upcoming = _meetings()
    assert upcoming.status == MeetingStatus.PLANNED
    items = list(upcoming.items.order_by("order"))
    board = upcoming.body
    awaiting = awaiting_decisions(
        dal, dal.initiatives.all(), stages=("forstudie", "implementation")
    )
    gates = {(i.initiative_id, i.decision_kind) for i in items if i.kind == ItemKind.GATE}
    assert gates == {(a.initiative.pk, a.gate) for a in awaiting}
    assert gates, "the demo has gates ready for the board"
    kinds = [i.kind for i in items]
    # The half-year report was noted at the past meeting; the postponed settlement returns.
    assert ItemKind.REPORT not in kinds
    assert [i.title for i in items if i.kind == ItemKind.SETTLEMENT] == [
        "Avräkning och låsning av 2026H1"
    ]
    assert all(i.memo_reference for i in items if i.kind == ItemKind.GATE)
    assert agenda_proposal(upcoming) == []  # everything proposed is on the agenda
    assert board.name == "Portföljstyrgruppen"
