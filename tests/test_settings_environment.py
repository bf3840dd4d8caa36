"""Settings come from the environment through django-environ (samverkan/environment.py).

Without any variable, `make run` gets the embedded default (SQLite, jobs in process, mail
printed); a value that does not parse, or half of a pair, stops the start with a message
naming the variable and exit code 1, in local use as in production."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from samverkan.environment import Environment
from tests.test_security_deploy import PRODUCTION_ENV, _run_in_production

LOCAL = {**{name: "" for name in PRODUCTION_ENV}, "DJANGO_ENV": ""}

SHOW_SETTINGS = """
import django, json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
django.setup()
from django.conf import settings as s
print(json.dumps({
    "engine": s.DATABASES["default"]["ENGINE"],
    "database": str(s.DATABASES["default"]["NAME"]),
    "conn_max_age": s.DATABASES["default"]["CONN_MAX_AGE"],
    "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "cache": s.CACHES["default"]["BACKEND"],
    "mail": s.EMAIL_BACKEND,
    "debug": s.DEBUG,
    "hosts": s.ALLOWED_HOSTS,
    "media_root": str(s.MEDIA_ROOT),
    "warning_days": s.REPORTS_AGREEMENT_WARNING_DAYS,
    "storage": s.STORAGES["default"]["BACKEND"],
}))
"""


def _settings(**env: str) -> dict:
    result = _run_in_production(["-c", SHOW_SETTINGS], **{**LOCAL, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_any_variable_make_run_gets_the_embedded_default():
    shown = _settings()
    assert shown["engine"] == "django.db.backends.sqlite3"
    assert shown["database"].endswith("/db.sqlite3")
    assert shown["conn_max_age"] == 60
    assert shown["eager"] is True
    assert shown["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert shown["mail"] == "django.core.mail.backends.console.EmailBackend"
    assert shown["debug"] is True
    assert shown["hosts"] == ["127.0.0.1", "localhost", "testserver"]
    assert shown["media_root"].endswith("/media")
    assert shown["warning_days"] == [90, 30, 7]
    assert shown["storage"] == "django.core.files.storage.FileSystemStorage"


def test_variables_are_typed_and_lists_read_with_spaces():
    shown = _settings(
        DATABASE_URL="postgres://samverkan@db.invalid:5432/samverkan",
        DB_CONN_MAX_AGE="0",
        REDIS_URL="redis://redis.invalid:6379/3",
        DEBUG="false",
        ALLOWED_HOSTS="samverkan.example.se, intern.example.se",
        REPORTS_AGREEMENT_WARNING_DAYS="60, 14",
    )
    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["database"] == "samverkan"
    assert shown["conn_max_age"] == 0
    assert shown["eager"] is False
    assert shown["cache"] == "samverkan.cache.FallbackRedisCache"
    assert shown["debug"] is False
    assert shown["hosts"] == ["samverkan.example.se", "intern.example.se"]
    assert shown["warning_days"] == [60, 14]


def test_an_empty_variable_counts_as_unset():
    """Compose passes `${X:-}`: an empty value keeps the default, it does not clear it."""
    env = Environment({"SECURE_SSL_REDIRECT": "", "EMAIL_PORT": " ", "MEDIA_ROOT": ""})
    assert env.bool("SECURE_SSL_REDIRECT", default=True) is True
    assert env.int("EMAIL_PORT", default=25) == 25
    assert env.str("MEDIA_ROOT", default="/srv/media") == "/srv/media"
    assert "SECURE_SSL_REDIRECT" not in env


def test_a_value_starting_with_a_dollar_is_taken_as_written():
    """django-environ would read `$x` as a reference to the variable x."""
    env = Environment({"EMAIL_HOST_PASSWORD": "$ecret-Lösen1"})
    assert env.str("EMAIL_HOST_PASSWORD", default="") == "$ecret-Lösen1"


@pytest.mark.parametrize(
    "variables,read",
    [
        ({"EMAIL_PORT": "smtp"}, lambda env: env.int("EMAIL_PORT", default=25)),
        ({"DEBUG": "ja"}, lambda env: env.bool("DEBUG", default=False)),
        ({"CACHE_SOCKET_TIMEOUT": "fort"}, lambda env: env.float("CACHE_SOCKET_TIMEOUT", 0.5)),
        ({"DAYS": "90,trettio"}, lambda env: env.list("DAYS", cast=int, default=[])),
        ({"DATABASE_URL": "postgres://db:port/x"}, lambda env: env.db_url("DATABASE_URL")),
    ],
)
def test_a_value_that_does_not_parse_names_its_variable(variables, read):
    with pytest.raises(ImproperlyConfigured) as refused:
        read(Environment(variables))
    assert next(iter(variables)) in str(refused.value)


HALF = [
    # A bucket without credentials.
    ({"STORAGE_BACKEND": "s3", "AWS_STORAGE_BUCKET_NAME": "dokument"}, "AWS_ACCESS_KEY_ID"),
    ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND"),
    # A mail host without its port.
    ({"EMAIL_HOST": "smtp.example.se"}, "EMAIL_PORT"),
    ({"EMAIL_HOST": "smtp.example.se", "EMAIL_PORT": "587", "EMAIL_HOST_USER": "sv"}, "PASSWORD"),
    ({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "EMAIL_USE_SSL"),
    ({"OIDC_RP_CLIENT_ID": "samverkan", "OIDC_RP_CLIENT_SECRET": "hemligt"}, "OIDC"),
    # A value that does not parse.
    ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
    ({"DEBUG": "kanske"}, "DEBUG"),
]


@pytest.mark.parametrize("change,named", HALF)
def test_half_a_configuration_refuses_to_start_in_local_use_too(change, named):
    result = _run_in_production(["manage.py", "check"], **{**LOCAL, **change})
    assert result.returncode == 1, result.stdout + result.stderr
    assert named in result.stderr
    assert "Traceback" not in result.stderr
