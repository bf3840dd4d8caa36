"""manage.py import_kolada_population --year 2024 [--year 2023] [--api v3]

Adds municipalities and yearly population from Kolada when the machine can reach it.
Years already stored are kept as they are; the shipped 2025 figures stay the default.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from municipalities.kolada import VERSIONS, KoladaClient, KoladaError, base_url, import_population


class Command(BaseCommand):
    help = "Hämtar kommuner och folkmängd per år (N01951) från Kolada utan att skriva över år."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            dest="years",
            type=int,
            action="append",
            required=True,
            help="År att hämta (folkmängd 31 december); kan anges flera gånger.",
        )
        parser.add_argument("--api", choices=VERSIONS, default="v2", help="Koladas API-version.")
        parser.add_argument("--url", default=None, help="Bas-URL (annars KOLADA_URL).")
        parser.add_argument(
            "--skip-municipalities",
            action="store_true",
            help="Hämta inte kommunlistan, bara folkmängden.",
        )

    def handle(self, *args, years, api, url, skip_municipalities, **options):
        this_year = dt.date.today().year  # noqa: DTZ011 - a bound for user input
        for year in years:
            if not 1950 <= year <= this_year:
                raise CommandError(f"Året {year} är orimligt; ange ett år 1950–{this_year}.")
        client = KoladaClient(url=url, version=api)
        try:
            report = import_population(
                client=client, years=years, municipalities=not skip_municipalities
            )
        except KoladaError as exc:
            raise CommandError(
                f"{exc}\nIngenting har ändrats. Folkmängden som följer med produkten gäller "
                f"som tidigare. (Källa: {url or base_url()})"
            ) from exc
        for code in report.municipalities_created:
            self.stdout.write(f"Ny kommun: {code}")
        for code, ours, theirs in report.names_differing:
            self.stdout.write(
                f"Namnet skiljer sig för {code}: {ours} (behålls) / {theirs} (Kolada)"
            )
        for year in sorted(report.added):
            self.stdout.write(
                f"{year}: {report.added[year]} nya, {report.kept[year]} fanns redan och behölls"
            )
            if report.unknown[year]:
                self.stdout.write(
                    f"  Okända koder hoppades över: {', '.join(report.unknown[year])}"
                )
            if report.missing[year]:
                self.stdout.write(
                    f"  Saknar siffra från Kolada: {', '.join(report.missing[year][:20])}"
                    + (" …" if len(report.missing[year]) > 20 else "")
                )
        self.stdout.write(self.style.SUCCESS("Klart."))
