"""Production web, worker and beat refuse to start without Redis, or on a database other
than the installation's (samverkan/startup.py).

Each process is started as the compose file starts it, with DJANGO_ENV=production; a
refusal is exit code 1 with a message naming the variable to fix, within seconds."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest
from django.conf import settings

from samverkan import startup
from tests.test_reports_worker import _database_url
from tests.test_security_deploy import PRODUCTION_ENV, ROOT

COMMANDS = {
    "web": [
        "-m",
        "gunicorn",
        "-c",
        "python:samverkan.gunicorn_conf",
        "samverkan.wsgi:application",
        "--bind",
        "127.0.0.1:0",
    ],
    "worker": [
        "-m",
        "celery",
        "-A",
        "samverkan",
        "worker",
        "--pool=solo",
        "--without-gossip",
        "--loglevel=INFO",
    ],
    "beat": ["-m", "celery", "-A", "samverkan", "beat"],
}


def _env(tmp_path, **extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DEBUG", "REDIS_", "CELERY_", "DATABASE_"))
    }
    return {
        **env,
        **PRODUCTION_ENV,
        "MEDIA_ROOT": str(tmp_path),
        "DB_CONN_MAX_AGE": "0",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def _command(role: str, tmp_path) -> list[str]:
    command = [sys.executable, *COMMANDS[role]]
    if role == "beat":
        command += ["--schedule", str(tmp_path / "celerybeat-schedule")]
    if role == "worker":
        # A queue of its own: a worker that does start takes no other test's jobs.
        command += ["-Q", f"start-check-{uuid.uuid4().hex[:8]}"]
    return command


def _run(role: str, tmp_path, **extra: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        _command(role, tmp_path),
        cwd=tmp_path,
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=90,
    )
    return result, time.monotonic() - started


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("role", ["web", "worker", "beat"])
def test_without_redis_production_refuses_to_start_naming_redis_url(role, tmp_path):
    result, _ = _run(role, tmp_path, REDIS_URL=f"redis://:geheim@127.0.0.1:{_closed_port()}/0")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"Samverkan {role} refuses to start: REDIS_URL" in output
    assert "geheim" not in output  # the password is never shown
    assert "Traceback" not in output


@pytest.fixture
def silent_redis():
    """A listener that accepts connections and never answers: a hung Redis."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def test_a_hung_redis_is_given_up_within_seconds(silent_redis, tmp_path):
    result, seconds = _run("web", tmp_path, REDIS_URL=silent_redis)
    assert result.returncode == 1, result.stderr
    assert "REDIS_URL" in result.stderr and "TimeoutError" in result.stderr
    # The ping waits REDIS_TIMEOUT_SECONDS; the rest is Python and Django starting on a
    # busy machine. Without a timeout the start would hang until _run gives up (90 s).
    assert startup.REDIS_TIMEOUT_SECONDS <= 2
    assert seconds < 45


def test_urls_are_shown_without_their_password():
    assert startup.shown_url("redis://:s3cret@redis:6379/0") == "redis://:***@redis:6379/0"
    assert startup.shown_url("redis://redis:6379/0") == "redis://redis:6379/0"


def test_local_use_and_manage_py_never_wait_for_redis(tmp_path, settings):
    """`make run`, tests and `manage.py check` start without these checks."""
    closed = f"redis://127.0.0.1:{_closed_port()}/0"
    check = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(tmp_path, REDIS_URL=closed),
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert check.returncode == 0, check.stderr
    settings.REDIS_URL = settings.CELERY_BROKER_URL = closed
    settings.PRODUCTION = False
    startup.check_in_production("worker")  # returns: nothing is asked in local use
    settings.PRODUCTION = True
    with pytest.raises(SystemExit):
        startup.check_in_production("worker")


# --- A process on another database than the installation's ---------------------------


@pytest.fixture
def broker():
    client = startup.redis_client(settings.CELERY_BROKER_URL)
    client.delete(startup.CLAIM_KEY)
    yield client
    client.delete(startup.CLAIM_KEY)


def _services(tmp_path) -> dict:
    return {"DATABASE_URL": _database_url(), "REDIS_URL": settings.CELERY_BROKER_URL}


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("role", ["web", "worker", "beat"])
def test_a_process_on_another_database_than_the_brokers_refuses_to_start(role, broker, tmp_path):
    """What a web on database A has recorded on the broker, a worker on database B sees."""
    other = str(uuid.uuid4())
    broker.set(startup.CLAIM_KEY, other)
    own = startup.installation_id()
    result, _ = _run(role, tmp_path, **_services(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"Samverkan {role} refuses to start: DATABASE_URL" in output
    assert own in output and other in output
    assert "Traceback" not in output
    assert broker.get(startup.CLAIM_KEY).decode() == other  # nothing was taken over


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_first_process_records_its_database_and_the_same_database_starts(broker, tmp_path):
    own = startup.installation_id()
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            _command("worker", tmp_path),
            cwd=tmp_path,
            env=_env(tmp_path, **_services(tmp_path)),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while b" ready." not in log.read_bytes() and process.poll() is None:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            assert process.poll() is None, log.read_text()
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
    assert broker.get(startup.CLAIM_KEY).decode() == own


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_claim_broker_hands_the_broker_to_this_database(broker, tmp_path):
    from django.core.management import call_command

    broker.set(startup.CLAIM_KEY, str(uuid.uuid4()))
    call_command("claim_broker", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert broker.get(startup.CLAIM_KEY).decode() == startup.installation_id()
