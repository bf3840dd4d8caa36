"""scripts/backup.sh and scripts/restore.sh: pg_dump -Fc and pg_restore, round trip."""

import subprocess
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from accounts.models import User
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _admin(sql: str) -> None:
    db = connection.settings_dict
    admin = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql)
    finally:
        admin.close()


def _run(script: str, *args, database_url: str, media: Path):
    return subprocess.run(  # noqa: S603 - our own scripts, fixed arguments
        ["/bin/bash", str(SCRIPTS / script), *map(str, args)],
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url, "MEDIA_ROOT": str(media)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def empty_database():
    name = f"samverkan_restore_{uuid.uuid4().hex[:10]}"
    _admin(f'CREATE DATABASE "{name}"')
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_round_trip(tmp_path, empty_database):
    User.objects.create_user(username="kd.backup", password=factories.PASSWORD, title="Arkivarie")
    media = tmp_path / "media"
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "rapport-1.pdf").write_bytes(b"%PDF-1.7 test")

    backup = _run(
        "backup.sh",
        tmp_path / "backups",
        database_url=_url(connection.settings_dict["NAME"]),
        media=media,
    )
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert (folder / "database.dump").read_bytes().startswith(b"PGDMP")  # custom format

    restored_media = tmp_path / "restored-media"
    restore = _run("restore.sh", folder, database_url=_url(empty_database), media=restored_media)
    assert restore.returncode == 0, restore.stderr
    assert (restored_media / "reports" / "rapport-1.pdf").read_bytes() == b"%PDF-1.7 test"

    check = psycopg2.connect(_url(empty_database))
    try:
        with check.cursor() as cursor:
            cursor.execute("SELECT title FROM accounts_user WHERE username = 'kd.backup'")
            assert cursor.fetchone() == ("Arkivarie",)
            cursor.execute("SELECT count(*) FROM django_migrations")
            assert cursor.fetchone()[0] > 0
    finally:
        check.close()


def test_restore_refuses_a_database_that_is_in_use(tmp_path):
    url = _url(connection.settings_dict["NAME"])
    backup = _run("backup.sh", tmp_path / "backups", database_url=url, media=tmp_path / "m")
    folder = Path(backup.stdout.strip().splitlines()[-1])
    restore = _run("restore.sh", folder, database_url=url, media=tmp_path / "m")
    assert restore.returncode == 1
    assert "empty database" in restore.stderr


def test_restore_refuses_a_damaged_backup(tmp_path, empty_database):
    url = _url(connection.settings_dict["NAME"])
    backup = _run("backup.sh", tmp_path / "backups", database_url=url, media=tmp_path / "m")
    folder = Path(backup.stdout.strip().splitlines()[-1])
    with (folder / "database.dump").open("ab") as dump:
        dump.write(b"tampered")
    restore = _run("restore.sh", folder, database_url=_url(empty_database), media=tmp_path / "m")
    assert restore.returncode != 0
