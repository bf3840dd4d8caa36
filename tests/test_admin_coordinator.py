"""The samordnare keeps reference data and users in the admin, within their constellations."""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from portfolio.demo.content import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, demo):
    client.login(username="samordnare", password=DEMO_PASSWORD)
    return client


def test_samordnare_reaches_the_admin_and_sees_own_constellations_only(coordinator):
    assert coordinator.get(reverse("admin:index")).status_code == 200
    body = coordinator.get(reverse("admin:municipalities_constellation_changelist")).content
    # Vänersborg belongs to Dalsland's six, not to 4D, 5D or V6.
    assert "Dalslands sex kommuner" in body.decode() and b"V6 Skaraborg" not in body
    assert b"Dalsland 4D" not in body


def test_samordnare_manages_people_of_own_municipalities_without_privilege_fields(coordinator):
    users = coordinator.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "kd.bengtsfors" in users and "kd.skara" not in users
    director = User.objects.get(username="kd.bengtsfors")
    form = coordinator.get(reverse("admin:accounts_user_change", args=[director.pk]))
    assert form.status_code == 200
    assert b"is_superuser" not in form.content and b"user_permissions" not in form.content
    outsider = User.objects.get(username="kd.skara")
    response = coordinator.get(reverse("admin:accounts_user_change", args=[outsider.pk]))
    assert response.status_code == 302  # "does not exist": redirected to the admin index


def test_samordnare_cannot_change_national_reference_data(coordinator):
    from municipalities.models import Municipality

    bengtsfors = Municipality.objects.get(code="1460")
    url = reverse("admin:municipalities_municipality_change", args=[bengtsfors.pk])
    response = coordinator.post(
        url, {"code": "1460", "name": "Ändrat", "county": bengtsfors.county_id}
    )
    assert response.status_code == 403
    bengtsfors.refresh_from_db()
    assert bengtsfors.name == "Bengtsfors"


@pytest.mark.parametrize("username", ["kd.bengtsfors", "programledare", "itchef", "lasare"])
def test_other_roles_do_not_reach_the_admin(client, demo, username):
    client.login(username=username, password=DEMO_PASSWORD)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert Role.COORDINATOR not in User.objects.get(username=username).roles
