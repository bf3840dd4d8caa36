"""Schemathesis against /api/schema/ through the WSGI app: every operation, two users.

The users are in different municipalities, constellations and roles (the Dalsland
samordnare and the IT-chef in Skara). Examples per operation are bounded so the
whole run stays well under three minutes on the CI machine; raise FUZZ_EXAMPLES
locally for a deeper run.
"""

import itertools
import os

import pytest
import schemathesis
from api_demo_world import CHECKS, USERS, demo_tokens
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))

pytestmark = pytest.mark.fuzz
_turn = itertools.count()


@pytest.fixture(scope="module")
def fuzz_tokens(django_db_setup, django_db_blocker):
    """Demo data and the two users' tokens, built once and rolled back after the module."""
    with demo_tokens(django_db_blocker, USERS, "fuzz") as tokens:
        yield tokens


def _load_schema():
    from samverkan.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES
    )
    # Unexpected-method probes feed a check we do not run (unsupported_method); skip them.
    loaded.config.phases.coverage.unexpected_methods = set()
    return loaded


# The schema view needs no database, so the schema is read when the tests are collected.
schema = _load_schema()
if os.environ.get("FUZZ_PATHS"):  # e.g. FUZZ_PATHS=initiatives to fuzz a part while working
    schema = schema.include(path_regex=os.environ["FUZZ_PATHS"])


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, fuzz_tokens, db):
    # The two users take turns, so each operation is exercised by both at half the cost.
    key = fuzz_tokens[next(_turn) % len(fuzz_tokens)]
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)
