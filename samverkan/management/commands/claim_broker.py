"""Make this database the installation the broker serves (samverkan/startup.py).

Only for a new installation on a Redis that served another one: processes on the
previous database refuse to start afterwards, as they should.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from samverkan import startup


class Command(BaseCommand):
    help = "Record this database's installation id on the broker (Redis)."

    def handle(self, *args, **options):
        if not settings.CELERY_BROKER_URL:
            raise CommandError("No broker: REDIS_URL (or CELERY_BROKER_URL) is not set.")
        try:
            own = startup.installation_id()
            client = startup.redis_client(settings.CELERY_BROKER_URL)
            previous = client.getset(startup.CLAIM_KEY, own)
        except startup.Refused as refused:
            raise CommandError(str(refused)) from None
        except Exception as error:  # noqa: BLE001 - Redis unreachable, in any form
            raise CommandError(
                f"{startup.broker_variable()} does not answer ({type(error).__name__})."
            ) from None
        before = previous.decode() if previous else "none"
        self.stdout.write(f"The broker now serves installation {own} (before: {before}).")
