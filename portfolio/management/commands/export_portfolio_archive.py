"""manage.py export_portfolio_archive DAL [--output-dir /backup/arkiv]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portfolio.archive import archive_filename, write_portfolio_archive
from portfolio.models import Portfolio


class Command(BaseCommand):
    help = (
        "Skriver ett arkiv (.zip) av en portfölj: alla poster och beslut som JSON och "
        "rapporterna som PDF, läsbart utan Samverkan."
    )

    def add_arguments(self, parser):
        parser.add_argument("portfolio", help="Portföljens id eller prefix, till exempel DAL.")
        parser.add_argument(
            "--output-dir", default=".", help="Katalog där arkivet skrivs (standard: här)."
        )

    def handle(self, *args, portfolio, output_dir, **options):
        lookup = (
            {"pk": int(portfolio)}
            if portfolio.isdigit()
            else {"reference_prefix__iexact": portfolio}
        )
        found = Portfolio.objects.select_related("constellation").filter(**lookup).first()
        if found is None:
            raise CommandError(f"Det finns ingen portfölj {portfolio!r}.")
        destination = Path(output_dir) / archive_filename(found)
        result = write_portfolio_archive(found, destination)
        records = sum(result.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Arkivet {destination} innehåller {records} poster och {result.pdfs} PDF-filer."
            )
        )
