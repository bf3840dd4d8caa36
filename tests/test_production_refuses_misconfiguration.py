"""Production refuses to start misconfigured, naming every problem in one message.

The process is started as an operator would (`manage.py check` with DJANGO_ENV=production
and a configuration missing one piece); the embedded local default needs none of it."""

from pathlib import Path

import pytest

from samverkan.production import problems
from tests.test_security_deploy import PRODUCTION_ENV, _run_in_production

ROOT = Path(__file__).resolve().parent.parent
COMPLETE = {**PRODUCTION_ENV}


def test_the_complete_configuration_has_no_problems():
    assert problems(COMPLETE, code_dir=ROOT) == []


MISSING = [
    ("SECRET_KEY", "SECRET_KEY"),
    ("DATABASE_URL", "DATABASE_URL"),
    ("REDIS_URL", "REDIS_URL"),
    ("SITE_URL", "SITE_URL"),
    ("ALLOWED_HOSTS", "ALLOWED_HOSTS"),
    ("EMAIL_HOST", "EMAIL_HOST"),
    ("EMAIL_PORT", "EMAIL_PORT"),
    ("DEFAULT_FROM_EMAIL", "DEFAULT_FROM_EMAIL"),
    ("MEDIA_ROOT", "MEDIA_ROOT"),
]


@pytest.mark.parametrize("name,named", MISSING)
def test_each_missing_setting_is_named(name, named):
    env = {key: value for key, value in COMPLETE.items() if key != name}
    [problem] = problems(env, code_dir=ROOT)
    assert named in problem


UNSAFE = [
    ({"SECRET_KEY": "x"}, "SECRET_KEY"),
    ({"SECRET_KEY": "a" * 60}, "SECRET_KEY"),
    ({"DATABASE_URL": "sqlite:///db.sqlite3"}, "PostgreSQL"),
    ({"REDIS_URL": "memory://"}, "Redis"),
    ({"SITE_URL": "http://samverkan.example.se"}, "https://"),
    ({"SITE_URL": "https://127.0.0.1:8000"}, "SITE_URL"),
    ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
    ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "EMAIL_BACKEND"),
    ({"EMAIL_HOST_USER": "samverkan"}, "EMAIL_HOST_PASSWORD"),
    ({"MEDIA_ROOT": "media"}, "absolute"),
    ({"MEDIA_ROOT": str(ROOT / "media")}, "code directory"),
    ({"DEBUG": "true"}, "DEBUG"),
]


@pytest.mark.parametrize("change,named", UNSAFE)
def test_each_unsafe_or_half_setting_is_named(change, named):
    [problem] = problems({**COMPLETE, **change}, code_dir=ROOT)
    assert named in problem


def test_a_broker_url_of_its_own_stands_in_for_redis_url():
    env = {key: value for key, value in COMPLETE.items() if key != "REDIS_URL"}
    assert problems({**env, "CELERY_BROKER_URL": "redis://broker:6379/1"}, code_dir=ROOT) == []


def test_production_refuses_to_start_and_names_every_problem_at_once():
    emptied = {name: "" for name, _ in MISSING}
    result = _run_in_production(["manage.py", "check"], **emptied)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for name, named in MISSING:
        assert named in result.stderr, name


def test_production_starts_when_complete_and_local_needs_nothing():
    assert _run_in_production(["manage.py", "check"]).returncode == 0
    local = _run_in_production(
        ["manage.py", "check"], DJANGO_ENV="", **{name: "" for name, _ in MISSING}
    )
    assert local.returncode == 0, local.stderr


def test_the_image_build_collects_static_files_without_the_production_configuration():
    """The Dockerfile runs collectstatic with samverkan.settings_build: no secrets then."""
    emptied = {name: "" for name, _ in MISSING}
    script = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='samverkan.settings_build';"
        "django.setup(); from django.conf import settings;"
        "print(settings.STORAGES['staticfiles']['BACKEND'])"
    )
    result = _run_in_production(["-c", script], **emptied)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


WITHOUT_PANGO = """
import sys

class NoPango:
    # What WeasyPrint's import raises on a machine without Pango.
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")

sys.meta_path.insert(0, NoPango())
sys.argv = ["manage.py", "check"]
exec(open("manage.py").read())
"""


def test_a_machine_without_the_pdf_libraries_is_told_what_to_install():
    result = _run_in_production(["-c", WITHOUT_PANGO], DJANGO_ENV="")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "apt-get install libpango-1.0-0" in result.stderr


S3 = {
    "STORAGE_BACKEND": "s3",
    "AWS_STORAGE_BUCKET_NAME": "samverkan-dokument",
    "AWS_S3_ENDPOINT_URL": "https://objekt.example.se",
    "AWS_ACCESS_KEY_ID": "samverkan",
    "AWS_SECRET_ACCESS_KEY": "a-secret-access-key",
}
WITHOUT_MEDIA_ROOT = {key: value for key, value in COMPLETE.items() if key != "MEDIA_ROOT"}


def test_object_storage_stands_in_for_media_root():
    assert problems({**WITHOUT_MEDIA_ROOT, **S3}, code_dir=ROOT) == []


@pytest.mark.parametrize(
    "missing", ["AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
)
def test_half_an_object_storage_is_refused(missing):
    env = {key: value for key, value in {**WITHOUT_MEDIA_ROOT, **S3}.items() if key != missing}
    [problem] = problems(env, code_dir=ROOT)
    assert missing in problem


STORAGE_UNSAFE = [
    # The bucket is named but the files would still go to this machine's disk.
    ({"AWS_STORAGE_BUCKET_NAME": "samverkan-dokument"}, "STORAGE_BACKEND"),
    ({**S3, "AWS_S3_ENDPOINT_URL": "http://objekt.example.se"}, "https://"),
    ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND"),
]


@pytest.mark.parametrize("change,named", STORAGE_UNSAFE)
def test_a_storage_that_would_lose_or_expose_files_is_named(change, named):
    [problem] = problems({**COMPLETE, **change}, code_dir=ROOT)
    assert named in problem


def test_production_keeps_files_in_the_configured_object_storage():
    shown = _run_in_production(
        [
            "manage.py",
            "shell",
            "-c",
            "from django.core.files.storage import default_storage as s; "
            "print(s.bucket_name, type(s._wrapped).__name__)",
        ],
        MEDIA_ROOT="",
        **S3,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[-1].split() == ["samverkan-dokument", "S3Storage"]
    refused = _run_in_production(["manage.py", "check"], **{**S3, "AWS_SECRET_ACCESS_KEY": ""})
    assert refused.returncode == 1
    assert "AWS_SECRET_ACCESS_KEY" in refused.stderr
