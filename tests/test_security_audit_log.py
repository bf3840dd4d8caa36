"""Every refused access is logged with UTC time, user and what was refused; never a secret."""

import logging
import re
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from accounts.services import api_token_create
from samverkan.log_format import UTCFormatter
from tests import factories

pytestmark = pytest.mark.django_db

SECURITY_LOGGER = "samverkan.security"


def _forbidden(request, pk):
    raise PermissionDenied


def _hidden(request, pk):
    raise Http404


def _fine(request):
    return HttpResponse("ok")


urlpatterns = [
    path("forbidden/<int:pk>/", _forbidden, name="forbidden"),
    path("hidden/<int:pk>/", _hidden, name="hidden"),
    path("fine/", _fine, name="fine"),
]


def _security_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == SECURITY_LOGGER]


def test_log_timestamps_are_utc_whatever_the_time_zone():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    record.created = 1767225600.25  # 2026-01-01 00:00:00.25 UTC, 01:00 in Stockholm
    record.msecs = 250
    assert UTCFormatter().formatTime(record) == "2026-01-01T00:00:00.250Z"


def test_the_configured_log_format_carries_utc_time(settings):
    formatter = settings.LOGGING["formatters"]["plain"]
    assert formatter["()"] == "samverkan.log_format.UTCFormatter"
    record = logging.LogRecord(
        SECURITY_LOGGER, logging.INFO, __file__, 1, "login.success", None, None
    )
    record.request_id = "req-0001"  # the handler's filter gives every record one
    line = UTCFormatter(formatter["format"]).format(record)
    expected = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
    assert re.match(
        rf"{expected}\.\d{{3}}Z INFO samverkan.security \[req-0001\] login.success", line
    )


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(("url", "status"), [("/forbidden/17/", 403), ("/hidden/17/", 404)])
def test_refused_access_names_time_user_and_object(client, caplog, url, status):
    person = factories.user(username="it.dalsed")
    client.force_login(person)
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        assert client.get(url).status_code == status
    [line] = [x for x in _security_lines(caplog) if x.startswith("access.refused")]
    assert f"status={status}" in line
    assert "user=it.dalsed" in line
    assert f"path={url}" in line
    assert "object=pk:17" in line


@override_settings(ROOT_URLCONF=__name__)
def test_unknown_urls_and_allowed_requests_are_not_logged_as_refusals(client, caplog):
    client.force_login(factories.user())
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        client.get("/fine/")
        client.get("/no-such-page/")
    assert not [x for x in _security_lines(caplog) if x.startswith("access.refused")]


def test_initiative_of_another_constellation_is_refused_and_logged(client, caplog):
    dalsland = factories.portfolio()
    hidden = factories.initiative(dalsland)
    outsider = factories.user("1495", username="it.skara")  # Skara: V6, not Dalsland
    client.force_login(outsider)
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        response = client.get(f"/api/v1/initiatives/{hidden.pk}/")
    assert response.status_code == 404
    [line] = [x for x in _security_lines(caplog) if x.startswith("access.refused")]
    assert "user=it.skara" in line and f"pk:{hidden.pk}" in line


def test_csrf_refusal_is_logged(caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.user(username="csrf.user"))
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        assert client.post("/logout/").status_code == 403
    assert any("status=403" in x and "user=csrf.user" in x for x in _security_lines(caplog))


def test_api_tokens_never_reach_the_log(client, caplog):
    person = factories.user(username="api.user")
    _, key = api_token_create(user=person, name="Integration")
    wrong = key[:-4] + "abcd"
    with caplog.at_level(logging.DEBUG):
        ok = client.get("/api/v1/initiatives/", HTTP_AUTHORIZATION=f"Bearer {key}")
        refused = client.get(
            f"/api/v1/initiatives/?token={wrong}", HTTP_AUTHORIZATION=f"Bearer {wrong}"
        )
    assert ok.status_code == 200
    assert refused.status_code == 401
    refusals = [x for x in _security_lines(caplog) if x.startswith("access.refused")]
    assert refusals and "status=401" in refusals[0]
    for secret in (key, wrong, key[3:], wrong[3:]):
        assert secret not in caplog.text
        assert all(secret not in str(r.args) for r in caplog.records)


def test_logout_is_logged(client, caplog):
    person = factories.user(username="leaving")
    client.force_login(person)
    with caplog.at_level(logging.INFO, logger=SECURITY_LOGGER):
        client.post("/logout/")
    assert any(x.startswith("logout") and "user=leaving" in x for x in _security_lines(caplog))
