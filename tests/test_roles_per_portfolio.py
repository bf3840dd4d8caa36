"""Roles per portfolio: a role granted for one portfolio (or one program) holds there and
nowhere else; an ended role grants nothing and stays as history; the samordnare's grant
is refused with a Swedish field error and nothing written when it is out of bounds."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from accounts.role_grants import role_end, role_grant
from accounts.services import api_token_create
from municipalities.models_history import ReferenceChange
from portfolio import policies
from portfolio.choices import DecisionKind, Stage
from tests import factories

pytestmark = pytest.mark.django_db

DALSLAND = ("1460", "1438", "1439", "1461", "1487", "1492")
TODAY = timezone.localdate


@pytest.fixture
def world():
    group = factories.constellation(DALSLAND)
    p1, p2 = factories.portfolio(group), factories.portfolio(group)
    a1, a2 = factories.program(p1), factories.program(p1)
    b1 = factories.program(p2)
    w = type("World", (), {})()
    w.p1, w.p2, w.a1, w.a2, w.b1 = p1, p2, a1, a2, b1
    w.in_a1 = factories.initiative(p1, a1, stage=Stage.PRESTUDY)
    w.in_a2 = factories.initiative(p1, a2, stage=Stage.PRESTUDY)
    w.in_p1 = factories.initiative(p1, None, stage=Stage.PRESTUDY)
    w.in_b1 = factories.initiative(p2, b1, stage=Stage.PRESTUDY)
    w.coordinator = factories.user("1460", Role.COORDINATOR)
    w.person = factories.user("1460")
    return w


def grant(w, role=Role.PROGRAM_MANAGER, **scope):
    return role_grant(actor=w.coordinator, person=w.person, role=role, reason="Beslut §3", **scope)


def fresh(person) -> User:
    return User.objects.get(pk=person.pk)


def test_a_portfolio_role_grants_nothing_in_another_portfolio(world):
    w = world
    grant(w, portfolio=w.p1)
    person = fresh(w.person)
    for initiative in (w.in_a1, w.in_a2, w.in_p1):
        assert policies.can_edit_initiative(person, initiative)
    assert policies.can_record_decision(person, w.in_a1, DecisionKind.G2)
    assert not policies.can_edit_initiative(person, w.in_b1)
    assert not policies.can_record_decision(person, w.in_b1, DecisionKind.G2)
    assert not policies.can_change_shared_figures(person, w.in_b1)
    assert policies.is_reader_only(person, w.p2) and not policies.is_reader_only(person, w.p1)


def test_a_program_role_acts_only_in_that_program(world):
    w = world
    grant(w, program=w.a1)
    person = fresh(w.person)
    assert policies.can_edit_initiative(person, w.in_a1)
    assert policies.can_record_decision(person, w.in_a1, DecisionKind.G2)
    assert policies.can_change_shared_figures(person, w.in_a1)
    # Another program of the same portfolio, the portfolio's own initiatives, another
    # portfolio: nothing.
    for initiative in (w.in_a2, w.in_p1, w.in_b1):
        assert not policies.can_edit_initiative(person, initiative)
        assert not policies.can_record_decision(person, initiative, DecisionKind.G2)
    assert RoleAssignment.objects.get(user=w.person).portfolio == w.p1


def test_the_query_form_of_the_rule_agrees(world):
    w = world
    grant(w, program=w.a1)
    person = fresh(w.person)
    from portfolio.models import Initiative

    managed = Initiative.objects.filter(policies.managed_programs_q(person))
    assert set(managed) == {w.in_a1}
    holding = Initiative.objects.filter(policies.holding_q(person, Role.PROGRAM_MANAGER))
    assert set(holding) == {w.in_a1}


def test_an_ended_role_grants_nothing_and_its_history_stays(world):
    w = world
    assignment = grant(w, portfolio=w.p1)
    assert policies.can_edit_initiative(fresh(w.person), w.in_a1)
    role_end(actor=w.coordinator, person=w.person, assignment_id=assignment.pk, reason="Slutat")
    person = fresh(w.person)
    assert not policies.can_edit_initiative(person, w.in_a1)
    assert person.roles == frozenset()
    kept = RoleAssignment.objects.get(pk=assignment.pk)
    assert (kept.ends_on, kept.ended_by, kept.granted_by) == (TODAY(), w.coordinator, w.coordinator)
    actions = ReferenceChange.objects.filter(subject_id=w.person.pk).values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["role_granted", "role_revoked"]
    # Granted again later: a new record beside the old one.
    grant(w, portfolio=w.p1)
    assert RoleAssignment.objects.filter(user=w.person).count() == 2
    assert policies.can_edit_initiative(fresh(w.person), w.in_a1)


def test_a_role_not_yet_begun_or_with_a_past_end_grants_nothing(world):
    w = world
    grant(w, portfolio=w.p1, starts_on=TODAY() + dt.timedelta(days=3))
    assert not policies.can_edit_initiative(fresh(w.person), w.in_a1)
    RoleAssignment.objects.create(
        user=w.person,
        role=Role.PROGRAM_MANAGER,
        portfolio=w.p2,
        starts_on=TODAY() - dt.timedelta(days=10),
        ends_on=TODAY(),
    )
    assert not policies.can_edit_initiative(fresh(w.person), w.in_b1)


def test_a_role_everywhere_still_holds_in_every_portfolio(world):
    w = world
    RoleAssignment.objects.create(user=w.person, role=Role.PROGRAM_MANAGER)
    person = fresh(w.person)
    assert all(
        policies.can_edit_initiative(person, i) for i in (w.in_a1, w.in_a2, w.in_p1, w.in_b1)
    )


def _refused(w, field, **kwargs):
    before = (RoleAssignment.objects.count(), ReferenceChange.objects.count())
    with pytest.raises(ValidationError) as refused:
        grant(w, **kwargs)
    assert field in refused.value.message_dict
    assert (RoleAssignment.objects.count(), ReferenceChange.objects.count()) == before
    return refused.value.message_dict[field][0]


def test_bad_grants_are_refused_in_swedish_and_nothing_is_written(world):
    w = world
    v6 = factories.portfolio(factories.constellation(("1495", "1494")))
    assert "samverkanskonstellationer" in _refused(w, "portfolio", portfolio=v6)
    assert "portfölj" in _refused(w, "portfolio")
    assert "upphöra efter" in _refused(
        w, "ends_on", portfolio=w.p1, starts_on=TODAY(), ends_on=TODAY() - dt.timedelta(days=1)
    )
    assert "hör inte till" in _refused(w, "program", portfolio=w.p2, program=w.a1)
    assert "systemadministratör" in _refused(w, "role", role=Role.DIRECTOR, portfolio=w.p1)
    grant(w, portfolio=w.p1)
    assert "redan" in _refused(w, "role", portfolio=w.p1)
    # Covered already: the portfolio's role covers its programs.
    assert "redan" in _refused(w, "role", program=w.a1)
    # The same role in another portfolio is another grant.
    grant(w, portfolio=w.p2)


def test_only_the_samordnare_of_the_person_grants(world):
    w = world
    other = factories.user("1460", Role.PROGRAM_MANAGER)
    with pytest.raises(PermissionDenied):
        role_grant(
            actor=other, person=w.person, role=Role.READER, portfolio=w.p1, reason="Jag vill"
        )
    assert not RoleAssignment.objects.filter(user=w.person).exists()


def _token(person):
    _, key = api_token_create(user=person, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_pages_and_api_follow_the_portfolio_of_the_object(client, world):
    w = world
    grant(w, portfolio=w.p1)
    client.force_login(w.person)
    edit = "portfolio:initiative-edit"
    assert client.get(reverse(edit, args=[w.in_a1.pk])).status_code == 200
    assert client.get(reverse(edit, args=[w.in_b1.pk])).status_code == 403
    client.logout()
    headers = _token(w.person)
    for initiative, status in ((w.in_a1, 200), (w.in_b1, 403)):
        response = client.patch(
            reverse("initiative-detail", args=[initiative.pk]),
            {"title": "Nytt namn", "version": initiative.version},
            content_type="application/json",
            **headers,
        )
        assert response.status_code == status, response.content


def _post(client, url, body, person):
    return client.post(url, body, content_type="application/json", **_token(person))


def test_the_api_grants_and_ends_a_role_with_its_history(client, world):
    w = world
    url = reverse("person-roles", kwargs={"pk": w.person.pk})
    body = {"role": Role.PROGRAM_MANAGER, "program": w.a1.pk, "reason": "Beslut §3"}
    granted = _post(client, url, body, w.coordinator)
    assert granted.status_code == 201, granted.content
    assert (granted.json()["portfolio"], granted.json()["in_force"]) == (w.p1.pk, True)
    assert policies.can_edit_initiative(fresh(w.person), w.in_a1)
    end = reverse(
        "person-role-end", kwargs={"pk": w.person.pk, "assignment_pk": granted.json()["id"]}
    )
    ended = _post(client, end, {"reason": "Programmet byter ledare"}, w.coordinator)
    assert ended.status_code == 200, ended.content
    assert ended.json()["in_force"] is False
    assert not policies.can_edit_initiative(fresh(w.person), w.in_a1)
    shown = client.get(reverse("person", kwargs={"pk": w.person.pk}), **_token(w.coordinator))
    history = shown.json()["role_assignments"]
    assert [(a["program"], a["ends_on"]) for a in history] == [(w.a1.pk, TODAY().isoformat())]
    assert shown.json()["roles"] == []


def test_the_api_refuses_bad_grants_with_field_errors_and_writes_nothing(client, world):
    w = world
    url = reverse("person-roles", kwargs={"pk": w.person.pk})
    v6 = factories.portfolio(factories.constellation(("1495", "1494")))
    today = TODAY()
    cases = [
        ({"portfolio": v6.pk}, "portfolio"),
        ({"portfolio": w.p1.pk, "starts_on": str(today), "ends_on": str(today)}, "ends_on"),
        ({"portfolio": w.p1.pk, "role": Role.COORDINATOR}, "role"),
    ]
    for extra, field in cases:
        body = {"role": Role.READER, "reason": "Beslut", **extra}
        response = _post(client, url, body, w.coordinator)
        assert response.status_code == 400, response.content
        assert field in response.json()["errors"], response.json()
    assert not RoleAssignment.objects.filter(user=w.person).exists()
    first = _post(
        client, url, {"role": Role.READER, "portfolio": w.p1.pk, "reason": "B"}, w.coordinator
    )
    assert first.status_code == 201
    again = _post(
        client, url, {"role": Role.READER, "portfolio": w.p1.pk, "reason": "B"}, w.coordinator
    )
    assert again.status_code == 400 and "role" in again.json()["errors"]
    assert RoleAssignment.objects.filter(user=w.person).count() == 1
    # Anyone but the samordnare: refused before the body is read.
    refused = _post(client, url, {}, factories.user("1460", Role.PROGRAM_MANAGER))
    assert refused.status_code == 403


def test_the_person_page_grants_and_ends_a_role_with_its_history(client, world):
    w = world
    client.force_login(w.coordinator)
    page = reverse("people:edit", args=[w.person.pk])
    shown = client.get(page)
    assert shown.status_code == 200
    assert "Roller per portfölj och program" in shown.content.decode()
    grant_url = reverse("people:role-grant", args=[w.person.pk])
    body = {"grant-role": Role.PROGRAM_MANAGER, "grant-program": w.a1.pk, "grant-reason": "§3"}
    response = client.post(grant_url, body)
    assert response.status_code == 302, response.content.decode()[:2000]
    assignment = RoleAssignment.objects.get(user=w.person)
    assert (assignment.program, assignment.portfolio, assignment.granted_by) == (
        w.a1,
        w.p1,
        w.coordinator,
    )
    shown = client.get(page).content.decode()
    assert w.a1.name in shown and "Avsluta rollen" in shown
    end_url = reverse("people:role-end", args=[w.person.pk, assignment.pk])
    refused = client.post(end_url, {"reason": ""})
    assert refused.status_code == 400 and "Ange varför" in refused.content.decode()
    assert client.post(end_url, {"reason": "Slutat"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == TODAY()
    shown = client.get(page).content.decode()
    assert "upphört" in shown and "Avsluta rollen" not in shown
    history = client.get(reverse("people:list")).content.decode()
    assert f"fick rollen programledare (program {w.a1.name}" in history
    assert f"har inte längre rollen programledare (program {w.a1.name}" in history


def test_the_person_page_refuses_a_portfolio_outside_and_writes_nothing(client, world):
    w = world
    v6 = factories.portfolio(factories.constellation(("1495", "1494")))
    client.force_login(w.coordinator)
    url = reverse("people:role-grant", args=[w.person.pk])
    body = {"grant-role": Role.READER, "grant-portfolio": v6.pk, "grant-reason": "§3"}
    response = client.post(url, body)
    assert response.status_code == 400
    body = {
        "grant-role": Role.READER,
        "grant-portfolio": w.p1.pk,
        "grant-starts_on": "2026-05-01",
        "grant-ends_on": "2026-04-01",
        "grant-reason": "§3",
    }
    response = client.post(url, body)
    assert response.status_code == 400
    assert "upphöra efter" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=w.person).exists()


def test_only_the_samordnare_reaches_the_role_forms(client, world):
    w = world
    assignment = grant(w, portfolio=w.p1)
    urls = [
        reverse("people:role-grant", args=[w.person.pk]),
        reverse("people:role-end", args=[w.person.pk, assignment.pk]),
    ]
    for who in (
        w.person,
        factories.user("1460", Role.PROGRAM_MANAGER),
        factories.user("1460", Role.DIRECTOR),
    ):
        client.force_login(who)
        for url in urls:
            assert client.post(url, {"grant-role": Role.READER, "reason": "x"}).status_code == 403
    # A samordnare of other constellations: the person does not exist for them.
    client.force_login(factories.user("1495", Role.COORDINATOR))
    assert client.post(urls[0], {}).status_code == 404
    client.logout()
    assert client.post(urls[0], {}).status_code == 302
    assert RoleAssignment.objects.filter(user=w.person).count() == 1
    assert RoleAssignment.objects.get(user=w.person).ends_on is None


def test_a_program_role_from_the_admin_holds_in_its_portfolio(world):
    w = world
    named = RoleAssignment(user=w.person, role=Role.PROGRAM_MANAGER, program=w.a1)
    named.full_clean()
    assert named.portfolio_id == w.p1.pk
    wrong = RoleAssignment(user=w.person, role=Role.READER, portfolio=w.p2, program=w.a1)
    with pytest.raises(ValidationError) as refused:
        wrong.full_clean()
    assert "program" in refused.value.message_dict
    early = RoleAssignment(
        user=w.person,
        role=Role.READER,
        portfolio=w.p1,
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 4, 1),
    )
    with pytest.raises(ValidationError):
        early.full_clean()


def test_who_is_told_follows_the_same_rule(world):
    """Notices and report e-mails find their directors by `holders_q`: the role in force
    for that portfolio, as the policies do."""
    from accounts.roles import holders_q

    w = world
    everywhere = factories.user("1460", Role.DIRECTOR)
    here = factories.user("1438")
    RoleAssignment.objects.create(user=here, role=Role.DIRECTOR, portfolio=w.p1)
    ended = factories.user("1439")
    RoleAssignment.objects.create(
        user=ended, role=Role.DIRECTOR, starts_on=dt.date(2025, 1, 1), ends_on=TODAY()
    )
    program_only = factories.user("1461")
    RoleAssignment.objects.create(
        user=program_only, role=Role.DIRECTOR, portfolio=w.p1, program=w.a1
    )

    def told(portfolio, **kw):
        found = User.objects.filter(holders_q([Role.DIRECTOR], TODAY(), portfolio, **kw))
        return set(found.distinct())

    assert told(w.p1.pk) == {everywhere, here}
    assert told(w.p2.pk) == {everywhere}
    assert told(w.p1.pk, within=True) == {everywhere, here, program_only}
    assert told(None, anywhere=True) == {everywhere, here, program_only}
