"""OpenAPI links: what a client can do next with a resource it has just created.

drf-spectacular cannot describe links itself, so this post-processing hook adds them to
the creating operation's 201 response. A link names its target by `operationId` and
says where each of the target's path parameters comes from, e.g. the new cost entry's
`id` from the response body. Clients (and Schemathesis's stateful run in
tests/test_api_stateful.py) follow them from a create to the read, change and delete.
"""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _


class Link(NamedTuple):
    path: str
    method: str
    # Target path parameter -> OpenAPI runtime expression.
    parameters: dict[str, str]
    description: str


_NEW_ID = "$response.body#/id"
_SAME_PORTFOLIO = {"portfolio_pk": "$request.path.portfolio_pk", "id": _NEW_ID}
_COST = "/api/v1/cost-entries/{id}/"
_TIME = "/api/v1/time-entries/{id}/"
_PRIORITY = "/api/v1/portfolios/{portfolio_pk}/priority-criteria/{id}/"
_GATE = "/api/v1/portfolios/{portfolio_pk}/gate-criteria/{id}/"

# (path, method) of a creating operation -> link name -> where it leads.
LINKS = {
    ("/api/v1/initiatives/{initiative_pk}/costs/", "post"): {
        "GetCostEntry": Link(_COST, "get", {"id": _NEW_ID}, _("Läs den nya kostnaden.")),
        "PatchCostEntry": Link(
            _COST, "patch", {"id": _NEW_ID}, _("Rätta den nya kostnaden (historiken sparas).")
        ),
        "DeleteCostEntry": Link(
            _COST, "delete", {"id": _NEW_ID}, _("Ta bort den nya kostnaden (historiken sparas).")
        ),
    },
    ("/api/v1/initiatives/{initiative_pk}/time-entries/", "post"): {
        "GetTimeEntry": Link(_TIME, "get", {"id": _NEW_ID}, _("Läs den nya tidsinsatsen.")),
        "PatchTimeEntry": Link(
            _TIME, "patch", {"id": _NEW_ID}, _("Rätta den nya tidsinsatsen (historiken sparas).")
        ),
        "DeleteTimeEntry": Link(
            _TIME,
            "delete",
            {"id": _NEW_ID},
            _("Ta bort den nya tidsinsatsen (historiken sparas)."),
        ),
    },
    ("/api/v1/portfolios/{portfolio_pk}/priority-criteria/", "post"): {
        "GetPriorityCriterion": Link(
            _PRIORITY, "get", _SAME_PORTFOLIO, _("Läs det nya prioriteringskriteriet.")
        ),
        "PatchPriorityCriterion": Link(
            _PRIORITY,
            "patch",
            _SAME_PORTFOLIO,
            _("Byt namn eller vikt på det nya prioriteringskriteriet."),
        ),
        "DeletePriorityCriterion": Link(
            _PRIORITY, "delete", _SAME_PORTFOLIO, _("Ta bort det nya prioriteringskriteriet.")
        ),
    },
    # A gate criterion has no DELETE: it is deactivated, never removed.
    ("/api/v1/portfolios/{portfolio_pk}/gate-criteria/", "post"): {
        "GetGateCriterion": Link(_GATE, "get", _SAME_PORTFOLIO, _("Läs det nya grindkriteriet.")),
        "PatchGateCriterion": Link(
            _GATE,
            "patch",
            _SAME_PORTFOLIO,
            _("Ändra texten på det nya grindkriteriet eller inaktivera det."),
        ),
    },
    ("/api/v1/initiatives/{initiative_pk}/confirmations/", "post"): {
        "DeleteConfirmation": Link(
            "/api/v1/initiatives/{initiative_pk}/confirmations/{criterion_pk}/",
            "delete",
            {
                "initiative_pk": "$request.path.initiative_pk",
                "criterion_pk": "$response.body#/criterion",
            },
            _("Ta tillbaka bekräftelsen av kriteriet."),
        ),
    },
    ("/api/v1/delegations/", "post"): {
        "RevokeDelegation": Link(
            "/api/v1/delegations/{id}/revoke/",
            "post",
            {"id": _NEW_ID},
            _("Återkalla den nya delegeringen."),
        ),
    },
}


def add_links(result, generator, request, public):
    """drf-spectacular post-processing hook: the links in LINKS, on each source's 201 response.

    A source or target missing from this schema (e.g. a filtered one) gets no link;
    tests/test_api_stateful.py checks that the full schema carries every link.
    """
    paths = result.get("paths", {})
    for (path, method), links in LINKS.items():
        source = paths.get(path, {}).get(method)
        if source is None or "201" not in source.get("responses", {}):
            continue
        documented = {}
        for name, link in links.items():
            target = paths.get(link.path, {}).get(link.method)
            if target is not None:
                documented[name] = {
                    "operationId": target["operationId"],
                    "parameters": dict(link.parameters),
                    "description": str(link.description),
                }
        if documented:
            source["responses"]["201"].setdefault("links", {}).update(documented)
    return result
