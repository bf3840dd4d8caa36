import os

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")

app = Celery("samverkan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _check_worker_start(**kwargs):
    # After Celery's Django fixup (connected first), before the pool forks. A refusal is
    # a SystemExit: Celery logs and swallows any other exception from a signal handler.
    from samverkan.startup import check_in_production

    check_in_production("worker")


@beat_init.connect
def _check_beat_start(**kwargs):
    from samverkan.startup import check_in_production

    check_in_production("beat")
