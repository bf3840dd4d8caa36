"""An upgrade loses nothing: the previous release's backup restores and migrates.

tests/fixtures/previous_release/ is what scripts/backup.sh wrote from the release at
commit 39d0100 (the demo data, migrated by that release), with the figures that release
computed from it (figures.json). The test restores it with scripts/restore.sh into an
empty database, migrates with this code, and asks the same questions again."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
BACKUP = ROOT / "tests" / "fixtures" / "previous_release"

FIGURES_SCRIPT = """
import django, json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
django.setup()
from portfolio.models import GateDecision, Initiative, Portfolio
from portfolio.periods import parse_period
from portfolio.selectors.economy import portfolio_economy
out = {
    "initiatives": sorted(Initiative.objects.values_list("reference", flat=True)),
    "decisions": GateDecision.objects.count(),
    "economy": {},
}
for portfolio in Portfolio.objects.order_by("reference_prefix"):
    economy = portfolio_economy(portfolio, parse_period("2026H1"))
    out["economy"][portfolio.reference_prefix] = {
        row.name: [row.allocated, row.net] for row in economy.rows
    }
print(json.dumps(out))
"""


def _server() -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db.get("PASSWORD") or None,
    }


@pytest.fixture
def empty_database():
    name = f"samverkan_upgrade_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(dbname="postgres", **_server())
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    server = _server()
    auth = server["user"] + (f":{server['password']}" if server["password"] else "")
    yield f"postgres://{auth}@{server['host']}:{server['port']}/{name}"
    admin.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.close()


def _run(args: list[str], database_url: str, media_root: Path) -> str:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))},
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "CELERY_BROKER_URL": "",
    }
    result = subprocess.run(  # noqa: S603 - our own scripts and interpreter
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_previous_release_restores_migrates_and_answers_the_same(empty_database, tmp_path):
    media = tmp_path / "media"
    _run(["/bin/bash", "scripts/restore.sh", str(BACKUP)], empty_database, media)
    _run([sys.executable, "manage.py", "migrate", "--noinput"], empty_database, media)
    _run([sys.executable, "manage.py", "migrate", "--check"], empty_database, media)

    figures = json.loads(_run([sys.executable, "-c", FIGURES_SCRIPT], empty_database, media))
    assert figures == json.loads((BACKUP / "figures.json").read_text())


def test_a_restore_refuses_a_database_that_has_tables(empty_database, tmp_path):
    media = tmp_path / "media"
    _run(["/bin/bash", "scripts/restore.sh", str(BACKUP)], empty_database, media)
    env = {**os.environ, "DATABASE_URL": empty_database, "MEDIA_ROOT": str(media)}
    again = subprocess.run(  # noqa: S603 - bash runs our own script
        ["/bin/bash", "scripts/restore.sh", str(BACKUP)], cwd=ROOT, env=env, capture_output=True
    )
    assert again.returncode != 0 and b"empty database" in again.stderr
