import pytest
from django.urls import reverse

from accounts.models import Role, User
from portfolio.demo.content import DEMO_LOGINS, DEMO_PASSWORD
from portfolio.demo.loader import load_demo
from portfolio.models import GateDecision, Initiative, Portfolio

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(demo):
    counts = (Portfolio.objects.count(), Initiative.objects.count(), GateDecision.objects.count())
    load_demo()
    assert counts == (
        Portfolio.objects.count(),
        Initiative.objects.count(),
        GateDecision.objects.count(),
    )


def test_demo_has_one_login_per_role_and_two_directors_in_different_municipalities(demo):
    users = User.objects.filter(username__in=DEMO_LOGINS)
    roles = {r for u in users for r in u.roles}
    assert {
        Role.DIRECTOR,
        Role.PROGRAM_MANAGER,
        Role.IT_MANAGER,
        Role.COORDINATOR,
        Role.READER,
    } <= roles
    directors = [u for u in users if Role.DIRECTOR in u.roles]
    assert len({d.municipality_id for d in directors}) == 2


def test_demo_spreads_dalsland_over_every_stage(demo):
    stages = set(
        Initiative.objects.filter(portfolio__reference_prefix="DAL").values_list("stage", flat=True)
    )
    assert stages >= {"ide", "forstudie", "projekt", "uppdrag", "implementation", "forvaltning"}


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_every_demo_login_sees_the_dalsland_portfolio(client, demo, username):
    assert client.login(username=username, password=DEMO_PASSWORD)
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert "Digitalisering Dalsland" in page.content.decode()
    assert "V6 digitalisering" not in page.content.decode()


def test_a_skara_director_sees_v6_and_not_dalsland(client, demo):
    assert client.login(username="kd.skara", password=DEMO_PASSWORD)
    body = client.get(reverse("home")).content.decode()
    assert "V6 digitalisering" in body
    assert "Digitalisering Dalsland" not in body


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_demo_shows_a_role_held_in_one_program_only(demo):
    from portfolio import policies
    from portfolio.models import Initiative

    person = User.objects.get(username="pl.lidkoping")
    assignment = person.role_assignments.get()
    assert (assignment.portfolio.reference_prefix, assignment.program.name) == (
        "V6",
        "Digital välfärd",
    )
    v6 = Initiative.objects.filter(portfolio=assignment.portfolio)
    assert any(
        policies.can_edit_initiative(person, i) for i in v6.filter(program=assignment.program)
    )
    assert not any(
        policies.can_edit_initiative(person, i) for i in v6.exclude(program=assignment.program)
    )
