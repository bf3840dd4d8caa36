"""A real SMTP server for tests that send mail: aiosmtpd in a thread of the test process
on 127.0.0.1, with Django's SMTP backend pointed at it. Mail then goes through the same
code as in production (connection, encoding, headers), not through the locmem outbox.
No marker is needed: nothing outside the process is used."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


class _Collector:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """The server's received messages (email.message.EmailMessage), in arrival order."""
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield collector.messages
    finally:
        controller.stop()
