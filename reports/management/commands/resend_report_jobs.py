import datetime as dt

from django.core.management.base import BaseCommand

from reports.services import report_jobs_resend


class Command(BaseCommand):
    help = (
        "Skickar om rapportjobb som aldrig nådde bakgrundstjänsten (till exempel när Redis "
        "var nere) och jobb vars arbetsprocess försvann. Beat gör detsamma var femte minut."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=5,
            help="Skicka bara jobb som har väntat minst så här länge (standard 5).",
        )

    def handle(self, *args, older_than_minutes, **options):
        count = report_jobs_resend(older_than=dt.timedelta(minutes=older_than_minutes))
        self.stdout.write(f"{count} rapportjobb skickades till kön.")
