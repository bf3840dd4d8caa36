"""Sessions end after inactivity and, in any case, a fixed time after login."""

import logging
import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from samverkan.security import SESSION_LAST_ACTIVITY, SESSION_LOGIN_AT
from tests import factories

pytestmark = pytest.mark.django_db

HOME = "/"


def _log_in(client):
    person = factories.user(username="kd.session")
    response = client.post(
        reverse("login"), {"username": "kd.session", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    return person


def _shift(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_idle_timeout_comes_from_the_environment_with_a_30_minute_default():
    assert django_settings.SESSION_IDLE_TIMEOUT == 30 * 60


def test_sessions_live_in_the_database_not_the_cache():
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_an_active_user_stays_logged_in(client):
    _log_in(client)
    _shift(client, **{SESSION_LAST_ACTIVITY: 29 * 60})
    assert client.get(HOME).status_code == 200
    # The request counted as activity.
    assert int(time.time()) - client.session[SESSION_LAST_ACTIVITY] < 5


def test_a_session_idle_longer_than_the_timeout_is_ended(client, caplog):
    _log_in(client)
    _shift(client, **{SESSION_LAST_ACTIVITY: 31 * 60})
    with caplog.at_level(logging.INFO, logger="samverkan.security"):
        response = client.get(HOME)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert "_auth_user_id" not in client.session
    assert any(
        "session.expired" in r.getMessage() and "reason=idle" in r.getMessage()
        for r in caplog.records
    )


def test_idle_timeout_follows_the_setting(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    _log_in(client)
    _shift(client, **{SESSION_LAST_ACTIVITY: 6 * 60})
    assert client.get(HOME).status_code == 302


def test_an_active_session_still_ends_at_the_absolute_limit(client):
    _log_in(client)
    age = django_settings.SESSION_COOKIE_AGE
    _shift(client, **{SESSION_LOGIN_AT: age + 60, SESSION_LAST_ACTIVITY: 10})
    response = client.get(HOME)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_api_requests_on_an_idle_session_are_refused(client):
    _log_in(client)
    _shift(client, **{SESSION_LAST_ACTIVITY: 31 * 60})
    assert client.get("/api/v1/initiatives/").status_code in (401, 403)


def test_the_session_cookie_is_http_only_and_bounded(client):
    response = client.post(
        reverse("login"),
        {"username": factories.user().username, "password": factories.PASSWORD},
    )
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert int(cookie["max-age"]) == django_settings.SESSION_COOKIE_AGE
