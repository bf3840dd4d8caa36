"""The kallelse carries the memos: the agenda PDF the members receive has each gate's
and cancellation's tjänsteskrivelse on pages of its own, rendered as the issued memo
is; an agenda with a decision item that has no memo is not sent."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from meeting_builders import board, meeting
from pypdf import PdfReader
from rest_framework.test import APIClient
from workflow_builders import advance_to, idea, world

from notifications.models import Kind, Notification
from portfolio.choices import Stage
from portfolio.models import AgendaItem, AgendaSending, ItemKind, Meeting
from portfolio.services import meetings, workflow
from portfolio.services.errors import DomainError
from portfolio.services.meeting_agenda import agenda_send
from reports.rendering import render_decision_memo

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def setup():
    w = world()
    body = board(w)
    ready = advance_to(w, idea(w, title="E-arkiv"), Stage.PRESTUDY, meet_next=True)
    paused = advance_to(w, idea(w, title="Pausad tjänst"), Stage.PRESTUDY)
    workflow.initiative_set_paused(
        actor=w.director, initiative=paused, paused=True, reason="Väntar på beslut"
    )
    m = meeting(w, body, starts_at=timezone.now() + dt.timedelta(days=30))
    meetings.agenda_propose(actor=w.coordinator, meeting=m)
    meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Information om budget")
    return w, m, ready, paused


def _agenda_pdf(user, m) -> bytes:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("reports:meeting-agenda", args=[m.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_agenda_pdf_carries_each_decision_items_memo_on_its_own_pages(setup):
    w, m, ready, paused = setup
    items = {i.kind: i for i in m.items.all()}
    gate, cancel = items[ItemKind.GATE], items[ItemKind.CANCEL]
    pdf = _agenda_pdf(w.reader, m)
    text = _text(pdf)
    assert "Kallelse och föredragningslista Portföljstyrgruppen" in text
    assert f"Bilaga till ärende {gate.order}. {gate.title}" in text
    assert f"Bilaga till ärende {cancel.order}. {cancel.title}" in text
    assert text.count("Tjänsteskrivelse – beslutsunderlag") == 2
    # The same memo as the one issued on its own: its proposal and its economy.
    issued = _text(render_decision_memo(ready, "G1"))
    for line in ("Förslag till beslut", f"{ready.reference} E-arkiv går vidare", "Ekonomiska"):
        assert line in issued and line in text
    assert f"avbryta {paused.reference} Pausad tjänst." in text
    # A matter without a memo gets no appendix; each memo starts a page of its own.
    other = m.items.get(kind=ItemKind.OTHER)
    assert f"{other.order}. Information om budget" in text
    assert f"Bilaga till ärende {other.order}." not in text
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert "Bilaga till ärende" not in pages[0]
    assert sum("Bilaga till ärende" in page for page in pages) == 2


def test_the_agenda_pdf_is_read_only_by_those_who_see_the_portfolio(setup):
    w, m, *_ = setup
    client = Client()
    client.force_login(w.outsider)
    assert client.get(reverse("reports:meeting-agenda", args=[m.pk])).status_code == 404
    anonymous = Client().get(reverse("reports:meeting-agenda", args=[m.pk]))
    assert anonymous.status_code in (302, 403)


def test_a_decision_item_without_a_memo_stops_the_kallelse(setup):
    w, m, ready, paused = setup
    gate = m.items.get(kind=ItemKind.GATE)
    AgendaItem.objects.filter(pk=gate.pk).update(memo_reference="  ")
    with pytest.raises(DomainError, match="ange tjänsteskrivelse för ”") as refused:
        agenda_send(actor=w.coordinator, meeting=Meeting.objects.get(pk=m.pk))
    assert refused.value.rule == "memo_missing"
    assert gate.title in str(refused.value.message)
    assert not AgendaSending.objects.exists()
    assert not Notification.objects.filter(kind=Kind.AGENDA).exists()

    api = APIClient()
    api.force_authenticate(w.coordinator)
    response = api.post(f"/api/v1/meetings/{m.pk}/agenda/send/")
    assert response.status_code == 400
    assert response.json()["code"] == "memo_missing"
    assert response.json()["errors"]["memo_reference"] == ["Ange tjänsteskrivelsen."]

    page = Client()
    page.force_login(w.coordinator)
    answer = page.post(reverse("portfolio:meeting-agenda-send", args=[m.pk]), follow=True)
    assert "Kallelsen skickas med tjänsteskrivelserna" in answer.content.decode()
    assert not AgendaSending.objects.exists()

    # An "övrigt ärende" needs none: with the gate's memo named, the kallelse goes.
    AgendaItem.objects.filter(pk=gate.pk).update(memo_reference="KS 2026/12")
    sending = agenda_send(actor=w.coordinator, meeting=Meeting.objects.get(pk=m.pk))
    assert sending.items == m.items.count()
