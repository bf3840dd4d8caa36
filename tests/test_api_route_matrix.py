"""One table: every /api/v1/ route × method × role -> the status the role gets.

The routes come from the URL resolver, so a new route without a row fails
`test_every_api_route_has_a_row`. To add a route: add a row to MATRIX (statuses in
ROLES order), a URL-argument builder to KWARGS if the route has arguments, and a body
builder to BODIES for writes. Everything acts on Dalsland's data; `outsider` is a
Skara user, to whom Dalsland's objects do not exist (404).

A write the role may not do answers 403 whatever the body (the policy is asked before
the body is read), so rows with a realistic body show both who may (2xx) and who may
not (403). The roles run in ROLES order against the same state, so a later role can
meet what an earlier one did (a period already settled: 409).
"""

import datetime as dt
import hashlib
import itertools
import json
import tempfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import api_token_create
from municipalities.models import Agreement, Constellation, County, Municipality
from municipalities.organisations import organisation_register
from portfolio.choices import Stage
from portfolio.models import (
    ArchiveExport,
    ArchiveExportStatus,
    Attachment,
    CostEntry,
    Initiative,
    Participation,
    Portfolio,
    ProgramBudget,
)
from portfolio.periods import half_year_of
from portfolio.services.participation import participation_invite

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
    # The samordnare sets constellations up: creates one (their municipality its first
    # member), changes its own and records members joining or leaving on a date.
    ("constellation-list", "POST"):        (401, 403, 403, 403, 403, 201, 403, 403),
    ("constellation-detail", "PATCH"):     (401, 403, 403, 403, 403, 200, 403, 404),
    ("constellation-membership", "POST"):  (401, 403, 403, 403, 403, 200, 403, 404),
    # Organisations are reference data everyone reads; a samordnare registers them.
    ("organisation-list", "GET"):     (401, 200, 200, 200, 200, 200, 200, 200),
    ("organisation-detail", "GET"):   (401, 200, 200, 200, 200, 200, 200, 200),
    ("organisation-list", "POST"):    (401, 403, 403, 403, 403, 201, 403, 403),
    ("organisation-detail", "PATCH"): (401, 403, 403, 403, 403, 200, 403, 403),
    ("agreement-list", "GET"):        (401, 200, 200, 200, 200, 200, 200, 200),
    ("agreement-detail", "GET"):      (401, 200, 200, 200, 200, 200, 200, 404),
    # The constellation's samordnare registers and changes its agreements.
    ("agreement-list", "POST"):       (401, 403, 403, 403, 403, 201, 403, 403),
    ("agreement-detail", "PATCH"):    (401, 403, 403, 403, 403, 200, 403, 404),
    ("portfolio-list", "GET"):        (401, 200, 200, 200, 200, 200, 200, 200),
    # Starting a portfolio: the samordnare, for a constellation of their own.
    ("portfolio-list", "POST"):       (401, 403, 403, 403, 403, 201, 403, 403),
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
    # läs is refused before the criterion is looked up (the samordnare has deleted it).
    ("settings-priority-criterion", "DELETE"):   (401, 403, 403, 403, 403, 204, 403, 404),
    ("settings-programs", "GET"):                (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-programs", "POST"):               (401, 403, 403, 403, 403, 201, 403, 404),
    ("settings-program", "GET"):                 (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-program", "PATCH"):               (401, 403, 403, 403, 403, 200, 403, 404),
    # Decision bodies: everyone in the constellation reads them; the samordnare sets them up.
    ("settings-bodies", "GET"):                  (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-bodies", "POST"):                 (401, 403, 403, 403, 403, 201, 403, 404),
    ("settings-body", "GET"):                    (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-body", "PATCH"):                  (401, 403, 403, 403, 403, 200, 403, 404),
    # Meetings of Dalsland's board (chair kd.bengtsfors, secretary samordnare): everyone in
    # the constellation reads; the chair and the secretary plan and record (the samordnare
    # finds the item already removed or decided by the chair: 404, 400); justering is the
    # chair's and the adjuster's (none named yet: 400).
    ("portfolio-meetings", "GET"):               (401, 200, 200, 200, 200, 200, 200, 404),
    ("portfolio-meetings", "POST"):              (401, 201, 403, 403, 403, 201, 403, 404),
    # A series: the chair plans it; the samordnare's same days are taken by then (400).
    ("portfolio-meeting-series", "POST"):        (401, 201, 403, 403, 403, 400, 403, 404),
    ("meeting", "GET"):                          (401, 200, 200, 200, 200, 200, 200, 404),
    ("meeting", "PATCH"):                        (401, 200, 403, 403, 403, 200, 403, 404),
    ("meeting-proposal", "GET"):                 (401, 200, 200, 200, 200, 200, 200, 404),
    ("meeting-proposal", "POST"):                (401, 201, 403, 403, 403, 201, 403, 404),
    ("meeting-items", "POST"):                   (401, 201, 403, 403, 403, 201, 403, 404),
    ("meeting-item", "DELETE"):                  (401, 204, 403, 403, 403, 404, 403, 404),
    # The kallelse: the chair sends it; the secretary then finds the agenda unchanged (400).
    ("meeting-agenda-send", "POST"):             (401, 201, 403, 403, 403, 400, 403, 404),
    ("meeting-item-decision", "POST"):           (401, 201, 403, 403, 403, 400, 403, 404),
    ("meeting-attendance", "PUT"):               (401, 200, 403, 403, 403, 200, 403, 404),
    ("meeting-minutes-api", "GET"):              (401, 200, 200, 200, 200, 200, 200, 404),
    ("meeting-minutes-api", "POST"):             (401, 400, 403, 403, 403, 403, 403, 404),
    ("body-calendar", "GET"):                    (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-program-budgets", "GET"):         (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-program-budget", "GET"):          (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-program-budget", "PUT"):          (401, 403, 403, 403, 403, 200, 403, 404),
    ("settings-portfolio", "GET"):               (401, 200, 200, 200, 200, 200, 200, 404),
    ("settings-portfolio", "PATCH"):             (401, 403, 403, 403, 403, 200, 403, 404),
    ("settings-history", "GET"):                 (401, 200, 200, 200, 200, 200, 200, 404),
    # Workflow, economy, reports and Excel import. The matrix initiative is a förstudie in
    # the program programledare leads, owned by initiativagare; Bengtsfors (kd.bengtsfors),
    # Mellerud (programledare), Färgelanda (initiativagare, läsare), Vänersborg
    # (samordnare) and Åmål take part, Dals-Ed (itchef) does not. Writes without a BODIES
    # entry send {}: allowed roles then get 400, refused roles 403 all the same.
    # DELETE rows: the first role that may delete does so, later roles find nothing (404).
    # reports detail/download: the demo has no report job, so only 401/404 are pinned.
    # The calculator and scenarios write nothing: everyone signed in may use them;
    # outsider: Dalsland's constellation is not theirs to name (400, unknown set).
    ("allocation-preview", "POST"):           (401, 200, 200, 200, 200, 200, 200, 200),
    ("scenarios", "POST"):                    (401, 200, 200, 200, 200, 200, 200, 400),
    # G1 is the board's: kommundirektören returns it for completion; the program is refused.
    # G1 is the portfolio board's: its chair (kd.bengtsfors) or secretary (the samordnare)
    # records it; other members and roles are refused (test_bodies.py).
    ("decision-list", "POST"):                (401, 201, 403, 403, 403, 201, 403, 404),
    ("decision-detail", "GET"):               (401, 200, 200, 200, 200, 200, 200, 404),
    ("decision-list", "GET"):                 (401, 200, 200, 200, 200, 200, 200, 404),
    # Criteria: those who edit the initiative, and the board; confirmed once, then 400.
    ("confirmation-list", "GET"):             (401, 200, 200, 200, 200, 200, 200, 404),
    ("confirmation-list", "POST"):            (401, 201, 400, 403, 400, 400, 403, 404),
    ("confirmation-detail", "DELETE"):        (401, 400, 400, 403, 400, 400, 403, 404),
    # A municipality answers for itself: only Bengtsfors' kommundirektör, for Bengtsfors.
    ("participation-answer", "POST"):         (401, 200, 403, 403, 403, 403, 403, 404),
    ("participation-leave", "POST"):          (401, 200, 403, 403, 403, 403, 403, 404),
    # Implementation: the municipality's director, the program, the portfolio office.
    ("participation-implemented", "POST"):    (401, 200, 200, 403, 403, 200, 403, 404),
    ("participation-opt-out", "POST"):        (401, 200, 200, 403, 403, 200, 403, 404),
    ("participation-list", "GET"):            (401, 200, 200, 200, 200, 200, 200, 404),
    # Inviting Dals-Ed: the program first; then it is already invited (400).
    ("participation-list", "POST"):           (401, 403, 201, 403, 400, 400, 403, 404),
    # Status, costs and hours: staff of a participating municipality, the program, the
    # portfolio office. Dals-Ed's IT-chef and the initiativägare are refused.
    ("status-list", "GET"):                   (401, 200, 200, 200, 200, 200, 200, 404),
    ("status-list", "POST"):                  (401, 201, 201, 403, 403, 201, 403, 404),
    ("initiative-costs", "GET"):              (401, 200, 200, 200, 200, 200, 200, 404),
    # Estimates (the body, and the matrix's cost entry) are shared figures: the program
    # and the portfolio office only, not a participant's kommundirektör.
    ("initiative-costs", "POST"):             (401, 403, 201, 403, 403, 201, 403, 404),
    ("initiative-time-entries", "GET"):       (401, 200, 200, 200, 200, 200, 200, 404),
    ("initiative-time-entries", "POST"):      (401, 201, 201, 403, 403, 201, 403, 404),
    ("cost-entry", "DELETE"):                 (401, 403, 204, 404, 404, 404, 404, 404),
    ("cost-entry", "GET"):                    (401, 200, 200, 200, 200, 200, 200, 404),
    ("cost-entry", "PATCH"):                  (401, 403, 200, 403, 403, 200, 403, 404),
    ("time-entry", "DELETE"):                 (401, 204, 404, 404, 404, 404, 404, 404),
    ("time-entry", "GET"):                    (401, 200, 200, 200, 200, 200, 200, 404),
    ("time-entry", "PATCH"):                  (401, 200, 200, 403, 403, 200, 403, 404),
    # Settling the last half-year is the board's decision, recorded by its chair
    # (kd.bengtsfors) or secretary (the samordnare), once (then 409); a member of the
    # board who is neither is refused (test_bodies.py).
    ("settlement-portfolio", "GET"):          (401, 200, 200, 200, 200, 200, 200, 404),
    ("settlement-portfolio", "POST"):         (401, 201, 403, 403, 403, 409, 403, 404),
    ("economy-initiative", "GET"):            (401, 200, 200, 200, 200, 200, 200, 404),
    # Municipalities are public reference data; the outsider's answer lists no portfolio
    # (test_economy_visibility.py).
    # Bengtsfors is outside the outsider's constellations: 404, like an unknown code.
    ("economy-municipality", "GET"):          (401, 200, 200, 200, 200, 200, 200, 404),
    ("economy-portfolio", "GET"):             (401, 200, 200, 200, 200, 200, 200, 404),
    ("economy-program", "GET"):               (401, 200, 200, 200, 200, 200, 200, 404),
    ("effect-goal-detail", "GET"):            (401, 200, 200, 200, 200, 200, 200, 404),
    ("effect-goal-detail", "PATCH"):          (401, 403, 200, 403, 200, 200, 403, 404),
    ("effect-goal-list", "GET"):              (401, 200, 200, 200, 200, 200, 200, 404),
    ("effect-goal-list", "POST"):             (401, 403, 201, 403, 201, 201, 403, 404),
    ("measurement-list", "GET"):              (401, 200, 200, 200, 200, 200, 200, 404),
    ("measurement-list", "POST"):             (401, 201, 201, 403, 201, 201, 403, 404),
    ("priority-scores", "GET"):               (401, 200, 200, 200, 200, 200, 200, 404),
    ("priority-scores", "POST"):              (401, 200, 200, 403, 200, 200, 403, 404),
    # Pausing steers the initiative: the board pauses it, then it is already paused (400).
    ("initiative-pause", "POST"):             (401, 200, 400, 403, 403, 403, 403, 404),
    # 3N is judged on implemented solutions; the förstudie has none yet (400).
    ("initiative-3n", "POST"):                (401, 400, 400, 403, 400, 400, 403, 404),
    ("gate-checklist", "GET"):                (401, 200, 200, 200, 200, 200, 200, 404),
    ("initiative-history", "GET"):            (401, 200, 200, 200, 200, 200, 200, 404),
    ("excel-import-confirm", "POST"):         (401, 400, 400, 400, 400, 400, 403, 404),
    ("excel-import-preview", "POST"):         (401, 415, 415, 415, 415, 415, 403, 404),
    # The whole portfolio's workbook: everyone who sees the portfolio, as far as they see it.
    ("excel-export-portfolio", "GET"):        (401, 200, 200, 200, 200, 200, 200, 404),
    # An import job is seen only by the one who confirmed the import; none exists here.
    ("excel-import-job", "GET"):              (401, 404, 404, 404, 404, 404, 404, 404),
    # Everyone who sees the portfolio may order its board report.
    ("report-job-detail", "GET"):             (401, 404, 404, 404, 404, 404, 404, 404),
    ("report-job-download", "GET"):           (401, 404, 404, 404, 404, 404, 404, 404),
    ("report-job-figures", "GET"):            (401, 404, 404, 404, 404, 404, 404, 404),
    ("report-job-list", "GET"):               (401, 200, 200, 200, 200, 200, 200, 200),
    ("report-job-list", "POST"):              (401, 202, 202, 202, 202, 202, 202, 404),
    # Delegation: each user lists their own municipality's; only its director delegates.
    # outsider (Skara's director) may delegate, but not to a person in Bengtsfors (400);
    # a delegation of another municipality does not exist for the others (404).
    ("delegation-list", "GET"):               (401, 200, 200, 200, 200, 200, 200, 200),
    ("delegation-list", "POST"):              (401, 201, 403, 403, 403, 403, 403, 400),
    ("delegation-revoke", "POST"):            (401, 200, 404, 404, 404, 404, 404, 404),
    # People and roles: the samordnare's alone (the admin is the system administrator's).
    ("people", "GET"):                        (401, 403, 403, 403, 403, 200, 403, 403),
    ("people", "POST"):                       (401, 403, 403, 403, 403, 201, 403, 403),
    ("person", "GET"):                        (401, 403, 403, 403, 403, 200, 403, 403),
    # The archive holds every record: only the portfolio's samordnare.
    ("archive-export-list", "GET"):           (401, 403, 403, 403, 403, 200, 403, 404),
    ("archive-export-list", "POST"):          (401, 403, 403, 403, 403, 202, 403, 404),
    ("archive-export-detail", "GET"):         (401, 403, 403, 403, 403, 200, 403, 404),
    # The export in the world failed, so there is no file to download.
    ("archive-export-download", "GET"):       (401, 403, 403, 403, 403, 404, 403, 404),
    ("person", "PATCH"):                      (401, 403, 403, 403, 403, 200, 403, 403),
    # A role for one portfolio or program: granted and ended by the samordnare only.
    ("person-roles", "POST"):                 (401, 403, 403, 403, 403, 201, 403, 403),
    ("person-role-end", "POST"):              (401, 403, 403, 403, 403, 200, 403, 403),
    # Attachments: whoever sees the parent lists and downloads them; whoever may change
    # it uploads (a JSON body is not a file upload: 415). Initiative: those who edit it;
    # decision: who records that decision; agreement: the constellation's samordnare.
    ("initiative-attachment-list", "GET"):      (401, 200, 200, 200, 200, 200, 200, 404),
    ("initiative-attachment-list", "POST"):     (401, 403, 415, 403, 415, 415, 403, 404),
    ("initiative-attachment-download", "GET"):  (401, 200, 200, 200, 200, 200, 200, 404),
    ("decision-attachment-list", "GET"):        (401, 200, 200, 200, 200, 200, 200, 404),
    ("decision-attachment-list", "POST"):       (401, 403, 415, 403, 403, 403, 403, 404),
    ("decision-attachment-download", "GET"):    (401, 200, 200, 200, 200, 200, 200, 404),
    ("agreement-attachment-list", "GET"):       (401, 200, 200, 200, 200, 200, 200, 404),
    ("agreement-attachment-list", "POST"):      (401, 403, 403, 403, 403, 415, 403, 404),
    ("agreement-attachment-download", "GET"):   (401, 200, 200, 200, 200, 200, 200, 404),
    # Notifications: everyone their own; someone else's notification does not exist (404).
    ("notifications", "GET"):                 (401, 200, 200, 200, 200, 200, 200, 200),
    ("notification-read", "POST"):            (401, 404, 200, 404, 404, 404, 404, 404),
    ("notifications-read-all", "POST"):       (401, 200, 200, 200, 200, 200, 200, 200),
    ("notification-preferences", "GET"):      (401, 200, 200, 200, 200, 200, 200, 200),
    ("notification-preferences", "PUT"):      (401, 200, 200, 200, 200, 200, 200, 200),
}
# fmt: on

KWARGS = {
    "initiative-detail": lambda t: {"pk": t["initiative"].pk},
    "municipality-detail": lambda t: {"pk": t["municipality"].pk},
    "county-detail": lambda t: {"pk": t["county"].pk},
    "constellation-detail": lambda t: {"pk": t["constellation"].pk},
    "constellation-membership": lambda t: {"pk": t["constellation"].pk},
    "organisation-detail": lambda t: {"pk": t["organisation"].pk},
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
            "settings-bodies",
            "settings-portfolio",
            "settings-history",
        )
    },
    "portfolio-meetings": lambda t: {"portfolio_pk": t["portfolio"].pk},
    "portfolio-meeting-series": lambda t: {"portfolio_pk": t["portfolio"].pk},
    **{
        name: lambda t: {"pk": t["meeting"].pk}
        for name in (
            "meeting",
            "meeting-proposal",
            "meeting-items",
            "meeting-attendance",
            "meeting-minutes-api",
            "meeting-agenda-send",
        )
    },
    "meeting-item": lambda t: {"pk": t["meeting"].pk, "item_pk": t["item"].pk},
    "meeting-item-decision": lambda t: {"pk": t["meeting"].pk, "item_pk": t["item"].pk},
    "body-calendar": lambda t: {"pk": t["meeting"].body_id},
    "settings-body": lambda t: {
        "portfolio_pk": t["portfolio"].pk,
        "pk": t["portfolio"].bodies.order_by("pk").first().pk,
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
    # Bengtsfors was invited to another förstudie and answers; here it takes part.
    "participation-answer": lambda t: {
        "initiative_pk": t["invited"].initiative_id,
        "pk": t["invited"].pk,
    },
    **{
        name: lambda t: {"initiative_pk": t["initiative"].pk, "pk": t["bengtsfors"].pk}
        for name in (
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
    "cost-entry": lambda t: {"pk": t["estimate"].pk},
    "time-entry": lambda t: {"pk": t["initiative"].time_entries.order_by("pk").first().pk},
    "economy-portfolio": lambda t: {"pk": t["portfolio"].pk},
    "economy-program": lambda t: {"pk": t["program"].pk},
    "economy-initiative": lambda t: {"pk": t["initiative"].pk},
    "economy-municipality": lambda t: {"code": "1460"},
    "settlement-portfolio": lambda t: {"pk": t["portfolio"].pk},
    "excel-import-preview": lambda t: {"pk": t["portfolio"].pk, "kind": "costs"},
    "excel-import-confirm": lambda t: {"pk": t["portfolio"].pk, "kind": "costs"},
    "excel-import-job": lambda t: {"pk": t["portfolio"].pk, "job_pk": 1},
    "excel-export-portfolio": lambda t: {"pk": t["portfolio"].pk},
    "delegation-revoke": lambda t: {"pk": _delegation().pk},
    "person": lambda t: {"pk": User.objects.get(username="itchef").pk},
    "person-roles": lambda t: {"pk": User.objects.get(username="itchef").pk},
    "person-role-end": lambda t: {
        "pk": User.objects.get(username="itchef").pk,
        "assignment_pk": User.objects.get(username="itchef").role_assignments.get().pk,
    },
    "report-job-detail": lambda t: {"pk": 1},
    "archive-export-list": lambda t: {"portfolio_pk": t["portfolio"].pk},
    **{
        name: lambda t: {"portfolio_pk": t["portfolio"].pk, "pk": t["archive"].pk}
        for name in ("archive-export-detail", "archive-export-download")
    },
    "report-job-download": lambda t: {"pk": 1},
    "report-job-figures": lambda t: {"pk": 1},
    "notification-read": lambda t: {"pk": _programledare_notification().pk},
    "initiative-attachment-list": lambda t: {"initiative_pk": t["initiative"].pk},
    "initiative-attachment-download": lambda t: {
        "initiative_pk": t["initiative"].pk,
        "pk": t["attachments"]["initiative"].pk,
    },
    "decision-attachment-list": lambda t: {
        "initiative_pk": t["initiative"].pk,
        "decision_pk": t["attachments"]["decision"].decision_id,
    },
    "decision-attachment-download": lambda t: {
        "initiative_pk": t["initiative"].pk,
        "decision_pk": t["attachments"]["decision"].decision_id,
        "pk": t["attachments"]["decision"].pk,
    },
    "agreement-attachment-list": lambda t: {"agreement_pk": t["agreement"].pk},
    "agreement-attachment-download": lambda t: {
        "agreement_pk": t["agreement"].pk,
        "pk": t["attachments"]["agreement"].pk,
    },
}

_DAYS = itertools.count()
MATRIX_PDF = b"%PDF-1.7\n%%EOF\n"

BODIES = {
    ("people", "POST"): lambda t: {
        "username": "matris.person",
        "first_name": "Matris",
        "last_name": "Person",
        "email": "matris.person@example.se",
        "municipality": Municipality.objects.get(code="1460").pk,
        "roles": ["lasare"],
        "reason": "Matrisen",
    },
    ("person", "PATCH"): lambda t: {"title": "Ändrad i matrisen"},
    ("person-roles", "POST"): lambda t: {
        "role": "lasare",
        "portfolio": t["portfolio"].pk,
        "reason": "Matrisen",
    },
    ("person-role-end", "POST"): lambda t: {"reason": "Matrisen"},
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
    ("agreement-list", "POST"): lambda t: {
        "constellation": t["portfolio"].constellation_id,
        "title": "Matrisens avtal",
        "parties": [t["portfolio"].constellation.members.order_by("pk").first().pk],
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "reason": "Matrisen § 1",
    },
    ("agreement-detail", "PATCH"): lambda t: {"yearly_fee_per_party": 1000, "reason": "§ 2"},
    ("constellation-list", "POST"): lambda t: {
        "name": "Matrisens konstellation",
        "short_name": "MTX",
        "reason": "Matrisen § 3",
    },
    ("constellation-detail", "PATCH"): lambda t: {
        "description": "Ändrad i matrisen.",
        "reason": "Matrisen § 4",
    },
    ("constellation-membership", "POST"): lambda t: {
        "action": "join",
        "organisation": t["organisation"].pk,
        "on": dt.date.today().isoformat(),
        "reason": "Matrisen § 5",
    },
    ("organisation-list", "POST"): lambda t: {
        "name": "Matrisens region",
        "kind": "region",
        "organisation_number": "232100-0131",
    },
    ("organisation-detail", "PATCH"): lambda t: {"name": "Matrisens förbund, nytt namn"},
    ("portfolio-list", "POST"): lambda t: {
        "constellation": t["portfolio"].constellation_id,
        "name": "Matrisens portfölj",
        "reference_prefix": "MTX",
    },
    ("settings-bodies", "POST"): lambda t: {
        "name": "Matrisens referensgrupp",
        "kind": "annat",
        "matters": ["avtal"],
        "members": [t["portfolio"].bodies.order_by("pk").first().chair_id],
        "chair": t["portfolio"].bodies.order_by("pk").first().chair_id,
    },
    ("settings-body", "PATCH"): lambda t: {"name": "Portföljstyrgruppen i Dalsland"},
    ("portfolio-meetings", "POST"): lambda t: {
        "body": t["meeting"].body_id,
        "starts_at": "2027-03-01T09:00:00+01:00",
        "place": "Åmål",
    },
    ("portfolio-meeting-series", "POST"): lambda t: {
        "body": t["meeting"].body_id,
        "first_starts_at": "2028-01-10T09:00:00+01:00",
        "every_weeks": 4,
        "until": "2028-03-31",
        "place": "Åmål",
    },
    ("meeting", "PATCH"): lambda t: {"place": "Matrisens plats"},
    ("meeting-items", "POST"): lambda t: {"title": "Matrisens ärende"},
    ("meeting-item-decision", "POST"): lambda t: {"outcome": "noterat"},
    ("meeting-attendance", "PUT"): lambda t: {"present": [t["meeting"].body.chair_id]},
    ("settings-program-budget", "PUT"): lambda t: {"amount": 1_000_000},
    ("settings-portfolio", "PATCH"): lambda t: {"sender": "Matrisens avsändare"},
    ("allocation-preview", "POST"): lambda t: {
        "municipalities": ["1460", "1438", "1439", "1461", "1487", "1492"],
        "amount": 1_000_000,
        "population_weight": 80,
        "equal_weight": 20,
        "population_year": 2025,
    },
    ("scenarios", "POST"): lambda t: {
        "amount": 600_000,
        "sets": {"Dalsland": t["constellation"].short_name, "Två": ["1460", "1492"]},
    },
    ("decision-list", "POST"): lambda t: {
        "kind": "G1",
        "outcome": "aterremitterad",
        "decided_on": dt.date.today().isoformat(),
        "meeting_reference": "KD § 12",
        "motivation": "Komplettera kostnadsberäkningen.",
    },
    ("confirmation-list", "POST"): lambda t: {
        "criterion": t["manual_criterion"].pk,
        "note": "Förhandsgranskad i matrisen.",
    },
    ("participation-answer", "POST"): lambda t: {
        "version": _fresh(t["invited"]).version,
        "answer": "deltar",
        "joined_on": dt.date.today().isoformat(),
    },
    ("participation-leave", "POST"): lambda t: {
        "version": _fresh(t["bengtsfors"]).version,
        "left_on": dt.date.today().isoformat(),
        "reason": "Kommunen prioriterar om enligt samverkansprinciperna.",
    },
    ("participation-implemented", "POST"): lambda t: {
        "version": _fresh(t["bengtsfors"]).version,
        "implemented_on": dt.date.today().isoformat(),
    },
    ("participation-opt-out", "POST"): lambda t: {"version": _fresh(t["bengtsfors"]).version},
    ("participation-list", "POST"): lambda t: {
        "municipality": Municipality.objects.get(code="1438").pk
    },
    ("status-list", "POST"): lambda t: {
        "reported_on": dt.date.today().isoformat(),
        "health_time": "gron",
        "health_cost": "gul",
        "health_quality": "gron",
        "progress": 40,
        "comment": "Förstudien går enligt plan.",
    },
    ("initiative-costs", "POST"): lambda t: {
        "kind": "utveckling",
        "nature": "estimat",
        "period": dt.date.today().isoformat(),
        "amount": 25_000,
        "description": "Workshop",
    },
    ("cost-entry", "PATCH"): lambda t: {
        "description": "Rättad i matrisen.",
        "version": CostEntry.objects.get(pk=t["estimate"].pk).version,
    },
    ("time-entry", "PATCH"): lambda t: {
        "role": "Rättad i matrisen",
        "version": t["initiative"].time_entries.order_by("pk").first().version,
    },
    ("initiative-time-entries", "POST"): lambda t: {
        "municipality": "1460",
        "period": dt.date.today().isoformat(),
        "hours": "3.50",
        "role": "Verksamhetsutvecklare",
    },
    ("settlement-portfolio", "POST"): lambda t: {
        "period": _last_half_year(),
        "decided_on": dt.date.today().isoformat(),
        "meeting_reference": "§ 9",
    },
    ("effect-goal-detail", "PATCH"): lambda t: {"unit": "st"},
    ("effect-goal-list", "POST"): lambda t: {
        "name": "Kortare handläggning",
        "indicator": "Handläggningstid",
        "unit": "dagar",
    },
    # One measurement per date, so each role measures on its own day.
    ("measurement-list", "POST"): lambda t: {
        "measured_on": (dt.date.today() - dt.timedelta(days=next(_DAYS))).isoformat(),
        "value": "12.50",
    },
    ("priority-scores", "POST"): lambda t: {
        "scores": {str(t["portfolio"].priority_criteria.order_by("pk").first().pk): 4}
    },
    ("initiative-pause", "POST"): lambda t: {"paused": True, "reason": "Väntar på budget."},
    ("initiative-3n", "POST"): lambda t: {
        "version": Initiative.objects.get(pk=t["initiative"].pk).version,
        "is_new": True,
        "is_useful": True,
        "is_used": False,
    },
    ("report-job-list", "POST"): lambda t: {"kind": "board_report", "portfolio": t["portfolio"].pk},
    ("notification-preferences", "PUT"): lambda t: {"beslut": "sammanfattning"},
    ("delegation-list", "POST"): lambda t: {
        "delegate": _bengtsfors_colleague().pk,
        "valid_until": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
    },
}


def _stored_attachment(**parent) -> Attachment:
    """An attachment on `parent`, stored as the service stores one (the matrix asks who
    may read it, not who may file it)."""
    name = default_storage.save("attachments/matris.pdf", ContentFile(MATRIX_PDF))
    return Attachment.objects.create(
        **parent,
        file=name,
        original_name="Protokoll.pdf",
        content_type="application/pdf",
        size=len(MATRIX_PDF),
        sha256=hashlib.sha256(MATRIX_PDF).hexdigest(),
        uploaded_by=User.objects.get(username="samordnare"),
    )


def _programledare_notification():
    from notifications.models import Kind, Notification
    from notifications.services import notify

    notify(
        kind=Kind.DECISION,
        recipients=[User.objects.get(username="programledare")],
        title="Matrisen",
        body="Matrisen",
        link="/",
        key="matrix",
    )
    return Notification.objects.get(recipient__username="programledare", dedupe_key="matrix")


def _bengtsfors_colleague() -> User:
    return User.objects.get_or_create(
        username="delegat.bengtsfors",
        defaults={"municipality": Municipality.objects.get(code="1460")},
    )[0]


def _delegation():
    from portfolio.services.delegation import delegation_create

    return delegation_create(
        actor=User.objects.get(username="kd.bengtsfors"), delegate=_bengtsfors_colleague()
    )


def _fresh(participation: Participation) -> Participation:
    return Participation.objects.get(pk=participation.pk)


def _last_half_year() -> str:
    """The half-year before the current one: over, so it can be settled."""
    current = half_year_of(dt.date.today())
    return half_year_of(current.start - dt.timedelta(days=1)).label


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


def _meeting_targets(portfolio) -> dict:
    """A past meeting of Dalsland's board with one undecided matter on its agenda."""
    from portfolio.services import meetings

    board = portfolio.bodies.get(kind="portfoljstyrgrupp", program=None)
    held = meetings.meeting_plan(
        actor=User.objects.get(username="samordnare"),
        body=board,
        starts_at=timezone.now() - dt.timedelta(days=10),
        place="Åmål",
    )
    item = meetings.agenda_item_add(
        actor=held.created_by, meeting=held, title="Matrisens ärende", memo_reference="Dnr 1"
    )
    return {"meeting": held, "item": item}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Demo data and one token per role, built once for the module and rolled back after."""
    from portfolio.demo.loader import load_demo

    media = tempfile.TemporaryDirectory()
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media.name),
        media,
        transaction.atomic(),
    ):
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
        other = (
            Initiative.objects.filter(portfolio=portfolio, stage=Stage.PRESTUDY)
            .exclude(participations__municipality__code="1460")
            .order_by("id")
            .first()
        )
        bengtsfors = Municipality.objects.get(code="1460")
        ProgramBudget.objects.update_or_create(
            program=initiative.program, year=2027, defaults={"amount": 900_000}
        )
        targets = {
            "portfolio": portfolio,
            "initiative": initiative,
            # An estimate entered after the initiative's decisions: no decision rests on
            # it, so the programledare may remove it.
            "estimate": CostEntry.objects.create(
                initiative=initiative,
                kind="utveckling",
                nature="estimat",
                period=dt.date.today(),
                amount=40_000,
                created_by=User.objects.get(username="programledare"),
            ),
            "bengtsfors": initiative.participations.get(municipality=bengtsfors),
            "invited": participation_invite(
                actor=User.objects.get(username="samordnare"),
                initiative=other,
                municipality=bengtsfors,
            ),
            "manual_criterion": portfolio.gate_criteria.filter(gate="G1", kind="manuell")
            .order_by("pk")
            .first(),
            "program": initiative.program,
            "archive": ArchiveExport.objects.create(
                portfolio=portfolio,
                requested_by=User.objects.get(username="samordnare"),
                status=ArchiveExportStatus.FAILED,
            ),
            "constellation": constellation,
            "agreement": agreement,
            "organisation": organisation_register(
                actor=None,
                name="Matrisens kommunalförbund",
                kind="kommunalforbund",
                organisation_number="222000-1727",
            ),
            "municipality": Municipality.objects.get(code="1460"),
            "county": County.objects.get(code="14"),
            "attachments": {
                "initiative": _stored_attachment(initiative=initiative),
                "decision": _stored_attachment(
                    decision=initiative.decisions.order_by("pk").first()
                ),
                "agreement": _stored_attachment(agreement=agreement),
            },
            **_meeting_targets(portfolio),
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


def _patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns)
        else:
            yield pattern


# Refusals that depend on the body by nature: the programledare records G0 and G2
# decisions, so only a body naming G1 tells that this one is not theirs; a participant's
# kommundirektör enters their municipality's actual costs, so only a body naming an
# estimate tells that this one is not theirs.
BODY_DEPENDENT = {
    ("decision-list", "POST", "program_manager"),
    ("initiative-costs", "POST", "director"),
    # The programledare chairs a program's steering group, so may plan its meetings: only
    # a body naming the board tells that this one is not theirs.
    ("portfolio-meetings", "POST", "program_manager"),
    ("portfolio-meeting-series", "POST", "program_manager"),
}
REFUSED_WRITES = sorted(
    (route, method, role)
    for (route, method), statuses in MATRIX.items()
    if method in ("POST", "PUT", "PATCH", "DELETE")
    for role, expected in zip(ROLES, statuses, strict=True)
    if expected == 403 and (route, method, role) not in BODY_DEPENDENT
)


@pytest.mark.parametrize("route,method,role", REFUSED_WRITES, ids=lambda v: str(v))
def test_a_refusal_does_not_depend_on_the_body(client, world, db, route, method, role):
    """403 comes before validation: no body, an empty one or nonsense changes nothing.

    Covers every write in the matrix: the action endpoints (`GuardedAPIView`) and the
    initiative, Excel and delegation endpoints, which ask the same policies first.
    """
    targets, tokens = world
    url = reverse(route, kwargs=KWARGS[route](targets) if route in KWARGS else {})
    for data in (None, "{}", '{"version": "x", "kind": 7', "[]"):
        response = client.generic(
            method,
            url,
            data=data,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens[role]}",
        )
        assert response.status_code == 403, (data, response.content[:200])


def test_every_guarded_write_names_its_rule():
    """An action endpoint that writes declares which policy it asks before the body."""
    from portfolio.api.permissions import GuardedAPIView

    missing = []
    for pattern in _patterns(get_resolver().url_patterns):
        cls = getattr(pattern.callback, "cls", None)
        if cls is None or not issubclass(cls, GuardedAPIView):
            continue
        for method in ("post", "put", "patch", "delete"):
            if hasattr(cls, method) and method.upper() not in cls.rules:
                missing.append((pattern.name, method.upper()))
    assert not missing, f"Writes without a rule in `rules`: {missing}"
