"""Measure Samverkan at national scale: `make bench`.

Builds the synthetic national dataset in the benchmark database when it is missing
(see generate_national_dataset), starts gunicorn as in production on a free port of
127.0.0.1, measures over HTTP and prints one JSON document with every figure and its
target; the same document is written to artifacts/bench.json.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_bench \\
    REDIS_URL=redis://127.0.0.1:6379/0 python manage.py benchmark
"""

import json
import signal
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portfolio.bench.database import BenchDatabaseError
from portfolio.bench.run import Options, run


def _exit_cleanly(signum, frame):
    sys.exit(128 + signum)


class Command(BaseCommand):
    help = "Mäter prestanda i nationell skala och skriver ett JSON-dokument (artifacts/bench.json)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--regenerate", action="store_true", help="Bygg om datamängden även om den finns."
        )
        parser.add_argument("--repeat", type=int, default=100, help="Sekventiella anrop (≥ 50).")
        parser.add_argument("--clients", type=int, default=4)
        parser.add_argument("--seconds", type=float, default=15.0)
        parser.add_argument("--period", default="2026H1")
        parser.add_argument("--skip-reports", action="store_true")
        parser.add_argument(
            "--budget", type=float, default=120.0, help="Högst så många sekunder per sida."
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=3,
            help="Omväxlande omgångar av översikten med och utan en ändring (≥ 3).",
        )
        parser.add_argument("--artifacts", default=str(settings.BASE_DIR / "artifacts"))

    def handle(self, *args, **options):
        if options["repeat"] < 50:
            raise CommandError("--repeat ska vara minst 50.")
        redis_url = settings.REDIS_URL
        if not redis_url:
            raise CommandError(
                "Benchmarken kräver Redis: sätt REDIS_URL, t.ex. redis://127.0.0.1:6379/0"
            )
        # Stopped from outside (Ctrl-C, timeout): leave through the with-blocks that stop
        # the server, rather than leaving gunicorn behind.
        signal.signal(signal.SIGTERM, _exit_cleanly)
        try:
            report = run(
                Options(
                    seed=options["seed"],
                    regenerate=options["regenerate"],
                    repeat=options["repeat"],
                    clients=options["clients"],
                    seconds=options["seconds"],
                    period=options["period"],
                    redis_url=redis_url,
                    artifacts=Path(options["artifacts"]),
                    skip_reports=options["skip_reports"],
                    budget=options["budget"],
                    rounds=max(3, options["rounds"]),
                )
            )
        except BenchDatabaseError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
