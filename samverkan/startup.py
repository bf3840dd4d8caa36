"""What a production process checks as it starts, before it serves a page or takes a job.

Called by gunicorn's master (samverkan/gunicorn_conf.py) and by Celery's worker and beat
(samverkan/celery.py), only with DJANGO_ENV=production: tests, `make run` and manage.py
commands never wait for a service here. A failure ends the process with exit code 1 and
a message naming the variable to fix, instead of a start that fails quietly later.

1. Redis answers within REDIS_TIMEOUT_SECONDS. Without it the web would queue no job
   and a worker would wait for one forever.
2. The database is the installation's. Every database carries one id (samverkan.models.
   Installation). The first process to start on a broker records its database's id
   there (CLAIM_KEY); a process whose database has another id refuses to start. A
   worker on another database would otherwise run the jobs the web queued against the
   wrong rows, or against rows that are not there. A new installation on a Redis that
   served another one takes the broker over once with `manage.py claim_broker`.
"""

import sys
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

REDIS_TIMEOUT_SECONDS = 2.0
CLAIM_KEY = "samverkan:installation"


class Refused(Exception):
    """A reason not to start, as one line an operator acts on."""


def shown_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def redis_variables() -> dict[str, str]:
    """The Redis URLs in use, by the variable that set them (the broker may be separate)."""
    urls = {}
    if settings.REDIS_URL:
        urls["REDIS_URL"] = settings.REDIS_URL
    if settings.CELERY_BROKER_URL and settings.CELERY_BROKER_URL != settings.REDIS_URL:
        urls["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    return urls


def redis_client(url: str):
    import redis

    return redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )


def require_redis(name: str, url: str) -> None:
    try:
        redis_client(url).ping()
    except Exception as error:  # noqa: BLE001 - whatever it is, the process cannot work
        raise Refused(
            f"{name} ({shown_url(url)}) does not answer within {REDIS_TIMEOUT_SECONDS:g} s "
            f"({type(error).__name__}). Start Redis or correct {name}: background jobs "
            "and the shared cache need it."
        ) from None


def installation_id() -> str:
    """This database's id; made here if a flush removed the migration's row."""
    from django.db import DatabaseError

    from samverkan.models import Installation

    try:
        row, _ = Installation.objects.get_or_create(pk=1)
    except DatabaseError as error:
        raise Refused(
            f"The database in DATABASE_URL cannot be read ({type(error).__name__}: "
            f"{str(error).strip().splitlines()[0] if str(error).strip() else ''}). Start "
            "it, correct DATABASE_URL, or run `python manage.py migrate`."
        ) from None
    return str(row.uuid)


def broker_variable() -> str:
    return "CELERY_BROKER_URL" if "CELERY_BROKER_URL" in redis_variables() else "REDIS_URL"


def require_same_installation(own: str) -> None:
    """Record this database's id on the broker if none is, else insist on the same."""
    client = redis_client(settings.CELERY_BROKER_URL)
    client.set(CLAIM_KEY, own, nx=True)
    claimed = (client.get(CLAIM_KEY) or b"").decode()
    if claimed != own:
        name = broker_variable()
        raise Refused(
            f"DATABASE_URL points at another database than the other processes on "
            f"{name} ({shown_url(settings.CELERY_BROKER_URL)}) use: this database is "
            f"installation {own}, the broker serves installation {claimed}. A worker on "
            "another database would run the jobs against the wrong rows. Give web, worker "
            "and beat the same DATABASE_URL. Only for a new installation on a Redis that "
            "served another one: run `python manage.py claim_broker` once."
        )


def check(role: str) -> None:
    """Every start check for `role` (web, worker, beat); refuses with exit code 1."""
    from django.db import connections

    try:
        for name, url in redis_variables().items():
            require_redis(name, url)
        require_same_installation(installation_id())
    except Refused as refused:
        sys.stderr.write(f"Samverkan {role} refuses to start: {refused}\n")
        sys.stderr.flush()
        raise SystemExit(1) from None
    finally:
        # Nothing opened here may be inherited by the processes forked next.
        connections.close_all()


def check_in_production(role: str) -> None:
    if settings.PRODUCTION:
        check(role)
