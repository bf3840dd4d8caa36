"""Personal API tokens: stored hashed, shown once, refused when revoked or expired."""

import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.services import api_token_create, api_token_revoke
from portfolio.models import Initiative

pytestmark = pytest.mark.django_db


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def dalsland_initiative():
    return Initiative.objects.filter(portfolio__reference_prefix="DAL").order_by("id").first()


def test_token_is_stored_as_sha256_and_only_its_prefix_is_kept(demo):
    user = User.objects.get(username="itchef")
    token, key = api_token_create(user=user, name="Intranät")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {stored.key_hash, stored.prefix, stored.name}
    assert key.startswith(stored.prefix) and len(stored.prefix) < len(key) // 3


def test_token_authenticates_and_records_last_use(client, demo):
    user = User.objects.get(username="itchef")
    token, key = api_token_create(user=user, name="BI")
    response = client.get(reverse("initiative-list"), **bearer(key))
    assert response.status_code == 200
    assert response.json()["count"] > 0
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_profile_page_shows_a_new_key_once(client, demo):
    user = User.objects.get(username="itchef")
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"name": "Stratsys", "expires_on": ""})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key and key.encode() in response.content
    assert response["Cache-Control"] == "no-store"
    again = client.get(reverse("accounts:profile"))
    assert key.encode() not in again.content
    assert b"Stratsys" in again.content
    assert client.get(reverse("initiative-list"), **bearer(key)).status_code == 200


def test_profile_form_refuses_a_past_expiry_with_a_swedish_message(client, demo):
    client.force_login(User.objects.get(username="itchef"))
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(reverse("accounts:profile"), {"name": "X", "expires_on": yesterday})
    assert "förflutna" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoked_token_is_refused(client, demo):
    user = User.objects.get(username="itchef")
    token, key = api_token_create(user=user, name="Gammal")
    client.force_login(user)
    response = client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    client.logout()
    response = client.get(reverse("initiative-list"), **bearer(key))
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_someone_elses_token_cannot_be_revoked(client, demo):
    owner = User.objects.get(username="itchef")
    token, key = api_token_create(user=owner, name="Min")
    client.force_login(User.objects.get(username="lasare"))
    assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_expired_token_is_refused(client, demo):
    user = User.objects.get(username="itchef")
    token, key = api_token_create(
        user=user, name="Kort", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    assert client.get(reverse("initiative-list"), **bearer(key)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(reverse("initiative-list"), **bearer(key)).status_code == 401


def test_token_of_inactive_user_is_refused(client, demo):
    user = User.objects.get(username="itchef")
    _, key = api_token_create(user=user, name="X")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(reverse("initiative-list"), **bearer(key)).status_code == 401


def test_unknown_or_malformed_token_is_refused(client, demo):
    assert client.get(reverse("initiative-list"), **bearer("sv_nope")).status_code == 401
    response = client.get(reverse("initiative-list"), HTTP_AUTHORIZATION="Bearer a b")
    assert response.status_code == 401


def test_skara_token_gets_404_on_dalsland_initiative(client, demo):
    skara = User.objects.get(username="itchef.skara")
    _, key = api_token_create(user=skara, name="V6")
    initiative = dalsland_initiative()
    url = reverse("initiative-detail", args=[initiative.pk])
    assert client.get(url, **bearer(key)).status_code == 404
    response = client.patch(
        url,
        {"title": "Kapat", "version": initiative.version},
        content_type="application/json",
        **bearer(key),
    )
    assert response.status_code == 404
    listed = client.get(reverse("initiative-list"), **bearer(key)).json()
    assert initiative.pk not in {row["id"] for row in listed["results"]}


def test_revoking_twice_keeps_the_first_time(demo):
    user = User.objects.get(username="itchef")
    token, _ = api_token_create(user=user, name="X")
    first = api_token_revoke(user=user, token_id=token.pk).revoked_at
    assert api_token_revoke(user=user, token_id=token.pk).revoked_at == first
