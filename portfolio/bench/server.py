"""The production server, as deployed: gunicorn with two workers, DEBUG off, on PostgreSQL
and Redis, started on a free port of 127.0.0.1 and stopped again by its own process id."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings

from .database import database_url


class ServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(redis_url: str, media_root: Path | None = None) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url,
        LOG_LEVEL="WARNING",
        # Production refuses to start without these; the benchmark sends no mail and
        # keeps its files in a directory of its own.
        SITE_URL="https://bench.samverkan.invalid",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT="25",
        DEFAULT_FROM_EMAIL="bench@samverkan.invalid",
        MEDIA_ROOT=str(media_root or Path(tempfile.gettempdir()) / "samverkan-bench-media"),
    )
    return env


def collect_static(env: dict) -> None:
    """Production serves hashed static files from a manifest; build it as the image does."""
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )


class Server:
    """`media_root` is the file storage it shares with other servers and the workers;
    `cwd` its working directory, which a server on a machine of its own shares with no
    one (the code is found through --pythonpath, as in an installed image)."""

    def __init__(
        self,
        redis_url: str,
        workers: int = 2,
        log: Path | None = None,
        media_root: Path | None = None,
        cwd: Path | None = None,
    ):
        self.env = production_env(redis_url, media_root)
        self.workers = workers
        self.port = free_port()
        self.log = log
        self.cwd = cwd or settings.BASE_DIR
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Server":
        collect_static(self.env)
        out = open(self.log, "wb") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
            [
                sys.executable,
                "-m",
                "gunicorn",
                "samverkan.wsgi:application",
                "--pythonpath",
                str(settings.BASE_DIR),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--access-logfile",
                "-",
            ],
            cwd=self.cwd,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/healthz"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"gunicorn avslutades med kod {self.process.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - our server
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise ServerError("gunicorn svarade inte på /healthz inom en minut")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def worker_pids(self) -> list[int]:
        """The workers' process ids (children of the gunicorn arbiter), for profiling."""
        try:
            text = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]
