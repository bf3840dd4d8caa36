"""Build the synthetic national dataset in a dedicated PostgreSQL benchmark database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan_bench \\
        python manage.py generate_national_dataset --seed 2026

The database is created and migrated when missing; its portfolio data is replaced.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from portfolio.bench.database import BenchDatabaseError, ensure_database
from portfolio.bench.dataset import NATIONAL, TINY
from portfolio.bench.load import counts, generate


class Command(BaseCommand):
    help = "Bygger en syntetisk nationell datamängd för prestandamätning (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Frö; samma frö ger samma data.")
        parser.add_argument(
            "--scale", choices=["national", "tiny"], default="national", help="Storlek."
        )

    def handle(self, *args, seed, scale, **options):
        try:
            ensure_database()
        except BenchDatabaseError as error:
            raise CommandError(str(error)) from error
        result = generate(
            seed,
            NATIONAL if scale == "national" else TINY,
            clear=True,
            log=lambda line: self.stderr.write(line),
        )
        self.stderr.write(f"Klart på {result['seconds']} s.")
        self.stdout.write(
            json.dumps({"seed": seed, "seconds": result["seconds"], "rows": counts()})
        )
