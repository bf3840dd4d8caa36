"""A body's meeting: the proposed agenda, the § numbers, and decisions that obey every
rule a single gate decision obeys (they are recorded by the same service)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from meeting_builders import MEETING_AT, board, meeting
from workflow_builders import advance_to, fresh, idea, meet_g1, world

from municipalities.models import Agreement
from portfolio import policies
from portfolio.choices import Stage
from portfolio.models import AgendaItem, GateDecision, ItemKind, Meeting, MeetingStatus
from portfolio.selectors.meetings import agenda_proposal
from portfolio.services import meetings, workflow
from portfolio.services.errors import DomainError, NotAllowedError
from portfolio.services.meeting_decisions import item_record

pytestmark = pytest.mark.django_db


def _ready_for_g1(w, **fields):
    return advance_to(w, idea(w, **fields), Stage.PRESTUDY, meet_next=True)


def _gate_item(m, initiative):
    return m.items.get(initiative=initiative, decision_kind="G1")


def test_the_agenda_is_proposed_from_what_is_ready_for_the_body():
    w = world()
    body = board(w)
    ready = _ready_for_g1(w, title="E-arkiv")
    nearly = advance_to(w, idea(w, title="Gemensam växel"), Stage.PRESTUDY)
    meet_g1(w, nearly)
    nearly = fresh(nearly)
    nearly.prestudy_conclusion = ""
    nearly.save()
    advance_to(w, idea(w, title="Inte redo"), Stage.PRESTUDY)  # several criteria unmet
    paused = advance_to(w, idea(w, title="Pausad"), Stage.PRESTUDY)
    workflow.initiative_set_paused(
        actor=w.director, initiative=paused, paused=True, reason="Väntar på beslut"
    )
    soon = Agreement.objects.create(
        title="STARK",
        constellation=w.portfolio.constellation,
        starts_on=dt.date(2023, 10, 1),
        ends_on=dt.date(2026, 9, 30),
        notice_period_months=6,
    )
    Agreement.objects.create(
        title="Långt avtal",
        constellation=w.portfolio.constellation,
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2029, 12, 31),
    )
    m = meeting(w, body)

    proposal = agenda_proposal(m)

    titles = [p.title for p in proposal]
    assert titles[0] == "Halvårsrapport 2025H2: uppföljning att anmäla"
    gates = {p.initiative.title: p for p in proposal if p.kind == ItemKind.GATE}
    assert set(gates) == {"E-arkiv", "Gemensam växel"}
    assert gates["E-arkiv"].note == ""
    assert gates["Gemensam växel"].note.startswith("Alla kriterier utom ett")
    assert gates["E-arkiv"].memo_reference == f"Beslutsunderlag G1 {ready.reference}"
    assert [p.initiative.title for p in proposal if p.kind == ItemKind.CANCEL] == ["Pausad"]
    assert [p.agreement for p in proposal if p.kind == ItemKind.AGREEMENT] == [soon]
    assert titles[-1] == "Avräkning och låsning av 2025H2"


def test_proposing_twice_adds_nothing_the_second_time():
    w = world()
    body = board(w)
    _ready_for_g1(w)
    m = meeting(w, body)
    added = meetings.agenda_propose(actor=w.coordinator, meeting=m)
    assert [i.order for i in added] == list(range(1, len(added) + 1))
    assert meetings.agenda_propose(actor=w.coordinator, meeting=m) == []


def test_a_meeting_decision_goes_through_the_gate_decision_and_takes_the_next_paragraph():
    w = world()
    body = board(w)
    initiative = _ready_for_g1(w)
    m = meeting(w, body)
    meetings.agenda_propose(actor=w.coordinator, meeting=m)
    report = m.items.get(kind=ItemKind.REPORT)

    noted = item_record(actor=w.coordinator, item=report, outcome="noterat")
    decided = item_record(
        actor=w.coordinator,
        item=_gate_item(m, initiative),
        outcome="godkand",
        motivation="Förstudien visar nyttan.",
        target_stage=Stage.PROJECT,
    )

    assert (noted.paragraph, decided.paragraph) == (1, 2)
    decision = GateDecision.objects.get(initiative=initiative, kind="G1")
    assert decided.decision == decision
    assert decision.meeting_reference == "Portföljstyrgruppen 2026-02-10 § 2"
    assert decision.decided_on == dt.date(2026, 2, 10)
    assert decision.deciding_body == body
    assert decision.recorded_by == w.coordinator
    assert fresh(initiative).stage == Stage.PROJECT
    assert Meeting.objects.get(pk=m.pk).status == MeetingStatus.HELD


def test_paragraphs_run_on_per_body_and_start_again_each_year():
    w = world()
    body = board(w)
    other_body = board(
        w, name="Programstyrgruppen", kind="programstyrgrupp", program=w.program, matters=["G0"]
    )
    first = meeting(w, body)
    second = meeting(w, body, starts_at=MEETING_AT + dt.timedelta(days=7))
    other = meeting(w, other_body)
    items = [
        meetings.agenda_item_add(actor=w.coordinator, meeting=mt, title=f"Ärende {n}")
        for n, mt in enumerate((first, second, first, other))
    ]
    numbers = [item_record(actor=w.coordinator, item=i, outcome="noterat").paragraph for i in items]
    assert numbers == [1, 2, 3, 1]
    # A meeting of the previous year numbers from its own year's paragraphs.
    last_year = meeting(w, body, starts_at=MEETING_AT.replace(year=2025))
    old = meetings.agenda_item_add(actor=w.coordinator, meeting=last_year, title="Gammalt")
    assert item_record(actor=w.coordinator, item=old, outcome="noterat").paragraph == 1


def test_a_meeting_decision_is_refused_like_a_single_one_and_nothing_is_written():
    w = world()
    body = board(w)
    initiative = advance_to(w, idea(w), Stage.PRESTUDY)  # G1 criteria unmet
    m = meeting(w, body)
    item = meetings.agenda_item_add(
        actor=w.coordinator,
        meeting=m,
        title="G1 e-arkiv",
        initiative=initiative,
        decision_kind="G1",
        memo_reference="Dnr 2026/12",
    )
    with pytest.raises(DomainError) as refused:
        item_record(actor=w.coordinator, item=item, outcome="godkand", target_stage="projekt")
    assert refused.value.rule == "gate_criteria_unmet"
    assert refused.value.fields["criteria"]
    item.refresh_from_db()
    assert (item.outcome, item.paragraph) == ("", None)
    assert not GateDecision.objects.filter(initiative=initiative, kind="G1").exists()
    # The § was not used up: the next decision takes § 1.
    returned = item_record(actor=w.coordinator, item=item, outcome="aterremitterad")
    assert returned.paragraph == 1
    assert fresh(initiative).stage == Stage.PRESTUDY


def test_only_the_chair_or_secretary_records_and_the_office_may_plan():
    w = world()
    body = board(w, secretary=w.director_amal)
    m = meeting(w, body)
    item = meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Ärende")
    assert policies.can_plan_meeting(w.coordinator, body)
    assert not policies.can_record_meeting(w.coordinator, m)
    for person in (w.coordinator, w.manager, w.reader, w.outsider):
        with pytest.raises(NotAllowedError):
            item_record(actor=person, item=item, outcome="noterat")
    for person in (w.manager, w.reader, w.outsider, w.itchef):
        with pytest.raises(NotAllowedError):
            meetings.agenda_item_add(actor=person, meeting=m, title="Mitt ärende")
    assert item_record(actor=w.director_amal, item=item, outcome="noterat").paragraph == 1


def test_a_decision_without_its_memo_is_refused():
    w = world()
    body = board(w)
    initiative = _ready_for_g1(w)
    m = meeting(w, body)
    item = meetings.agenda_item_add(
        actor=w.coordinator, meeting=m, title="G1", initiative=initiative, decision_kind="G1"
    )
    with pytest.raises(DomainError) as refused:
        item_record(actor=w.coordinator, item=item, outcome="godkand", target_stage="projekt")
    assert refused.value.rule == "memo_missing"
    assert "tjänsteskrivelse" in str(refused.value)
    # Postponing needs no memo; noting a gate is no decision at all.
    with pytest.raises(ValidationError):
        item_record(actor=w.coordinator, item=item, outcome="noterat")
    assert item_record(actor=w.coordinator, item=item, outcome="bordlagt").paragraph == 1


def test_second_decision_future_meeting_and_adjusted_minutes_are_refused():
    w = world()
    body = board(w)
    m = meeting(w, body)
    item = meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Ärende")
    item_record(actor=w.coordinator, item=item, outcome="noterat")
    with pytest.raises(DomainError) as twice:
        item_record(actor=w.coordinator, item=item, outcome="noterat")
    assert twice.value.rule == "item_decided"
    future = meeting(w, body, starts_at=dt.datetime.now(tz=MEETING_AT.tzinfo) + dt.timedelta(7))
    later = meetings.agenda_item_add(actor=w.coordinator, meeting=future, title="Sedan")
    with pytest.raises(DomainError) as early:
        item_record(actor=w.coordinator, item=later, outcome="noterat")
    assert early.value.rule == "meeting_not_held"
    other = meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Till sist")
    Meeting.objects.filter(pk=m.pk).update(status=MeetingStatus.ADJUSTED)
    with pytest.raises(DomainError) as adjusted:
        item_record(actor=w.coordinator, item=other, outcome="noterat")
    assert adjusted.value.rule == "minutes_adjusted"
    assert AgendaItem.objects.get(pk=other.pk).paragraph is None


def test_the_agenda_is_ordered_and_a_decided_item_stays():
    w = world()
    body = board(w)
    m = meeting(w, body)
    a, b, c = (meetings.agenda_item_add(actor=w.coordinator, meeting=m, title=t) for t in "ABC")
    meetings.agenda_item_move(actor=w.coordinator, item=c, step=-1)
    assert list(m.items.order_by("order").values_list("title", flat=True)) == ["A", "C", "B"]
    meetings.agenda_item_remove(actor=w.coordinator, item=b)
    item_record(actor=w.coordinator, item=a, outcome="noterat")
    with pytest.raises(DomainError):
        meetings.agenda_item_remove(actor=w.coordinator, item=a)
    with pytest.raises(DomainError):
        meetings.agenda_item_move(actor=w.coordinator, item=a, step=1)
    assert list(m.items.values_list("title", flat=True)) == ["A", "C"]


def test_attendance_is_of_the_body_and_the_adjuster_is_present_and_not_the_chair():
    w = world()
    body = board(w)
    m = meeting(w, body)
    with pytest.raises(ValidationError):
        meetings.attendance_set(actor=w.coordinator, meeting=m, present=[w.manager])
    with pytest.raises(ValidationError):
        meetings.attendance_set(
            actor=w.coordinator, meeting=m, present=[w.director], adjuster=w.director
        )
    with pytest.raises(ValidationError):
        meetings.attendance_set(
            actor=w.coordinator, meeting=m, present=[w.director], adjuster=w.director_amal
        )
    meetings.attendance_set(
        actor=w.coordinator,
        meeting=m,
        present=[w.director, w.director_amal],
        adjuster=w.director_amal,
    )
    stored = Meeting.objects.get(pk=m.pk)
    assert set(stored.present.all()) == {w.director, w.director_amal}
    assert stored.adjuster == w.director_amal
