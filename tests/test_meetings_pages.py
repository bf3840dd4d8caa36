"""The meeting pages: who may plan, who records, who only reads, and who sees nothing."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from meeting_builders import board, meeting
from workflow_builders import advance_to, fresh, idea, world

from portfolio.choices import Stage
from portfolio.models import AgendaItem, GateDecision, Meeting
from portfolio.services import meetings

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setup():
    w = world()
    body = board(w)
    m = meeting(w, body)
    return w, body, m


def test_everyone_in_the_constellation_reads_the_meetings_and_an_outsider_gets_404(setup):
    w, _body, m = setup
    for person in w.people.values():
        listing = _client(person).get(reverse("portfolio:meeting-list", args=[w.portfolio.pk]))
        assert listing.status_code == 200
        assert "Portföljstyrgruppen" in listing.content.decode()
        page = _client(person).get(reverse("portfolio:meeting-detail", args=[m.pk]))
        assert page.status_code == 200
    hidden = _client(w.outsider).get(reverse("portfolio:meeting-detail", args=[m.pk]))
    assert hidden.status_code == 404
    outside = _client(w.outsider).get(reverse("portfolio:meeting-list", args=[w.portfolio.pk]))
    assert outside.status_code == 404
    anonymous = Client().get(reverse("portfolio:meeting-detail", args=[m.pk]))
    assert anonymous.status_code == 302


def test_the_portfolio_navigation_links_to_the_meetings(setup):
    w, _body, _m = setup
    page = _client(w.reader).get(reverse("portfolio:dashboard", args=[w.portfolio.pk]))
    assert reverse("portfolio:meeting-list", args=[w.portfolio.pk]) in page.content.decode()


def test_only_planners_see_the_planning_form_and_plan(setup):
    w, body, _m = setup
    url = reverse("portfolio:meeting-list", args=[w.portfolio.pk])
    assert "Planera mötet" in _client(w.coordinator).get(url).content.decode()
    assert "Planera mötet" not in _client(w.director_amal).get(url).content.decode()
    create = reverse("portfolio:meeting-create", args=[w.portfolio.pk])
    data = {"body": body.pk, "day": "2026-03-12", "time": "13:00", "place": "Bengtsfors"}
    assert _client(w.director_amal).post(create, data).status_code == 403
    assert _client(w.manager).post(create, data).status_code == 403
    missing = _client(w.coordinator).post(create, {**data, "place": ""})
    assert missing.status_code == 400
    assert "Ange plats eller länk till mötet." in missing.content.decode()
    made = _client(w.coordinator).post(create, data)
    assert made.status_code == 302
    assert Meeting.objects.filter(body=body, place="Bengtsfors").exists()


def test_the_secretary_runs_the_meeting_from_its_page(setup):
    w, _body, m = setup
    initiative = advance_to(w, idea(w, title="E-arkiv"), Stage.PRESTUDY, meet_next=True)
    secretary = _client(w.coordinator)
    page_url = reverse("portfolio:meeting-detail", args=[m.pk])
    page = secretary.get(page_url).content.decode()
    assert "E-arkiv" in page and "Lägg till föreslagna ärenden" in page
    secretary.post(reverse("portfolio:meeting-propose", args=[m.pk]))
    gate = m.items.get(initiative=initiative)
    attendance = secretary.post(
        reverse("portfolio:meeting-attendance", args=[m.pk]),
        {"present": [w.director.pk, w.director_amal.pk], "adjuster": w.director_amal.pk},
    )
    assert attendance.status_code == 302
    decide = reverse("portfolio:meeting-item-decide", args=[m.pk, gate.pk])
    prefix = f"item{gate.pk}"
    without_stage = secretary.post(decide, {f"{prefix}-outcome": "godkand"})
    assert without_stage.status_code == 400
    asked = "Ange om initiativet blir ett projekt eller ett uppdrag."
    assert asked in without_stage.content.decode()
    done = secretary.post(
        decide,
        {
            f"{prefix}-outcome": "godkand",
            f"{prefix}-target_stage": "projekt",
            f"{prefix}-motivation": "Nyttan är visad.",
        },
    )
    assert done.status_code == 302
    assert fresh(initiative).stage == Stage.PROJECT
    shown = secretary.get(page_url).content.decode()
    assert "§ 1 G1" in shown and "Nyttan är visad." in shown


def test_a_member_who_neither_chairs_nor_keeps_minutes_may_not_record(setup):
    w, _body, m = setup
    item = meetings.agenda_item_add(actor=w.coordinator, meeting=m, title="Övrigt")
    member = _client(w.director_amal)
    decide = reverse("portfolio:meeting-item-decide", args=[m.pk, item.pk])
    assert member.post(decide, {f"item{item.pk}-outcome": "noterat"}).status_code == 403
    remove = reverse("portfolio:meeting-item-remove", args=[m.pk, item.pk])
    assert member.post(remove).status_code == 403
    add = reverse("portfolio:meeting-item-add", args=[m.pk])
    assert member.post(add, {"title": "Mitt"}).status_code == 403
    attend = reverse("portfolio:meeting-attendance", args=[m.pk])
    assert member.post(attend, {"present": [w.director.pk]}).status_code == 403
    assert _client(w.outsider).post(decide, {}).status_code == 404
    assert AgendaItem.objects.get(pk=item.pk).paragraph is None
    # The chair records.
    chair = _client(w.director).post(decide, {f"item{item.pk}-outcome": "noterat"})
    assert chair.status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).paragraph == 1
    assert not GateDecision.objects.exists()


def test_the_agenda_is_ordered_added_to_and_pruned_on_the_page(setup):
    w, _body, m = setup
    secretary = _client(w.coordinator)
    add = reverse("portfolio:meeting-item-add", args=[m.pk])
    assert secretary.post(add, {"title": ""}).status_code == 400
    for title in ("Först", "Sedan"):
        secretary.post(add, {"title": title, "memo_reference": "Dnr 1"})
    later = m.items.get(title="Sedan")
    secretary.post(reverse("portfolio:meeting-item-move", args=[m.pk, later.pk]), {"step": "up"})
    assert list(m.items.order_by("order").values_list("title", flat=True)) == ["Sedan", "Först"]
    secretary.post(reverse("portfolio:meeting-item-remove", args=[m.pk, later.pk]))
    assert list(m.items.values_list("title", flat=True)) == ["Först"]


def test_the_meeting_page_reads_the_same_number_of_queries_for_more_items(
    setup, django_assert_max_num_queries
):
    w, _body, m = setup
    client = _client(w.coordinator)
    url = reverse("portfolio:meeting-detail", args=[m.pk])
    for n in range(2):
        meetings.agenda_item_add(actor=w.coordinator, meeting=m, title=f"Ärende {n}")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        meetings.agenda_item_add(actor=w.coordinator, meeting=m, title=f"Fler {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_meeting_decision_links_to_its_meeting_from_the_initiative(setup):
    w, _body, m = setup
    initiative = advance_to(w, idea(w, title="E-arkiv"), Stage.PRESTUDY)
    item = meetings.agenda_item_add(
        actor=w.coordinator,
        meeting=m,
        title="G1 E-arkiv",
        initiative=initiative,
        decision_kind="G1",
        memo_reference="Dnr 7",
    )
    decide = reverse("portfolio:meeting-item-decide", args=[m.pk, item.pk])
    _client(w.coordinator).post(decide, {f"item{item.pk}-outcome": "aterremitterad"})
    page = _client(w.reader).get(reverse("portfolio:initiative-detail", args=[initiative.pk]))
    link = reverse("portfolio:meeting-detail", args=[m.pk]) + f"#item-{item.pk}"
    assert f'href="{link}">Portföljstyrgruppen 2026-02-10 § 1</a>' in page.content.decode()
