"""Issue 20's walk: the secretary of Dalsland's portfolio board runs a whole meeting on
one page (agenda proposed and pruned to three items, who is present, a decision per
item, one of them by keyboard alone), then the chair and the adjuster justera the
minutes and the issued PDF says what was decided. Every page visited is checked with
axe, and the meeting page holds at 390 px."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from portfolio.models import AgendaItem, GateDecision, ItemKind, Meeting, MeetingStatus
from tests.browser.conftest import tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _save(page, label, scope="main"):
    with page.expect_navigation():
        page.locator(scope).get_by_role("button", name=label).first.click()
    errors = page.locator(".form-errors")
    assert errors.count() == 0, errors.first.inner_text()


def _item(page, item):
    return page.locator(f"#item-{item.pk}")


def _prune_to(meeting, page, keep):
    """Remove every undecided item but those kept, with the page's own buttons."""
    for item in meeting.items.exclude(pk__in=[i.pk for i in keep]):
        with page.expect_navigation():
            _item(page, item).get_by_role("button", name="Ta bort").click()


def test_the_secretary_runs_a_board_meeting_to_justerade_minutes(visitor):
    page = visitor.login("samordnare")
    page.get_by_role("link", name="Digitalisering Dalsland").first.click()
    page.locator("nav.sub-nav").get_by_role("link", name="Möten").click()
    visitor.check("meetings-list")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.locator("main [name=body]").select_option(label="Portföljstyrgruppen")
    page.locator("main [name=day]").fill(yesterday.isoformat())
    page.locator("main [name=time]").fill("13:00")
    page.locator("main [name=place]").fill("Stadshuset i Vänersborg")
    _save(page, "Planera mötet")
    meeting = Meeting.objects.get(place="Stadshuset i Vänersborg")
    visitor.check("meeting-planned")

    # The agenda as proposed from what is ready, then three items kept.
    _save(page, "Lägg till föreslagna ärenden")
    # A gate all but one of whose criteria are met: the board returns it.
    gate = meeting.items.filter(kind=ItemKind.GATE).exclude(note="").order_by("order").first()
    settlement = meeting.items.get(kind=ItemKind.SETTLEMENT)
    assert gate is not None, "the demo has a gate nearly ready for the board"
    page.locator("main [name=title]").fill("Mötesplan för 2027")
    page.locator("main [name=memo_reference]").fill("Dnr 2026/140")
    _save(page, "Lägg till ärendet")
    other = meeting.items.get(title="Mötesplan för 2027")
    _prune_to(meeting, page, [gate, settlement, other])
    with page.expect_navigation():
        _item(page, other).get_by_role("button", name="Flytta upp").click()
    assert meeting.items.count() == 3
    visitor.check("meeting-agenda", full_page=True)

    # The kallelse, sent late (the meeting was yesterday): allowed, and the page says so.
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Skicka kallelse").click()
    kallelse = page.locator("main")
    assert "för sent" in kallelse.inner_text()
    assert kallelse.get_by_role("button", name="Skicka kallelse").count() == 0
    assert meeting.sendings.count() == 1
    visitor.check("meeting-kallelse-sent")

    # Who is present, and the adjuster.
    present = page.locator("fieldset").filter(has_text="Närvarande")
    for name in ("Karin Ålander", "Per Ekström", "Lena Holm"):
        present.get_by_label(name).check()
    page.locator("main [name=adjuster]").select_option(label="Per Ekström")
    _save(page, "Spara närvaro")

    # Approving it is refused with the unmet criterion, as a single decision would be;
    # returning it for completion is recorded as the gate decision.
    box = _item(page, gate)
    box.get_by_label("Godkänt").check()
    if gate.decision_kind == "G1":
        box.locator("select").select_option("projekt")
    with page.expect_navigation():
        box.get_by_role("button", name="Registrera beslut").click()
    refusal = page.locator(".form-errors").inner_text()
    assert "Grinden kan inte passeras" in refusal
    visitor.check("meeting-gate-refused")
    assert not GateDecision.objects.filter(agenda_item__pk=gate.pk).exists()
    box = _item(page, gate)
    box.get_by_label("Återremitterat").check()
    box.locator("textarea").fill("Komplettera det kriterium som saknas.")
    _save(page, "Registrera beslut", scope=f"#item-{gate.pk}")
    decision = GateDecision.objects.get(agenda_item__pk=gate.pk)
    assert decision.outcome == "aterremitterad" and decision.recorded_by.username == "samordnare"
    assert decision.deciding_body == meeting.body

    # The settlement postponed by keyboard alone.
    tab_to(page, f"#item-{settlement.pk} input[type=radio]")
    postponed = page.locator(f"#item-{settlement.pk} input[value=bordlagt]")
    for _ in range(6):  # the arrow keys move within the radio group and choose
        if postponed.is_checked():
            break
        page.keyboard.press("ArrowDown")
    assert postponed.is_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Utfallet är inte komplett.")
    tab_to(page, f"#item-{settlement.pk} form.form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert AgendaItem.objects.get(pk=settlement.pk).outcome == "bordlagt"
    box = _item(page, other)
    box.get_by_label("Godkänt").check()
    _save(page, "Registrera beslut", scope=f"#item-{other.pk}")
    numbers = dict(AgendaItem.objects.filter(meeting=meeting).values_list("title", "paragraph"))
    assert None not in numbers.values() and len(set(numbers.values())) == 3, numbers
    visitor.check("meeting-decided", full_page=True)

    # The meeting page on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    visitor.goto(f"/moten/{meeting.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    visitor.check("meeting-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Justering: the chair, then the adjuster.
    page = visitor.login("kd.bengtsfors")
    visitor.goto(f"/moten/{meeting.pk}/")
    _save(page, "Justera protokollet")
    assert "väntar på den andra justeringen" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Justera protokollet").count() == 0
    page = visitor.login("kd.amal")
    visitor.goto(f"/moten/{meeting.pk}/")
    _save(page, "Justera protokollet")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.ADJUSTED
    visitor.check("meeting-justerad", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Det justerade protokollet (PDF)").click()
    with open(download.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Protokoll Portföljstyrgruppen" in text
    assert "Stadshuset i Vänersborg" in text
    assert "Komplettera det kriterium som saknas." in text and "Bordlagt" in text
    assert "Per Ekström" in text and "Utkast" not in text
    assert page.get_by_role("button", name="Registrera beslut").count() == 0
