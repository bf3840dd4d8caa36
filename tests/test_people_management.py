"""Administration cannot widen anyone's reach (issue: H1 and H2, as the samordnare tried).

The samordnare of Dalsland (Vänersborg) manages people of Dalsland's municipalities on
the people pages and in the API; the admin is the system administrator's alone. Nobody
grants themselves a role, moves their own account, grants kommundirektör, sets another
person's password or changes a constellation's membership."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from accounts.services import api_token_create
from municipalities.models import Constellation, Municipality
from portfolio.demo.content import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, demo):
    client.login(username="samordnare", password=DEMO_PASSWORD)
    return client


@pytest.fixture
def coordinator_api(demo):
    from rest_framework.test import APIClient

    _, key = api_token_create(user=User.objects.get(username="samordnare"), name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def _security_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "samverkan.security"]


# --- the admin: the system administrator's alone --------------------------------------


ADMIN_URLS = [
    ("admin:index", ()),
    ("admin:accounts_user_changelist", ()),
    ("admin:municipalities_constellation_changelist", ()),
]


@pytest.mark.parametrize("name,args", ADMIN_URLS)
@pytest.mark.parametrize(
    "username", ["samordnare", "kd.bengtsfors", "programledare", "itchef", "lasare"]
)
def test_nobody_but_a_superuser_reaches_the_admin(client, demo, username, name, args):
    client.login(username=username, password=DEMO_PASSWORD)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_samordnare_cannot_add_a_foreign_municipality_to_own_constellation_in_the_admin(
    coordinator,
):
    dalsland = Constellation.objects.get(members__code="1487", short_name__icontains="dals")
    skara = Municipality.objects.get(code="1495")
    members = [m.pk for m in dalsland.members.all()] + [skara.pk]
    url = reverse("admin:municipalities_constellation_change", args=[dalsland.pk])
    response = coordinator.post(
        url, {"name": dalsland.name, "short_name": dalsland.short_name, "members": members}
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert not dalsland.members.filter(pk=skara.pk).exists()
    # Skara's IT-chef still does not see Dalsland's initiatives.
    assert not Constellation.objects.filter(pk=dalsland.pk, members=skara).exists()


def test_samordnare_cannot_grant_themselves_a_role_or_move_or_set_a_password_in_the_admin(
    coordinator,
):
    me = User.objects.get(username="samordnare")
    director = User.objects.get(username="kd.bengtsfors")
    skara = Municipality.objects.get(code="1495")
    change = reverse("admin:accounts_user_change", args=[me.pk])
    coordinator.post(
        change,
        {
            "username": me.username,
            "municipality": skara.pk,
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-INITIAL_FORMS": "0",
            "role_assignments-0-role": Role.DIRECTOR,
        },
    )
    password = reverse("admin:auth_user_password_change", args=[director.pk])
    response = coordinator.post(
        password, {"password1": "Nytt-lösen-123", "password2": "Nytt-lösen-123"}
    )
    assert response.status_code in (302, 404)
    me.refresh_from_db()
    director.refresh_from_db()
    assert me.municipality.code == "1487"
    assert me.roles == {Role.COORDINATOR}
    assert not director.check_password("Nytt-lösen-123")
    assert director.check_password(DEMO_PASSWORD)


def test_even_a_superuser_does_not_set_another_persons_password(client, demo, admin_user):
    client.force_login(admin_user)
    director = User.objects.get(username="kd.bengtsfors")
    url = reverse("admin:auth_user_password_change", args=[director.pk])
    response = client.post(url, {"password1": "Nytt-lösen-123", "password2": "Nytt-lösen-123"})
    assert response.status_code == 403
    director.refresh_from_db()
    assert director.check_password(DEMO_PASSWORD)


def test_superuser_membership_change_needs_a_reason_and_is_audit_logged(
    client, demo, admin_user, caplog, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    dalsland = Constellation.objects.get(members__code="1487", short_name__icontains="dals")
    skara = Municipality.objects.get(code="1495")
    url = reverse("admin:municipalities_constellation_change", args=[dalsland.pk])
    data = {
        "name": dalsland.name,
        "short_name": dalsland.short_name,
        "description": dalsland.description,
        "governance_mode": dalsland.governance_mode,
        "collaboration_form": dalsland.collaboration_form,
        "members": [m.pk for m in dalsland.members.all()] + [skara.pk],
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again: no reason given
    assert not dalsland.members.filter(pk=skara.pk).exists()
    caplog.set_level(logging.INFO, logger="samverkan.security")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "reason": "Direktionen 2026-12-01 § 12"})
    assert response.status_code == 302
    assert dalsland.members.filter(pk=skara.pk).exists()
    [added] = [line for line in _security_lines(caplog) if "member_added" in line]
    assert "municipality=1495" in added and f"actor={admin_user.username}" in added
    assert "reason=Direktionen_2026-12-01_§_12" in added


# --- the people pages ------------------------------------------------------------------


def test_people_page_lists_own_constellations_people_and_offers_only_what_may_be_changed(
    coordinator,
):
    response = coordinator.get(reverse("people:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "kd.bengtsfors" in body and "kd.skara" not in body
    itchef = User.objects.get(username="itchef")
    director = User.objects.get(username="kd.bengtsfors")
    me = User.objects.get(username="samordnare")
    assert reverse("people:edit", args=[itchef.pk]) in body
    assert reverse("people:edit", args=[director.pk]) not in body
    assert reverse("people:edit", args=[me.pk]) not in body
    assert "password" not in body


def _more_people(count: int) -> None:
    bengtsfors = Municipality.objects.get(name="Bengtsfors")
    for n in range(count):
        person = User.objects.create(username=f"extra{n}", municipality=bengtsfors)
        person.role_assignments.create(role=Role.IT_MANAGER)


def test_people_list_costs_the_same_queries_for_more_people(coordinator, coordinator_api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts():
        with CaptureQueriesContext(connection) as page:
            assert coordinator.get(reverse("people:list")).status_code == 200
        with CaptureQueriesContext(connection) as api:
            assert coordinator_api.get("/api/v1/people/?page_size=500").status_code == 200
        return len(page), len(api)

    counts()  # the first API call also records the token's use
    before = counts()
    _more_people(30)
    assert counts() == before


@pytest.mark.parametrize("username", ["kd.bengtsfors", "programledare", "itchef", "lasare"])
def test_other_roles_get_no_people_pages_and_no_link(client, demo, username):
    client.login(username=username, password=DEMO_PASSWORD)
    assert client.get(reverse("people:list")).status_code == 403
    assert client.get(reverse("people:add")).status_code == 403
    itchef = User.objects.get(username="itchef")
    assert client.post(reverse("people:edit", args=[itchef.pk]), {}).status_code == 403
    assert reverse("people:list") not in client.get(reverse("home")).content.decode()


def test_samordnare_cannot_change_themselves_a_director_or_someone_outside(coordinator):
    for username, status in (("samordnare", 403), ("kd.bengtsfors", 403), ("kd.skara", 404)):
        person = User.objects.get(username=username)
        url = reverse("people:edit", args=[person.pk])
        assert coordinator.get(url).status_code == status
        response = coordinator.post(
            url, {"first_name": "X", "last_name": "Y", "email": "x@example.se", "reason": "r"}
        )
        assert response.status_code == status
        person.refresh_from_db()
        assert person.first_name != "X"


def test_samordnare_adds_a_person_who_chooses_their_own_password(
    coordinator, caplog, django_capture_on_commit_callbacks, mailoutbox
):
    bengtsfors = Municipality.objects.get(code="1460")
    form = coordinator.get(reverse("people:add")).content.decode()
    assert 'value="kommundirektor"' not in form and 'value="samordnare"' not in form
    assert 'type="password"' not in form
    caplog.set_level(logging.INFO, logger="samverkan.security")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("people:add"),
            {
                "username": "ny.itchef",
                "first_name": "Nora",
                "last_name": "Nilsson",
                "email": "nora.nilsson@bengtsfors.example.se",
                "municipality": bengtsfors.pk,
                "roles": [Role.IT_MANAGER],
                "reason": "Ersätter Kim från 1 januari",
            },
        )
    assert response.status_code == 302
    person = User.objects.get(username="ny.itchef")
    assert person.roles == {Role.IT_MANAGER} and not person.has_usable_password()
    [mail] = mailoutbox
    assert mail.to == ["nora.nilsson@bengtsfors.example.se"]
    assert "ny.itchef" in mail.body
    link = next(line for line in mail.body.splitlines() if "://" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    newcomer = Client()
    form = newcomer.get(path, follow=True)
    assert 'type="password"' in form.content.decode()
    chosen = "Nora-valde-sjalv-2026"
    saved = newcomer.post(
        form.redirect_chain[-1][0], {"new_password1": chosen, "new_password2": chosen}
    )
    assert saved.status_code == 302 and saved["Location"] == reverse("password_reset_complete")
    login = newcomer.post(reverse("login"), {"username": "ny.itchef", "password": chosen})
    assert login.status_code == 302 and "_auth_user_id" in newcomer.session
    # The link was for one use.
    assert 'type="password"' not in newcomer.get(path, follow=True).content.decode()
    [line] = [x for x in _security_lines(caplog) if x.startswith("people.created")]
    assert "actor=samordnare" in line and "person=ny.itchef" in line
    assert "reason=Ersätter_Kim_från_1_januari" in line


@pytest.mark.parametrize(
    "change,field",
    [
        ({"roles": [Role.DIRECTOR]}, "roles"),
        ({"roles": [Role.COORDINATOR]}, "roles"),
        ({"municipality": "1495"}, "municipality"),  # Skara: V6, not Dalsland
        ({"reason": ""}, "reason"),
    ],
)
def test_person_form_refuses_privileged_roles_foreign_municipalities_and_no_reason(
    coordinator, change, field
):
    itchef = User.objects.get(username="itchef")
    data = {
        "first_name": itchef.first_name,
        "last_name": itchef.last_name,
        "email": itchef.email,
        "municipality": itchef.municipality_id,
        "title": itchef.title,
        "roles": [Role.IT_MANAGER, Role.READER],
        "is_active": "on",
        "reason": "Ny uppgift",
        "version": itchef.version,
    }
    if "municipality" in change:
        change = {"municipality": Municipality.objects.get(code=change["municipality"]).pk}
    response = coordinator.post(reverse("people:edit", args=[itchef.pk]), {**data, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    itchef.refresh_from_db()
    itchef.__dict__.pop("roles", None)
    assert itchef.roles == {Role.IT_MANAGER}


def test_role_grant_and_revoke_are_audit_logged_with_who_and_why(
    coordinator, caplog, django_capture_on_commit_callbacks
):
    itchef = User.objects.get(username="itchef")
    caplog.set_level(logging.INFO, logger="samverkan.security")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("people:edit", args=[itchef.pk]),
            {
                "first_name": itchef.first_name,
                "last_name": itchef.last_name,
                "email": itchef.email,
                "municipality": itchef.municipality_id,
                "roles": [Role.READER],
                "is_active": "on",
                "reason": "Byter tjänst",
                "version": itchef.version,
            },
        )
    assert response.status_code == 302
    lines = _security_lines(caplog)
    assert any(line.startswith("people.role_granted") and "role=lasare" in line for line in lines)
    assert any(line.startswith("people.role_revoked") and "role=it_chef" in line for line in lines)


# --- the API -----------------------------------------------------------------------------


def test_api_people_list_is_the_samordnares_own_constellations(coordinator_api):
    response = coordinator_api.get("/api/v1/people/?page_size=500")
    assert response.status_code == 200
    usernames = {p["username"] for p in response.json()["results"]}
    assert "kd.bengtsfors" in usernames and "kd.skara" not in usernames
    rows = {p["username"]: p for p in response.json()["results"]}
    assert rows["itchef"]["can_change"] and not rows["kd.bengtsfors"]["can_change"]


def test_api_refuses_every_path_around_the_rules(coordinator_api):
    me = User.objects.get(username="samordnare")
    director = User.objects.get(username="kd.bengtsfors")
    outsider = User.objects.get(username="kd.skara")
    itchef = User.objects.get(username="itchef")
    skara = Municipality.objects.get(code="1495")
    assert coordinator_api.patch(f"/api/v1/people/{me.pk}/", {}).status_code == 403
    assert coordinator_api.patch(f"/api/v1/people/{director.pk}/", {}).status_code == 403
    assert coordinator_api.patch(f"/api/v1/people/{outsider.pk}/", {}).status_code == 404
    grant = coordinator_api.patch(
        f"/api/v1/people/{itchef.pk}/",
        {"roles": [Role.DIRECTOR], "reason": "r"},
        format="json",
    )
    assert grant.status_code == 400 and "roles" in grant.json()["errors"]
    move = coordinator_api.patch(
        f"/api/v1/people/{itchef.pk}/", {"municipality": skara.pk, "reason": "r"}, format="json"
    )
    assert move.status_code == 400 and "municipality" in move.json()["errors"]
    password = coordinator_api.patch(
        f"/api/v1/people/{itchef.pk}/", {"password": "x"}, format="json"
    )
    assert password.status_code == 400 and "password" in password.json()["errors"]
    itchef.refresh_from_db()
    assert itchef.roles == {Role.IT_MANAGER} and itchef.municipality.code != "1495"


@pytest.mark.parametrize("username", ["kd.bengtsfors", "programledare", "itchef", "lasare"])
def test_api_people_is_refused_to_other_roles_whatever_the_body(demo, username):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    itchef = User.objects.get(username="itchef")
    assert client.get("/api/v1/people/").status_code == 403
    assert (
        client.post("/api/v1/people/", "broken", content_type="application/json").status_code == 403
    )
    assert client.patch(f"/api/v1/people/{itchef.pk}/", {}).status_code == 403


def test_api_creates_a_person_with_operational_roles(coordinator_api, mailoutbox):
    bengtsfors = Municipality.objects.get(code="1460")
    response = coordinator_api.post(
        "/api/v1/people/",
        {
            "username": "api.lasare",
            "first_name": "Alva",
            "last_name": "Ek",
            "email": "alva.ek@bengtsfors.example.se",
            "municipality": bengtsfors.pk,
            "roles": [Role.READER],
            "reason": "Revisor",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["roles"] == [Role.READER]
    duplicate = coordinator_api.post(
        "/api/v1/people/",
        {
            "username": "api.lasare2",
            "first_name": "Alva",
            "last_name": "Ek",
            "email": "ALVA.EK@bengtsfors.example.se",
            "municipality": bengtsfors.pk,
            "reason": "Revisor",
        },
        format="json",
    )
    assert duplicate.status_code == 400 and "email" in duplicate.json()["errors"]


def test_the_people_api_searches_and_refuses_a_nul_in_the_search(coordinator_api):
    found = coordinator_api.get("/api/v1/people/", {"search": "Ålander"})
    assert found.status_code == 200
    assert [p["last_name"] for p in found.json()["results"]] == ["Ålander"]
    refused = coordinator_api.get("/api/v1/people/", {"search": "Åla\x00nder"})
    assert refused.status_code == 400
    assert "search" in refused.json()["errors"]
