"""Behind the documented proxy the lockout and the audit log use the real client address.

Both clients reach the application through the same proxy (one REMOTE_ADDR); the proxy
appends the address it saw to X-Forwarded-For.
"""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
CLIENT_A = "198.51.100.7"
CLIENT_B = "203.0.113.9"
WRONG = "fel-losenord-123"


def _login(client, password, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": "delad.anvandare", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def _lock_out_a(client_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client_a, WRONG, CLIENT_A)


def _lockout_lines(caplog):
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "samverkan.security" and r.getMessage().startswith("login.lockout")
    ]


def test_behind_the_proxy_locking_out_one_client_leaves_the_other_free(settings, caplog, client):
    settings.SAMVERKAN_PROXY_COUNT = 1
    factories.user(username="delad.anvandare")
    with caplog.at_level(logging.INFO, logger="samverkan.security"):
        _lock_out_a(client, settings)
    assert _login(client, factories.PASSWORD, CLIENT_A).status_code == 429

    assert _login(Client(), factories.PASSWORD, CLIENT_B).status_code == 302
    lines = _lockout_lines(caplog)
    assert lines and f"ip={CLIENT_A}" in lines[0]
    assert PROXY not in lines[0]


def test_a_forged_left_entry_does_not_move_the_client_address(settings, caplog, client):
    """The attacker may send its own X-Forwarded-For; the proxy's entry is the last one."""
    settings.SAMVERKAN_PROXY_COUNT = 1
    factories.user(username="delad.anvandare")
    with caplog.at_level(logging.INFO, logger="samverkan.security"):
        for forged in range(settings.AXES_FAILURE_LIMIT):
            _login(client, WRONG, f"192.0.2.{forged}, {CLIENT_A}")
    assert f"ip={CLIENT_A}" in _lockout_lines(caplog)[0]
    assert _login(client, factories.PASSWORD, f"192.0.2.99, {CLIENT_A}").status_code == 429


def test_without_the_proxy_setting_x_forwarded_for_is_ignored(settings, caplog, client):
    settings.SAMVERKAN_PROXY_COUNT = 0
    factories.user(username="delad.anvandare")
    with caplog.at_level(logging.INFO, logger="samverkan.security"):
        _lock_out_a(client, settings)

    # A different header is not a different client: the pair (user, REMOTE_ADDR) is locked.
    assert _login(Client(), factories.PASSWORD, CLIENT_B).status_code == 429
    lines = _lockout_lines(caplog)
    assert lines and f"ip={PROXY}" in lines[0]
    assert CLIENT_A not in lines[0]
