"""A real Celery worker on Redis and PostgreSQL e-mails a notification once, after
commit, to a real SMTP server; the same job delivered again sends nothing more."""

import time

import pytest
from django.conf import settings
from test_reports_worker import Worker
from workflow_builders import idea, world

from accounts.models import User
from notifications.models import Notification
from notifications.tasks import notification_email

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def _wait(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("the worker did not send the e-mail")


def test_the_worker_sends_each_notification_once(smtp_server, tmp_path):
    from samverkan.celery import app

    app.control.purge()
    worker = Worker(tmp_path / "media", tmp_path / "worker.log", "samverkan.settings")
    worker.env.update(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST=settings.EMAIL_HOST,
        EMAIL_PORT=str(settings.EMAIL_PORT),
        SITE_URL="https://samverkan.example.se",
    )
    worker.start()
    try:
        w = world()
        User.objects.filter(pk=w.manager.pk).update(email="pl@example.se")
        initiative = idea(w)  # committed: this test runs without a wrapping transaction
        _wait(lambda: len(smtp_server) == 1)
        notification = Notification.objects.get()
        notification_email.delay(notification.pk)  # the job delivered a second time
        log = tmp_path / "worker.log"
        _wait(lambda: log.read_text(errors="replace").count("succeeded") >= 2)
        assert "notifications.email" in log.read_text(errors="replace")
        assert len(smtp_server) == 1
        [message] = smtp_server
        assert message["To"] == "pl@example.se"
        assert f"https://samverkan.example.se/initiativ/{initiative.pk}/" in message.get_content()
    finally:
        worker.stop()
