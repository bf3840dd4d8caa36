"""Local login: password rules, lockout after repeated failures, and the audit lines."""

import logging

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

SECURITY_LOGGER = "samverkan.security"


def _post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.parametrize(
    "password",
    [
        "kort-lösen1",  # 11 characters: below the minimum of 12
        "password1234",  # on the common-password list
        "123456789012345",  # only digits
    ],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("Grindbeslut-Dalsland-2026")


def test_minimum_length_is_twelve_characters():
    with pytest.raises(ValidationError) as refused:
        validate_password("Xq7-vbn3kLp")  # 11 characters, not common
    assert any(error.code == "password_too_short" for error in refused.value.error_list)
    validate_password("Xq7-vbn3kLp9")  # 12 characters


def test_login_page_logs_in_and_writes_an_audit_line(client, caplog):
    person = factories.user(username="kd.test")
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        response = _post_login(client, "kd.test", factories.PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)
    lines = [r.getMessage() for r in caplog.records if r.name == SECURITY_LOGGER]
    assert any(line.startswith("login.success") and "user=kd.test" in line for line in lines)


def test_demo_logins_still_work_through_the_login_page(client, demo):
    response = _post_login(client, "kd.bengtsfors", "samverkan-demo-2026")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_test_client_login_without_a_request_still_works(client):
    factories.user(username="helper.login")
    assert client.login(username="helper.login", password=factories.PASSWORD)


def test_failed_login_is_logged_without_the_password(client, caplog):
    factories.user(username="it.amal")
    secret = "Hemligt-Lösenord-Som-Inte-Får-Loggas-42"
    with caplog.at_level(logging.DEBUG):
        response = _post_login(client, "it.amal", secret)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    failures = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith("login.failure")
    ]
    assert failures and "username=it.amal" in failures[0]
    assert secret not in caplog.text
    assert all(secret not in str(r.args) for r in caplog.records)


def test_repeated_failures_lock_the_login_even_with_the_right_password(client, caplog, settings):
    factories.user(username="lasare.test")
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _post_login(client, "lasare.test", "fel-losenord-123").status_code == 200
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        locked = _post_login(client, "lasare.test", "fel-losenord-123")
        assert locked.status_code == 429
        again = _post_login(client, "lasare.test", factories.PASSWORD)
    assert again.status_code == 429
    assert "Inloggningen är spärrad" in again.content.decode()
    assert "_auth_user_id" not in client.session
    lines = [r.getMessage() for r in caplog.records if r.name == SECURITY_LOGGER]
    assert any(
        line.startswith("login.lockout") and "username=lasare.test" in line for line in lines
    )
    assert any("access.refused" in line and "status=429" in line for line in lines)


def test_lockout_is_per_username_so_colleagues_can_still_log_in(client, settings):
    factories.user(username="victim")
    factories.user(username="colleague")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "victim", "fel-losenord-123")
    assert _post_login(client, "colleague", factories.PASSWORD).status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, settings):
    factories.user(username="forgetful")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _post_login(client, "forgetful", "fel-losenord-123")
    assert _post_login(client, "forgetful", factories.PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _post_login(client, "forgetful", "fel-losenord-123")
    assert _post_login(client, "forgetful", factories.PASSWORD).status_code == 302


def test_usernames_cannot_forge_log_lines(client, caplog):
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        _post_login(client, "x\nlogin.success user=admin", "fel-losenord-123")
    messages = [r.getMessage() for r in caplog.records if r.name == SECURITY_LOGGER]
    assert messages and all("\n" not in message for message in messages)
