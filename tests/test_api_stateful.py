"""Schemathesis's stateful run: create, read, correct, delete and read again.

tests/test_api_fuzz.py sends one request at a time, so its `use_after_free` check never
has a DELETE to look back on. Here Schemathesis's state machine follows the schema's
links (samverkan/schema_links.py, plus the ones it infers) from a list to a creating
POST and on to the GET, PATCH and DELETE of what was created, and every response goes
through the same six checks. A GET or PATCH that still answers 2xx after a successful
DELETE of the same resource in the same scenario fails `use_after_free`.

Each scenario is one of the two users (the Dalsland samordnare or the IT-chef in Skara)
starting from the first pages of the initiative and portfolio lists, and runs in a
savepoint that is rolled back afterwards, so the same choices meet the same data.

The run is bounded and deterministic; raise STATEFUL_SCENARIOS and STATEFUL_STEPS
locally for a deeper run, and set STATEFUL_ALL=1 to roam over every operation instead
of the resources that can be created, read and deleted.
"""

import os
import re
from collections import Counter

import pytest
import schemathesis
from api_demo_world import CHECKS, USERS, demo_tokens
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RULE_MARKER, Bundle, initialize, multiple
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.stateful.state_machine import StepInput, normalize_name
from schemathesis.openapi.checks import UseAfterFree

from accounts.models import User
from samverkan.schema_links import LINKS

SCENARIOS = int(os.environ.get("STATEFUL_SCENARIOS", "25"))
STEPS = int(os.environ.get("STATEFUL_STEPS", "12"))

# Every scenario starts by reading these, unfiltered: real ids to create under.
LISTS = ("GET /api/v1/initiatives/", "GET /api/v1/portfolios/")
# The resources these two users can create and then read, correct or delete. Gate
# criteria have no DELETE; confirmations and delegations are left out because neither
# user may make them (always 403), which would only spend the steps.
OPERATIONS = [
    *LISTS,
    "POST /api/v1/initiatives/{initiative_pk}/costs/",
    "GET /api/v1/cost-entries/{id}/",
    "PATCH /api/v1/cost-entries/{id}/",
    "DELETE /api/v1/cost-entries/{id}/",
    "POST /api/v1/initiatives/{initiative_pk}/time-entries/",
    "GET /api/v1/time-entries/{id}/",
    "PATCH /api/v1/time-entries/{id}/",
    "DELETE /api/v1/time-entries/{id}/",
    "POST /api/v1/portfolios/{portfolio_pk}/priority-criteria/",
    "GET /api/v1/portfolios/{portfolio_pk}/priority-criteria/{id}/",
    "PATCH /api/v1/portfolios/{portfolio_pk}/priority-criteria/{id}/",
    "DELETE /api/v1/portfolios/{portfolio_pk}/priority-criteria/{id}/",
    "POST /api/v1/portfolios/{portfolio_pk}/gate-criteria/",
    "GET /api/v1/portfolios/{portfolio_pk}/gate-criteria/{id}/",
    "PATCH /api/v1/portfolios/{portfolio_pk}/gate-criteria/{id}/",
]
# (create, read, delete) that use_after_free watches.
LIFECYCLES = [
    (
        "POST /api/v1/initiatives/{initiative_pk}/costs/",
        "GET /api/v1/cost-entries/{id}/",
        "DELETE /api/v1/cost-entries/{id}/",
    ),
    (
        "POST /api/v1/initiatives/{initiative_pk}/time-entries/",
        "GET /api/v1/time-entries/{id}/",
        "DELETE /api/v1/time-entries/{id}/",
    ),
    (
        "POST /api/v1/portfolios/{portfolio_pk}/priority-criteria/",
        "GET /api/v1/portfolios/{portfolio_pk}/priority-criteria/{id}/",
        "DELETE /api/v1/portfolios/{portfolio_pk}/priority-criteria/{id}/",
    ),
]
TIME_ENTRY_CREATE = LIFECYCLES[1][0]

pytestmark = pytest.mark.fuzz

# Codes of the municipalities that take part in an initiative (filled by the fixture).
PARTICIPANT_CODES: list[str] = []


@pytest.fixture(scope="module")
def stateful_tokens(django_db_setup, django_db_blocker):
    """Demo data and the two users' tokens, built once and rolled back after the module."""
    from portfolio.models import Participation

    try:
        with demo_tokens(django_db_blocker, USERS, "stateful") as tokens:
            PARTICIPANT_CODES[:] = sorted(
                set(Participation.objects.values_list("municipality__code", flat=True))
            )
            yield tokens
    finally:
        PARTICIPANT_CODES.clear()


def _load_schema(operations):
    from samverkan.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    loaded.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
    if operations is not None:
        loaded = loaded.include(name=operations)
    loaded.hook("map_body")(a_participating_municipality)
    return loaded


def _drop_guessing_links(loaded) -> list[str]:
    """Drop inferred links that leave one of the target's path parameters to chance.

    Schemathesis infers, e.g., GET /portfolios/ -> DELETE .../priority-criteria/{id}/
    with the portfolio id from the list and a generated criterion id: a 404 probe like
    the ones test_api_fuzz.py already makes. Without them the steps go to chains that
    carry real ids. Returns the dropped links.
    """
    loaded.analysis.inject_links()  # what as_state_machine() does first; it does it once
    dropped = []
    for path, item in loaded.raw_schema["paths"].items():
        for method, operation in item.items():
            for status, response in operation.get("responses", {}).items():
                links = response.get("links", {})
                for name, link in list(links.items()):
                    if not link.get("x-schemathesis", {}).get("is_inferred"):
                        continue
                    target = link["operationRef"].removeprefix("#/paths/").rsplit("/", 1)[0]
                    needed = set(re.findall(r"{(\w+)}", target.replace("~1", "/")))
                    given = {key.removeprefix("path.") for key in link.get("parameters", {})}
                    if not needed <= given:
                        dropped.append(f"{method.upper()} {path} [{status}] {name}")
                        del links[name]
    return dropped


def a_participating_municipality(context, body):
    """A time entry names its municipality by code; a generated code is never a real one.

    Only generated, non-empty strings are replaced (a negative case's wrong type or empty
    code stays wrong); test_api_fuzz.py keeps sending unknown codes.
    """
    if (
        context.operation is None
        or context.operation.label != TIME_ENTRY_CREATE
        or not PARTICIPANT_CODES
        or not isinstance(body, dict)
        or not isinstance(body.get("municipality"), str)
        or not body["municipality"]
    ):
        return body
    pick = sum(map(ord, body["municipality"])) % len(PARTICIPANT_CODES)
    return {**body, "municipality": PARTICIPANT_CODES[pick]}


class _Steps:
    """A user per scenario, a savepoint per scenario and our six checks on every response."""

    tokens: list[str] = []
    # Per scenario: (method, path template, path parameters, status) of every call.
    scenarios: list[list[tuple[str, str, tuple, int]]] = []
    lists: tuple[str, ...] = ()
    list_rules: dict[str, str] = {}

    def setup(self):
        self.calls = []
        self.scenarios.append(self.calls)
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    @initialize(target=Bundle("catch_all"), user=st.sampled_from(range(len(USERS))))
    def read_the_lists(self, user):
        self.token = self.tokens[user]
        outputs = []
        for label in self.lists:
            method, path = label.split()
            case = self.schema[path][method].Case()
            outputs.append(getattr(self, self.list_rules[label])(StepInput.initial(case)))
        return multiple(*outputs)

    def get_call_kwargs(self, case):
        return {"headers": {"Authorization": f"Bearer {self.token}"}}

    def after_call(self, response, case):
        super().after_call(response, case)
        parameters = tuple(sorted((case.path_parameters or {}).items()))
        self.calls.append((case.method.upper(), case.path, parameters, response.status_code))

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        __tracebackhide__ = True
        case.validate_response(
            response,
            checks=CHECKS,
            headers=kwargs.get("headers"),
            transport_kwargs=kwargs or None,
            recorder=self.recorder,
        )


def _workflow(operations):
    """Schemathesis's state machine for these operations (None: all), made to start from
    the lists: a create under a generated initiative or portfolio id is a 404 that ends
    its chain, so the root rules that would make one are taken out."""
    loaded = _load_schema(operations)
    dropped = _drop_guessing_links(loaded)
    inferred = loaded.as_state_machine()
    roots = {normalize_name(f"RANDOM -> {label}"): label for label in inferred._root_labels}
    hidden = {name for name, label in roots.items() if "{" in label}
    return type(
        "Workflow",
        (_Steps, inferred),
        {
            **dict.fromkeys(hidden),  # no longer rules
            "root_rules": frozenset(roots) - hidden,
            "_root_labels": frozenset(roots.values()) - {roots[name] for name in hidden},
            "lists": tuple(label for label in LISTS if label in roots.values()),
            "list_rules": {label: name for name, label in roots.items()},
            "scenarios": [],
            "dropped": dropped,
        },
    )


# The schema view needs no database, so the schemas are read when the tests are collected.
Workflow = _workflow(None if os.environ.get("STATEFUL_ALL") == "1" else OPERATIONS)
# The cost entries alone, for the test that breaks their DELETE on purpose.
CostWorkflow = _workflow([LISTS[0], *(op for op in OPERATIONS if "cost" in op)])


def _links(machine) -> dict[str, set[str]]:
    """Source operation -> the operations its links lead to, as the state machine has them."""
    found: dict[str, set[str]] = {}
    for source, transitions in machine._transitions.operations.items():
        for link in transitions.outgoing:
            rule = getattr(machine, normalize_name(link.full_name), None)
            if hasattr(rule, RULE_MARKER):
                found.setdefault(source, set()).add(link.target.label)
    return found


def _reads_after_delete(scenarios) -> Counter:
    """GETs and PATCHes of a resource after its successful DELETE, in the same scenario."""
    found = Counter()
    for calls in scenarios:
        deleted = set()
        for method, path, parameters, status in calls:
            if method == "DELETE" and 200 <= status < 300:
                deleted.add((path, parameters))
            elif method in ("GET", "PATCH") and (path, parameters) in deleted:
                found[(method, path, status)] += 1
    return found


def _run(machine, tokens):
    machine.tokens = tokens
    machine.scenarios.clear()
    machine.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )


def test_every_documented_link_reaches_the_schema():
    """Each link in samverkan/schema_links.py is on its 201 and fills the target's path."""
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for (path, method), links in LINKS.items():
        documented = paths[path][method]["responses"]["201"].get("links", {})
        assert set(documented) == set(links), (path, method)
        for name, (target_path, target_method, parameters, _text) in links.items():
            target = paths[target_path][target_method]
            assert documented[name]["operationId"] == target["operationId"], name
            path_parameters = {p["name"] for p in target["parameters"] if p["in"] == "path"}
            assert set(parameters) == path_parameters, name


@pytest.mark.parametrize(("create", "read", "delete"), LIFECYCLES)
def test_the_state_machine_leads_from_create_to_delete_and_read(create, read, delete):
    """use_after_free needs rules that delete a created resource and read it again.

    If a link (or the rule Schemathesis makes of it) disappears, the run below would
    still pass without ever reading a deleted resource; this fails instead.
    """
    links = _links(Workflow)
    assert {read, delete} <= links.get(create, set()), sorted(links.get(create, ()))
    # ... and the create itself is reachable from a list the scenario starts with.
    assert any(create in links.get(label, ()) for label in LISTS), create


def test_api_sequences_conform_to_the_schema(stateful_tokens, db):
    _run(Workflow, stateful_tokens)
    calls = Counter((m, p, s) for scenario in Workflow.scenarios for m, p, _, s in scenario)
    # The run did what it is for: something was created, deleted and then asked for.
    created = sum(n for (m, _, s), n in calls.items() if m == "POST" and s == 201)
    deleted = sum(n for (m, _, s), n in calls.items() if m == "DELETE" and 200 <= s < 300)
    reads = _reads_after_delete(Workflow.scenarios)
    summary = (created, deleted, dict(reads), sorted(calls.items()))
    print(f"{len(Workflow.scenarios)} scenarios, {sum(calls.values())} calls: {summary}")
    if os.environ.get("STATEFUL_ALL") != "1":  # spread over every operation, it may not
        assert created and deleted and reads, summary


def test_use_after_free_catches_a_delete_that_does_not_delete(stateful_tokens, db, monkeypatch):
    """A cost entry DELETE that answers 204 and keeps the entry is caught.

    This proves the machinery, not the API: the check really runs on the stateful
    steps and a later read of the "deleted" entry fails it.
    """
    from portfolio.api import economy

    monkeypatch.setattr(
        economy.CostEntryDetailView, "remove", staticmethod(lambda *, actor, entry, version: None)
    )
    with pytest.raises(FailureGroup) as failed:
        _run(CostWorkflow, stateful_tokens)
    found = [type(failure) for failure in failed.value.exceptions]
    assert UseAfterFree in found, found


def test_an_empty_gate_criterion_label_is_refused_in_a_form_too(stateful_tokens, db):
    """Found by the run: a form PATCH with `label=` answered 200 and kept the old label."""
    from rest_framework.test import APIClient

    from portfolio.models import GateCriterion
    from portfolio.policies import can_manage_portfolio_settings

    coordinator = User.objects.get(username=USERS[0])
    criterion = next(
        c
        for c in GateCriterion.objects.select_related("portfolio").order_by("pk")
        if can_manage_portfolio_settings(coordinator, c.portfolio)
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {stateful_tokens[0]}")
    url = f"/api/v1/portfolios/{criterion.portfolio_id}/gate-criteria/{criterion.pk}/"
    for body, content_type in (
        ("label=&is_active=false", "application/x-www-form-urlencoded"),
        ('{"label": "", "is_active": false}', "application/json"),
    ):
        response = client.generic("PATCH", url, body, content_type=content_type)
        assert response.status_code == 400, (content_type, response.content)
        assert set(response.json()["errors"]) == {"label"}, content_type
    unchanged = GateCriterion.objects.get(pk=criterion.pk)
    assert (unchanged.label, unchanged.is_active) == (criterion.label, criterion.is_active)
