"""PostgreSQL restarts: the application recovers without a manual restart.

A restart ends every server-side connection. The test ends the web process's connection
the same way, with pg_terminate_backend from a second connection (the server itself keeps
running: other test runs share it), then shows that the next request succeeds. That works
because CONN_HEALTH_CHECKS makes Django test a kept connection before reusing it.
"""

import io

import psycopg2
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client

from accounts.models import User
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _wsgi_get(handler: WSGIHandler, path: str, cookie: str) -> int:
    """A request through the real WSGI entry point, with its request_started/finished
    signals (the test client switches off the connection handling we test here)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookie,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
    }
    statuses = []
    response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(response)
    response.close()
    return int(statuses[0].split()[0])


def _terminate(pid: int) -> None:
    db = settings.DATABASES["default"]
    other = psycopg2.connect(
        dbname=connection.settings_dict["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0]
    finally:
        other.close()


def test_connections_are_kept_and_health_checked():
    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] > 0


@pytest.fixture
def kept_connections():
    """Connections are kept between requests, as in production."""
    previous = connection.settings_dict["CONN_MAX_AGE"]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 600
    yield
    connection.settings_dict["CONN_MAX_AGE"] = previous
    connection.close()


def test_the_next_request_succeeds_after_the_server_ended_the_connection(kept_connections):
    # No municipality: a transactional test may run after another has emptied the tables.
    person = User.objects.create_user(username="kd.restart", password=factories.PASSWORD)
    client = Client()
    client.force_login(person)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    handler = WSGIHandler()
    assert _wsgi_get(handler, "/", cookie) == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    _terminate(pid)

    assert _wsgi_get(handler, "/", cookie) == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
