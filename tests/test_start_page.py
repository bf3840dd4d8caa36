"""Each person opens the product to what needs them (issue: the working day): the start
page lists, per role, what waits for that person, each a link to where it is done, and
then the portfolios with the pages a role uses most."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from municipalities.models import Municipality
from portfolio.choices import ParticipationStatus, Stage
from portfolio.models import EffectGoal, Initiative, Participation
from portfolio.selectors.due import measurements_due, status_reports_due
from portfolio.services.participation import participation_invite
from portfolio.services.status import status_update_create

pytestmark = pytest.mark.django_db


def start(client, username):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def section(response, heading) -> str:
    body = response.content.decode()
    start_at = body.find(heading)
    if start_at < 0:
        return ""
    return body[start_at : body.find("</ul>", start_at)]


def test_the_director_sees_the_board_gates_near_a_decision(client, demo):
    page = start(client, "kd.bengtsfors")
    listed = section(page, "Redo eller nästan redo för beslut")
    assert "DAL-2" in listed and "G1:" in listed
    assert "G0:" not in listed, "G0 is the programledare's gate"


def test_the_director_is_asked_to_answer_an_invitation(client, demo):
    sam = User.objects.get(username="samordnare")
    bengtsfors = Municipality.objects.get(code="1460")
    idea = (
        Initiative.objects.filter(portfolio__reference_prefix="DAL", stage=Stage.IDEA)
        .exclude(participations__municipality=bengtsfors)
        .first()
    )
    if idea is None:
        idea = Initiative.objects.filter(portfolio__reference_prefix="DAL", stage=Stage.IDEA)[0]
        Participation.objects.filter(initiative=idea, municipality=bengtsfors).delete()
    participation_invite(actor=sam, initiative=idea, municipality=bengtsfors)
    listed = section(start(client, "kd.bengtsfors"), "Svara om deltagande")
    assert idea.reference in listed
    assert reverse("portfolio:initiative-detail", args=[idea.pk]) in listed
    # The IT-chef of the same municipality does not answer for it.
    assert "Svara om deltagande" not in start(client, "itchef").content.decode()


def test_the_programledare_sees_g0_and_g2_and_the_status_reports_due(client, demo):
    page = start(client, "programledare")
    decisions = section(page, "Redo eller nästan redo för beslut")
    assert "G0:" in decisions and "G2:" in decisions and "G1:" not in decisions
    assert "Statusrapporter att lämna" in page.content.decode()


def test_the_it_chef_sees_only_the_initiatives_of_their_own_municipality_due(client, demo):
    itchef = User.objects.get(username="itchef")
    due = section(start(client, "itchef"), "Statusrapporter att lämna")
    listed = Initiative.objects.filter(reference__in=_references(due))
    assert listed
    for initiative in listed:
        assert initiative.participations.filter(
            municipality=itchef.municipality, status=ParticipationStatus.PARTICIPATING
        ).exists()
    # A status report today takes the initiative off the list.
    first = listed.order_by("id").first()
    status_update_create(
        actor=itchef,
        initiative=first,
        reported_on=timezone.localdate(),
        health_time="gron",
        health_cost="gron",
        health_quality="gron",
        progress=50,
    )
    assert first.reference + " " not in section(start(client, "itchef"), "Statusrapporter att")


def _references(html: str) -> list[str]:
    import re

    return re.findall(r">(DAL-\d+) ", html)


def test_a_body_sees_its_own_gates_whatever_the_members_roles(client, demo):
    """The board's secretary prepares its meeting; the program group's IT-chef member sees
    its G0s; V6's commissioning group, which decides every gate, sees them all."""
    secretary = section(start(client, "samordnare"), "Redo eller nästan redo för beslut")
    assert "G1:" in secretary and "G0:" not in secretary
    member = section(start(client, "itchef"), "Redo eller nästan redo för beslut")
    assert "G0:" in member and "G1:" not in member
    # Another director of Dalsland who is not on the board is not asked to prepare it.
    from accounts.models import Role, RoleAssignment

    outside_board = User.objects.create_user(
        username="kd.mellerud", municipality=Municipality.objects.get(code="1461")
    )
    RoleAssignment.objects.create(user=outside_board, role=Role.DIRECTOR)
    assert "Redo eller nästan redo" not in start(client, "kd.mellerud").content.decode()


@pytest.mark.parametrize("username", ["lasare"])
def test_roles_with_nothing_due_are_told_so_and_still_find_their_way(client, demo, username):
    body = start(client, username).content.decode()
    assert "Inget väntar på dig just nu." in body
    assert reverse("reports:list") in body and reverse("portfolio:economy-mine") in body
    dal = Initiative.objects.filter(portfolio__reference_prefix="DAL").first().portfolio
    assert reverse("portfolio:dashboard", args=[dal.pk]) in body


def test_the_start_page_costs_the_same_queries_with_more_initiatives(client, demo):
    client.force_login(User.objects.get(username="programledare"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("home"))
    template = Initiative.objects.filter(stage=Stage.PROJECT).first()
    for n in range(15):
        Initiative.objects.create(
            portfolio=template.portfolio,
            program=template.program,
            reference=f"DAL-{900 + n}",
            title=f"Extra {n}",
            stage=Stage.PROJECT,
            submitted_at=timezone.now(),
            proposing_municipality=template.proposing_municipality,
        )
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("home"))
    assert len(after.captured_queries) == len(before.captured_queries)


def test_a_status_report_is_due_a_month_after_the_latest(demo):
    manager = User.objects.get(username="programledare")
    project = Initiative.objects.filter(stage=Stage.PROJECT, program__manager=manager).first()
    status_update_create(
        actor=manager,
        initiative=project,
        reported_on=dt.date(2026, 11, 1),
        health_time="gron",
        health_cost="gul",
        health_quality="gron",
        progress=60,
    )
    one = Initiative.objects.filter(pk=project.pk)
    assert not status_reports_due(one, dt.date(2026, 12, 1)).exists()
    assert status_reports_due(one, dt.date(2026, 12, 2)).exists()
    idea = Initiative.objects.filter(stage=Stage.IDEA)
    assert not status_reports_due(idea, dt.date(2030, 1, 1)).exists(), "ideas do not report"


def test_an_effect_goal_is_due_for_measurement_half_a_year_after_the_last(demo):
    goals = EffectGoal.objects.filter(
        initiative__stage__in=(Stage.IMPLEMENTATION, Stage.OPERATION),
        measurements__measured_on=dt.date(2026, 3, 31),
    ).distinct()
    assert goals
    assert not measurements_due(goals, dt.date(2026, 9, 29)).exists()
    assert measurements_due(goals, dt.date(2026, 10, 1)).count() == goals.count()
