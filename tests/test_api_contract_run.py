"""The published contract under every Schemathesis check and phase, for two users.

Unlike tests/test_api_fuzz.py (six chosen checks) this runs Schemathesis's own engine,
as `schemathesis run --checks all --phases examples,coverage,fuzzing,stateful` does,
in process against the WSGI app, as the Dalsland samordnare and the IT-chef in Skara
(different municipalities, constellations and roles), each with a personal token.
It prints its figures: operations, cases and failures per check.

Any failure fails the test, with one exception kept visible: `positive_data_acceptance`
(a request the schema allows, refused with 400 or 412). What it still finds are refusals
the schema cannot state: ids in a body that name nothing, a name already taken, a
domain rule that depends on the data (answered 400 today; issue 23 asks for 409), an
`If-Match` that is not the current version. Those are printed; CONTRACT_STRICT=1 fails
on them too.

The budget is small in the default run; raise CONTRACT_SECONDS (per user) and
CONTRACT_EXAMPLES locally for a deeper run.
"""

import collections
import os

import pytest
import requests
import schemathesis
from api_demo_world import USERS, demo_tokens
from django.db import DEFAULT_DB_ALIAS, connections
from schemathesis import engine
from schemathesis.engine import events
from schemathesis.transport import wsgi

SECONDS = int(os.environ.get("CONTRACT_SECONDS", "4"))
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "3"))
STRICT = os.environ.get("CONTRACT_STRICT") == "1"
KNOWN_DEBT = {"positive_data_acceptance"}

pytestmark = pytest.mark.fuzz


@pytest.fixture(scope="module")
def contract_tokens(django_db_setup, django_db_blocker):
    with demo_tokens(django_db_blocker, USERS, "contract") as tokens:
        yield tokens


@pytest.fixture
def in_process_transport(monkeypatch):
    """Schemathesis 4.32's engine hands socket settings (max_redirects, ...) to its WSGI
    transport when a check sends a probe of its own (ignored_auth); werkzeug refuses
    them. They mean nothing in process, so they are dropped."""
    send = wsgi.WSGITransport.send

    def without_socket_settings(self, case, *, session=None, **kwargs):
        if not isinstance(session, requests.Session):
            for name in ("max_redirects", "verify", "cert", "proxies"):
                kwargs.pop(name, None)
        return send(self, case, session=session, **kwargs)

    monkeypatch.setattr(wsgi.WSGITransport, "send", without_socket_settings)


def _on_this_connection(application):
    """The engine sends its requests from a thread of its own; they must see the demo
    data in this test's open transaction, so they use this thread's connection (as
    Django's live server does). One worker: never two requests at once."""
    connection = connections[DEFAULT_DB_ALIAS]

    def shared(environ, start_response):
        connections[DEFAULT_DB_ALIAS] = connection
        return application(environ, start_response)

    return shared


def _run(token: str) -> tuple[set[str], int, collections.Counter, list]:
    from samverkan.wsgi import application

    loaded = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", _on_this_connection(application)
    )
    config = loaded.config
    # One worker: the requests share the test's database connection and transaction.
    config.update(headers={"Authorization": f"Bearer {token}"}, workers=1)
    config.checks.update(included_check_names=["all"])
    config.phases.update(phases=["examples", "coverage", "fuzzing", "stateful"])
    config.generation.update(max_examples=EXAMPLES)
    config.max_time = SECONDS
    config.seed = 23
    operations, cases, failures, errors = set(), 0, collections.Counter(), []
    for event in engine.from_schema(loaded).execute():
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            recorder = event.recorder
            operations.add(recorder.label)
            cases += len(recorder.cases)
            for checks in recorder.checks.values():
                for check in checks:
                    if check.failure_info is not None:
                        failures[(check.name, recorder.label)] += 1

        elif isinstance(event, events.NonFatalError | events.FatalError):
            errors.append(getattr(event, "value", None) or getattr(event, "exception", None))
    return operations, cases, failures, errors


def test_the_api_keeps_its_contract_under_every_check(contract_tokens, in_process_transport, db):
    failing = {}
    connections[DEFAULT_DB_ALIAS].inc_thread_sharing()
    try:
        runs = [_run(token) for token in contract_tokens]
    finally:
        connections[DEFAULT_DB_ALIAS].dec_thread_sharing()
    for user, (operations, cases, failures, errors) in zip(USERS, runs, strict=True):
        per_check = collections.Counter(check for check, _operation in failures)
        print(
            f"{user}: {len(operations)} operations, {cases} cases, "
            f"failures per check {dict(per_check) or 0}, errors {len(errors)}"
        )
        for (check, operation), count in sorted(failures.items()):
            print(f"  {check}: {operation} ({count})")
        assert not errors, errors[:3]
        failing[user] = sorted(
            (check, operation) for check, operation in failures if STRICT or check not in KNOWN_DEBT
        )
    assert failing == {user: [] for user in USERS}
