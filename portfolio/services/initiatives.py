"""Submitting and editing initiatives.

The stage is not edited here: it moves only by gate decisions (`services.workflow`).
Edits carry the version the editor saw; a conditional UPDATE refuses a stale one so
the second of two simultaneous saves never overwrites the first.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policies
from ..choices import ParticipationStatus
from ..models import Initiative, Participation, Portfolio
from . import notices
from .errors import DomainError, NotAllowedError, StaleVersionError
from .history import diff, history_record, snapshot

# The fields the idea form asks for, in the order the domain page names them.
DESCRIPTION_FIELDS = (
    "title",
    "need",
    "expected_benefit",
    "area",
    "target_group",
    "collaboration_level",
)

# What a person may write through initiative_create / initiative_update. The stage,
# version, reference and derived fields (priority score, 3N) have their own services.
# Forms and API serializers derive their field lists from this one.
EDITABLE_FIELDS = (
    *DESCRIPTION_FIELDS,
    "program",
    "proposing_municipality",
    "owner",
    "planned_start",
    "planned_end",
    "registration_number",
    "prestudy_conclusion",
    "security_classification",
    "child_impact_analysis",
    "implementation_plan",
    "operation_owner",
    "benefit_followup_plan",
)

_REFERENCE_NUMBER = re.compile(r"-(\d+)$")


def versioned_update(model, *, pk: int, version: int, values: dict) -> int:
    """UPDATE ... WHERE version = version; raises StaleVersionError when someone saved first.

    Returns the new version.
    """
    rows = model.objects.filter(pk=pk, version=version).update(**values, version=F("version") + 1)
    if rows != 1:
        raise StaleVersionError()
    return version + 1


def _refuse_unknown_fields(fields: dict) -> None:
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise DomainError(
            _("Fälten kan inte ändras här: %(fields)s.") % {"fields": ", ".join(unknown)},
            rule="field_not_editable",
            fields={name: [_("Fältet kan inte ändras här.")] for name in unknown},
        )


def _check_relations(initiative: Initiative) -> None:
    """Program and proposing municipality must belong to the initiative's portfolio."""
    errors = {}
    portfolio = initiative.portfolio
    if initiative.program_id is not None and initiative.program.portfolio_id != portfolio.pk:
        errors["program"] = [_("Programmet hör inte till portföljen.")]
    if (
        initiative.proposing_municipality_id is not None
        and not portfolio.constellation.members.filter(
            pk=initiative.proposing_municipality_id
        ).exists()
    ):
        errors["proposing_municipality"] = [
            _("Kommunen ingår inte i portföljens samverkanskonstellation.")
        ]
    if errors:
        raise ValidationError(errors)


def _next_reference(portfolio: Portfolio) -> str:
    numbers = [
        int(match.group(1))
        for ref in Initiative.objects.filter(portfolio=portfolio).values_list(
            "reference", flat=True
        )
        if (match := _REFERENCE_NUMBER.search(ref))
    ]
    return f"{portfolio.reference_prefix}-{max(numbers, default=0) + 1}"


def initiative_create(
    *, actor, portfolio: Portfolio, title: str, notify: bool = True, **fields
) -> Initiative:
    if not policies.can_submit_idea(actor, portfolio):
        raise NotAllowedError(_("Du kan inte lämna idéer i den här portföljen."))
    _refuse_unknown_fields(fields)
    fields.setdefault("proposing_municipality", actor.municipality)
    fields.setdefault("owner", actor)
    with transaction.atomic():
        # The portfolio row lock serialises numbering; the unique constraint backs it up.
        locked = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        initiative = Initiative(
            portfolio=locked, title=title, reference=_next_reference(locked), **fields
        )
        initiative.full_clean()
        _check_relations(initiative)
        try:
            with transaction.atomic():
                initiative.save()
        except IntegrityError as exc:
            raise StaleVersionError(
                _("Ett annat initiativ fick samma nummer samtidigt. Försök igen.")
            ) from exc
        history_record(
            initiative=initiative,
            entity="initiative",
            entity_id=initiative.pk,
            action="created",
            actor=actor,
            changes={name: getattr(initiative, name) for name in ("reference", "title")},
        )
        # The proposing municipality is interested by definition; its director decides
        # whether it actually takes part.
        participation = Participation.objects.create(
            initiative=initiative,
            municipality=initiative.proposing_municipality,
            status=ParticipationStatus.INTERESTED,
        )
        history_record(
            initiative=initiative,
            entity="participation",
            entity_id=participation.pk,
            action="interested",
            actor=actor,
            changes={"municipality": participation.municipality, "status": participation.status},
        )
        if notify:  # an idea moved in from the past is not news to its program
            notices.idea_submitted(actor=actor, initiative=initiative)
    return initiative


def initiative_update(*, actor, initiative: Initiative, version: int, **fields) -> Initiative:
    if not policies.can_edit_initiative(actor, initiative):
        raise NotAllowedError(_("Du kan inte ändra det här initiativet."))
    _refuse_unknown_fields(fields)
    before = snapshot(initiative, EDITABLE_FIELDS)
    try:
        for name, value in fields.items():
            setattr(initiative, name, value)
        initiative.full_clean()
        _check_relations(initiative)
        changes = diff(initiative, fields, before)
        with transaction.atomic():
            values = {name: getattr(initiative, name) for name in fields}
            values["updated_at"] = timezone.now()
            new_version = versioned_update(
                Initiative, pk=initiative.pk, version=version, values=values
            )
            if changes:
                history_record(
                    initiative=initiative,
                    entity="initiative",
                    entity_id=initiative.pk,
                    action="updated",
                    actor=actor,
                    changes=changes,
                )
    except Exception:
        # The caller's object keeps what is stored, not the refused input.
        for name, value in before.items():
            setattr(initiative, name, value)
        raise
    initiative.version = new_version
    initiative.updated_at = values["updated_at"]
    return initiative
