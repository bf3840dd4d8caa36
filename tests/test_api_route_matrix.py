"""One table: every /api/v1/ route × method × role -> the status the role gets.

The routes come from the URL resolver, so a new route without a row fails
`test_every_api_route_has_a_row`. To add a route: add a row to MATRIX (statuses in
ROLES order), a URL-argument builder to KWARGS if the route has arguments, and a body
builder to BODIES for writes. Everything acts on Dalsland's data; `outsider` is a
Skara user, to whom Dalsland's objects do not exist (404).
"""

import datetime as dt
import json

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse

from accounts.models import User
from accounts.services import api_token_create
from municipalities.models import Agreement, Constellation, County, Municipality
from portfolio.choices import Stage
from portfolio.models import Initiative, Portfolio

ROLES = (
    "anonymous",
    "director",
    "program_manager",
    "it_manager",
    "owner",
    "coordinator",
    "reader",
    "outsider",
)
USERNAMES = {
    "director": "kd.bengtsfors",
    "program_manager": "programledare",
    "it_manager": "itchef",
    "owner": "initiativagare",
    "coordinator": "samordnare",
    "reader": "lasare",
    "outsider": "kd.skara",
}

# fmt: off
#                                      anon  kd   pl   it   own  sam  läs  out
MATRIX = {
    ("api-root", "GET"):              (401, 200, 200, 200, 200, 200, 200, 200),
    ("initiative-list", "GET"):       (401, 200, 200, 200, 200, 200, 200, 200),
    # outsider: Dalsland's portfolio is not a valid choice for them (field error).
    ("initiative-list", "POST"):      (401, 201, 201, 201, 201, 201, 403, 400),
    ("initiative-export", "GET"):     (401, 200, 200, 200, 200, 200, 200, 200),
    ("initiative-detail", "GET"):     (401, 200, 200, 200, 200, 200, 200, 404),
    # policies.can_edit_initiative: program manager, owner (idea/pre-study), coordinator.
    ("initiative-detail", "PATCH"):   (401, 403, 200, 403, 200, 200, 403, 404),
    ("municipality-list", "GET"):     (401, 200, 200, 200, 200, 200, 200, 200),
    ("municipality-detail", "GET"):   (401, 200, 200, 200, 200, 200, 200, 200),
    ("county-list", "GET"):           (401, 200, 200, 200, 200, 200, 200, 200),
    ("county-detail", "GET"):         (401, 200, 200, 200, 200, 200, 200, 200),
    ("constellation-list", "GET"):    (401, 200, 200, 200, 200, 200, 200, 200),
    ("constellation-detail", "GET"):  (401, 200, 200, 200, 200, 200, 200, 404),
    ("agreement-list", "GET"):        (401, 200, 200, 200, 200, 200, 200, 200),
    ("agreement-detail", "GET"):      (401, 200, 200, 200, 200, 200, 200, 404),
    ("portfolio-list", "GET"):        (401, 200, 200, 200, 200, 200, 200, 200),
    ("portfolio-detail", "GET"):      (401, 200, 200, 200, 200, 200, 200, 404),
    ("program-list", "GET"):          (401, 200, 200, 200, 200, 200, 200, 200),
    ("program-detail", "GET"):        (401, 200, 200, 200, 200, 200, 200, 404),
    # Portfolio settings: everyone in the constellation reads, only the samordnare writes.
    ("settings-gate-criteria", "GET"):           (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-gate-criteria", "POST"):          (401, 403, 403, 403, 403, 201, 403, 404),
    ("settings-gate-criteria-reorder", "POST"):  (401, 403, 403, 403, 403, 200, 403, 404),
    ("settings-gate-criterion", "GET"):          (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-gate-criterion", "PATCH"):        (401, 403, 403, 403, 403, 200, 403, 404),
    ("settings-allocation-keys", "GET"):         (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-allocation-keys", "POST"):        (401, 403, 403, 403, 403, 201, 403, 404),
    ("settings-allocation-key", "GET"):          (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-priority-criteria", "GET"):       (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-priority-criteria", "POST"):      (401, 403, 403, 403, 403, 201, 403, 404),
    ("settings-priority-criterion", "GET"):      (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-priority-criterion", "PATCH"):    (401, 403, 403, 403, 403, 200, 403, 404),
    # läs: the samordnare has just deleted the criterion, so it is gone (404).
    ("settings-priority-criterion", "DELETE"):   (401, 403, 403, 403, 403, 204, 404, 404),
    ("settings-programs", "GET"):                (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-programs", "POST"):               (401, 403, 403, 403, 403, 201, 403, 404),
    ("settings-program", "GET"):                 (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-program", "PATCH"):               (401, 403, 403, 403, 403, 200, 403, 404),
    ("settings-program-budgets", "GET"):         (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-program-budget", "PUT"):          (401, 403, 403, 403, 403, 200, 403, 404),
    ("settings-portfolio", "GET"):               (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-portfolio", "PATCH"):             (401, 403, 403, 403, 403, 200, 403, 404),
    ("settings-history", "GET"):                 (401, 200, 200, 200, 200, 200, 200, 404),
    # Workflow, economy, reports and Excel import. Writes without a BODIES entry send {}:
    # those rows pin the boundary (401, outsider 404) and who is refused before
    # validation; the owning areas should add bodies to pin success. DELETE rows: the
    # first role that may delete does so, later roles then find nothing (404).
    # reports detail/download: the demo has no report job, so only 401/404 are pinned.
    ("allocation-preview", "POST"):           (401, 400, 400, 400, 400, 400, 400, 400),
    ("confirmation-detail", "DELETE"):        (401, 400, 400, 403, 400, 400, 403, 404),
    ("confirmation-list", "GET"):             (401, 200, 200, 200, 200, 200, 200, 404),
    ("confirmation-list", "POST"):            (401, 400, 400, 400, 400, 400, 400, 404),
    ("cost-entry", "DELETE"):                 (401, 204, 404, 404, 404, 404, 404, 404),
    ("cost-entry", "GET"):                    (401, 200, 200, 200, 200, 200, 200, 404),
    ("cost-entry", "PATCH"):                  (401, 200, 200, 403, 403, 200, 403, 404),
    ("decision-detail", "GET"):               (401, 200, 200, 200, 200, 200, 200, 404),
    ("decision-list", "GET"):                 (401, 200, 200, 200, 200, 200, 200, 404),
    ("decision-list", "POST"):                (401, 400, 400, 400, 400, 400, 400, 404),
    ("economy-initiative", "GET"):            (401, 200, 200, 200, 200, 200, 200, 404),
    ("economy-municipality", "GET"):          (401, 200, 200, 200, 200, 200, 200, 200),
    ("economy-portfolio", "GET"):             (401, 200, 200, 200, 200, 200, 200, 404),
    ("economy-program", "GET"):               (401, 200, 200, 200, 200, 200, 200, 404),
    ("effect-goal-detail", "GET"):            (401, 200, 200, 200, 200, 200, 200, 404),
    ("effect-goal-detail", "PATCH"):          (401, 403, 200, 403, 200, 200, 403, 404),
    ("effect-goal-list", "GET"):              (401, 200, 200, 200, 200, 200, 200, 404),
    ("effect-goal-list", "POST"):             (401, 400, 400, 400, 400, 400, 400, 404),
    ("excel-import-confirm", "POST"):         (401, 400, 400, 400, 400, 400, 403, 404),
    ("excel-import-preview", "POST"):         (401, 415, 415, 415, 415, 415, 403, 404),
    ("gate-checklist", "GET"):                (401, 200, 200, 200, 200, 200, 200, 404),
    ("initiative-3n", "POST"):                (401, 400, 400, 400, 400, 400, 400, 404),
    ("initiative-costs", "GET"):              (401, 200, 200, 200, 200, 200, 200, 404),
    ("initiative-costs", "POST"):             (401, 400, 400, 400, 400, 400, 400, 404),
    ("initiative-history", "GET"):            (401, 200, 200, 200, 200, 200, 200, 404),
    ("initiative-pause", "POST"):             (401, 400, 400, 400, 400, 400, 400, 404),
    ("initiative-time-entries", "GET"):       (401, 200, 200, 200, 200, 200, 200, 404),
    ("initiative-time-entries", "POST"):      (401, 400, 400, 400, 400, 400, 400, 404),
    ("measurement-list", "GET"):              (401, 200, 200, 200, 200, 200, 200, 404),
    ("measurement-list", "POST"):             (401, 400, 400, 400, 400, 400, 400, 404),
    ("participation-answer", "POST"):         (401, 400, 400, 400, 400, 400, 400, 404),
    ("participation-implemented", "POST"):    (401, 400, 400, 400, 400, 400, 400, 404),
    ("participation-leave", "POST"):          (401, 400, 400, 400, 400, 400, 400, 404),
    ("participation-list", "GET"):            (401, 200, 200, 200, 200, 200, 200, 404),
    ("participation-list", "POST"):           (401, 400, 400, 400, 400, 400, 400, 404),
    ("participation-opt-out", "POST"):        (401, 400, 400, 400, 400, 400, 400, 404),
    ("priority-scores", "GET"):               (401, 200, 200, 200, 200, 200, 200, 404),
    ("priority-scores", "POST"):              (401, 400, 400, 400, 400, 400, 400, 404),
    ("report-job-detail", "GET"):             (401, 404, 404, 404, 404, 404, 404, 404),
    ("report-job-download", "GET"):           (401, 404, 404, 404, 404, 404, 404, 404),
    ("report-job-list", "GET"):               (401, 200, 200, 200, 200, 200, 200, 200),
    ("report-job-list", "POST"):              (401, 400, 400, 400, 400, 400, 400, 400),
    ("scenarios", "POST"):                    (401, 400, 400, 400, 400, 400, 400, 400),
    ("settlement-portfolio", "GET"):          (401, 200, 200, 200, 200, 200, 200, 404),
    ("settlement-portfolio", "POST"):         (401, 400, 400, 400, 400, 400, 400, 404),
    ("status-list", "GET"):                   (401, 200, 200, 200, 200, 200, 200, 404),
    ("status-list", "POST"):                  (401, 400, 400, 400, 400, 400, 400, 404),
    ("time-entry", "DELETE"):                 (401, 204, 404, 404, 404, 404, 404, 404),
    ("time-entry", "GET"):                    (401, 200, 200, 200, 200, 200, 200, 404),
    ("time-entry", "PATCH"):                  (401, 200, 200, 403, 403, 200, 403, 404),
}
# fmt: on

KWARGS = {
    "initiative-detail": lambda t: {"pk": t["initiative"].pk},
    "municipality-detail": lambda t: {"pk": t["municipality"].pk},
    "county-detail": lambda t: {"pk": t["county"].pk},
    "constellation-detail": lambda t: {"pk": t["constellation"].pk},
    "agreement-detail": lambda t: {"pk": t["agreement"].pk},
    "portfolio-detail": lambda t: {"pk": t["portfolio"].pk},
    "program-detail": lambda t: {"pk": t["program"].pk},
    **{
        name: lambda t: {"portfolio_pk": t["portfolio"].pk}
        for name in (
            "settings-gate-criteria",
            "settings-gate-criteria-reorder",
            "settings-allocation-keys",
            "settings-priority-criteria",
            "settings-programs",
            "settings-portfolio",
            "settings-history",
        )
    },
    "settings-gate-criterion": lambda t: {
        "portfolio_pk": t["portfolio"].pk,
        "pk": t["portfolio"].gate_criteria.order_by("pk").first().pk,
    },
    "settings-allocation-key": lambda t: {
        "portfolio_pk": t["portfolio"].pk,
        "pk": t["portfolio"].allocation_keys.order_by("pk").first().pk,
    },
    "settings-priority-criterion": lambda t: {
        "portfolio_pk": t["portfolio"].pk,
        "pk": t["portfolio"].priority_criteria.create(name="Oanvänt i matrisen", weight=1).pk,
    },
    "settings-program": lambda t: {"portfolio_pk": t["portfolio"].pk, "pk": t["program"].pk},
    "settings-program-budgets": lambda t: {
        "portfolio_pk": t["portfolio"].pk,
        "pk": t["program"].pk,
    },
    "settings-program-budget": lambda t: {
        "portfolio_pk": t["portfolio"].pk,
        "pk": t["program"].pk,
        "year": 2027,
    },
    **{
        name: lambda t: {"initiative_pk": t["initiative"].pk}
        for name in (
            "initiative-costs",
            "initiative-time-entries",
            "decision-list",
            "confirmation-list",
            "participation-list",
            "status-list",
            "effect-goal-list",
            "priority-scores",
            "initiative-history",
            "initiative-pause",
            "initiative-3n",
        )
    },
    "gate-checklist": lambda t: {"initiative_pk": t["initiative"].pk, "gate": "G1"},
    "decision-detail": lambda t: {
        "initiative_pk": t["initiative"].pk,
        "pk": t["initiative"].decisions.order_by("pk").first().pk,
    },
    "confirmation-detail": lambda t: {
        "initiative_pk": t["initiative"].pk,
        "criterion_pk": t["portfolio"]
        .gate_criteria.filter(gate="G1", kind="manuell")
        .order_by("pk")
        .first()
        .pk,
    },
    **{
        name: lambda t: {
            "initiative_pk": t["initiative"].pk,
            "pk": t["initiative"].participations.order_by("pk").first().pk,
        }
        for name in (
            "participation-answer",
            "participation-leave",
            "participation-implemented",
            "participation-opt-out",
        )
    },
    "effect-goal-detail": lambda t: {
        "initiative_pk": t["initiative"].pk,
        "pk": t["initiative"].effect_goals.order_by("pk").first().pk,
    },
    "measurement-list": lambda t: {
        "initiative_pk": t["initiative"].pk,
        "pk": t["initiative"].effect_goals.order_by("pk").first().pk,
    },
    "cost-entry": lambda t: {"pk": t["initiative"].costs.order_by("pk").first().pk},
    "time-entry": lambda t: {"pk": t["initiative"].time_entries.order_by("pk").first().pk},
    "economy-portfolio": lambda t: {"pk": t["portfolio"].pk},
    "economy-program": lambda t: {"pk": t["program"].pk},
    "economy-initiative": lambda t: {"pk": t["initiative"].pk},
    "economy-municipality": lambda t: {"code": "1460"},
    "settlement-portfolio": lambda t: {"pk": t["portfolio"].pk},
    "excel-import-preview": lambda t: {"pk": t["portfolio"].pk, "kind": "costs"},
    "excel-import-confirm": lambda t: {"pk": t["portfolio"].pk, "kind": "costs"},
    "report-job-detail": lambda t: {"pk": 1},
    "report-job-download": lambda t: {"pk": 1},
}

BODIES = {
    ("initiative-list", "POST"): lambda t: {"portfolio": t["portfolio"].pk, "title": "Matrisidé"},
    ("initiative-detail", "PATCH"): lambda t: {
        "need": "Ändrat i matrisen.",
        "version": Initiative.objects.get(pk=t["initiative"].pk).version,
    },
    ("settings-gate-criteria", "POST"): lambda t: {
        "gate": "G1",
        "label": "Matrisens kriterium",
        "kind": "manuell",
    },
    ("settings-gate-criteria-reorder", "POST"): lambda t: {
        "gate": "G0",
        "order": list(
            t["portfolio"]
            .gate_criteria.filter(gate="G0")
            .order_by("-order", "-pk")
            .values_list("pk", flat=True)
        ),
    },
    ("settings-gate-criterion", "PATCH"): lambda t: {"label": "Ändrat i matrisen"},
    ("settings-allocation-keys", "POST"): lambda t: {"valid_from": "2030-01-01"},
    ("settings-priority-criteria", "POST"): lambda t: {"name": "Matrisens kriterium", "weight": 2},
    ("settings-priority-criterion", "PATCH"): lambda t: {"weight": 2},
    ("settings-programs", "POST"): lambda t: {"name": "Matrisens program"},
    ("settings-program", "PATCH"): lambda t: {"description": "Ändrat i matrisen."},
    ("settings-program-budget", "PUT"): lambda t: {"amount": 1_000_000},
    ("settings-portfolio", "PATCH"): lambda t: {"sender": "Matrisens avsändare"},
}


def api_routes() -> set[tuple[str, str]]:
    """(route name, METHOD) for every route under /api/v1/, from the URL resolver."""
    found = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
                continue
            if not route.startswith("api/v1/"):
                continue
            view = pattern.callback
            cls = getattr(view, "cls", None)
            allowed = [
                m for m in getattr(cls, "http_method_names", []) if m not in {"head", "options"}
            ]
            actions = getattr(view, "actions", None)
            if actions is not None:
                methods = [m for m in actions if m in allowed]
            else:
                methods = [m for m in allowed if hasattr(cls, m)]
            found.update((pattern.name, m.upper()) for m in methods)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_api_route_has_a_row():
    routes = api_routes()
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, f"Routes without a row in MATRIX: {missing}"
    assert not stale, f"Rows for routes that no longer exist: {stale}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Demo data and one token per role, built once for the module and rolled back after."""
    from portfolio.demo.loader import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        portfolio = Portfolio.objects.get(reference_prefix="DAL")
        initiative = (
            Initiative.objects.filter(
                portfolio=portfolio,
                stage=Stage.PRESTUDY,
                owner__username="initiativagare",
                program__manager__username="programledare",
            )
            .order_by("id")
            .first()
        )
        constellation = portfolio.constellation
        agreement = Agreement.objects.create(
            title="Avtal om gemensam IT-drift i Dalsland",
            constellation=constellation,
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2027, 12, 31),
        )
        agreement.parties.add(*constellation.members.all())
        targets = {
            "portfolio": portfolio,
            "initiative": initiative,
            "program": initiative.program,
            "constellation": constellation,
            "agreement": agreement,
            "municipality": Municipality.objects.get(code="1460"),
            "county": County.objects.get(code="14"),
        }
        tokens = {
            role: api_token_create(user=User.objects.get(username=name), name="matris")[1]
            for role, name in USERNAMES.items()
        }
        assert Constellation.objects.exists()
        yield targets, tokens
        transaction.set_rollback(True)


@pytest.mark.parametrize("route,method", sorted(MATRIX), ids=lambda v: str(v))
def test_route_matrix(client, world, db, route, method):
    targets, tokens = world
    kwargs = KWARGS[route](targets) if route in KWARGS else {}
    url = reverse(route, kwargs=kwargs)
    mismatches = []
    for role, expected in zip(ROLES, MATRIX[route, method], strict=True):
        headers = {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"}
        body = BODIES.get((route, method))
        if body is None and method in ("POST", "PUT", "PATCH"):
            # Rows without a body builder send an empty JSON object: they pin who is
            # refused before validation (401, 403, 404); give them a body to pin success.
            body = lambda t: {}  # noqa: E731
        response = client.generic(
            method,
            url,
            data=None if body is None else json.dumps(body(targets)),
            content_type="application/json",
            **headers,
        )
        if response.status_code != expected:
            mismatches.append((role, expected, response.status_code, response.content[:200]))
    assert not mismatches, f"{method} {url}: (role, expected, got, body) {mismatches}"
