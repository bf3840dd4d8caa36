"""What both Schemathesis runs share: the two users, the six checks, and the demo data
with the users' API tokens that they call the WSGI app with."""

import contextlib

from django.core import signals
from django.db import close_old_connections, transaction
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)

from accounts.models import User
from accounts.services import api_token_create

# Different municipalities, constellations and roles: the Dalsland samordnare, the
# IT-chef in Skara.
USERS = ("samordnare", "itchef.skara")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
    use_after_free,
]


@contextlib.contextmanager
def demo_tokens(django_db_blocker, usernames, token_name: str):
    """Load the demo and yield a token per user; everything is rolled back afterwards."""
    from portfolio.demo.loader import load_demo

    # Requests go straight to the WSGI app, not through Django's test client, so the
    # end-of-request hook would close the connection and with it the test transaction
    # (PostgreSQL). Django's test client disconnects it the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            load_demo()
            yield [
                api_token_create(user=User.objects.get(username=name), name=token_name)[1]
                for name in usernames
            ]
            transaction.set_rollback(True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
