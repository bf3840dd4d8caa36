from django.core.management.base import BaseCommand

from portfolio.demo.content import DEMO_LOGINS, DEMO_PASSWORD
from portfolio.demo.loader import load_demo


class Command(BaseCommand):
    help = "Lägger in demodata: verkliga kommuner och konstellationer, påhittade personer."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Skriv inte ut inloggningar."
        )

    def handle(self, *args, quiet_logins=False, **options):
        load_demo()
        if quiet_logins:
            return
        from accounts.models import User

        self.stdout.write(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
        for user in User.objects.filter(username__in=DEMO_LOGINS).select_related("municipality"):
            roles = ", ".join(r.get_role_display() for r in user.role_assignments.all())
            self.stdout.write(f"  {user.username:16} {roles:16} {user.municipality}")
