"""The portfolio's decision-making bodies, set up by the portfolio office.

A body decides the matters it is given (gates, cancellation, settlement, agreements);
its chair or secretary records its decisions (portfolio.policies.records_for). Every
change keeps a history row, with people and matters by name.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..choices import DecisionBody, Matter
from ..models import Body, Portfolio, Program
from .settings_common import require_settings_manager, settings_record
from .versions import check_version

FIELDS = ("name", "kind", "program", "matters", "chair", "secretary", "members", "substitutes")
PEOPLE = ("members", "substitutes")


def body_add(*, actor, portfolio: Portfolio, **values) -> Body:
    require_settings_manager(actor, portfolio)
    clean = _validated(portfolio, values, body=None)
    with transaction.atomic():
        body = Body(portfolio=portfolio, **_own(clean))
        _save(body)
        body.members.set(clean["members"])
        body.substitutes.set(clean["substitutes"])
        settings_record(
            portfolio=portfolio,
            actor=actor,
            entity="body",
            entity_id=body.pk,
            action="created",
            label=body.name,
            changes={k: [None, v] for k, v in _described(clean).items()},
        )
    return body


def body_update(*, actor, body: Body, version: int | None = None, **values) -> Body:
    portfolio = body.portfolio
    require_settings_manager(actor, portfolio)
    with transaction.atomic():
        current = Body.objects.select_for_update().get(pk=body.pk)
        check_version(current, version)
        before = _described(_values_of(current))
        clean = _validated(portfolio, {**_values_of(current), **values}, body=current)
        for name, value in _own(clean).items():
            setattr(current, name, value)
        current.version += 1
        _save(current)
        current.members.set(clean["members"])
        current.substitutes.set(clean["substitutes"])
        after = _described(clean)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        settings_record(
            portfolio=portfolio,
            actor=actor,
            entity="body",
            entity_id=current.pk,
            action="updated",
            label=current.name,
            changes=changes,
        )
    return current


def _save(body: Body) -> None:
    try:
        with transaction.atomic():
            body.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"name": [_("Portföljen har redan ett organ med det namnet.")]}
        ) from exc


def _own(clean: dict) -> dict:
    return {k: v for k, v in clean.items() if k not in PEOPLE}


def _values_of(body: Body) -> dict:
    return {
        "name": body.name,
        "kind": body.kind,
        "program": body.program,
        "matters": list(body.matters),
        "chair": body.chair,
        "secretary": body.secretary,
        "members": list(body.members.all()),
        "substitutes": list(body.substitutes.all()),
        "is_active": body.is_active,
    }


def _described(clean: dict) -> dict:
    """The history's words: people and matters by name, never by id or code."""
    return {
        "name": clean["name"],
        "kind": str(DecisionBody(clean["kind"]).label),
        "program": clean["program"].name if clean["program"] else "",
        "matters": ", ".join(str(Matter(m).label) for m in clean["matters"]),
        "chair": clean["chair"].get_full_name(),
        "secretary": clean["secretary"].get_full_name() if clean["secretary"] else "",
        "members": ", ".join(sorted(m.get_full_name() for m in clean["members"])),
        "substitutes": ", ".join(sorted(m.get_full_name() for m in clean["substitutes"])),
        "is_active": clean.get("is_active", True),
    }


def _validated(portfolio: Portfolio, values: dict, *, body: Body | None) -> dict:
    errors: dict[str, list] = {}
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Ge organet ett namn, till exempel Portföljstyrgruppen.")]
    elif len(name) > 120:
        errors["name"] = [_("Namnet får vara högst 120 tecken.")]
    kind = values.get("kind")
    if kind not in DecisionBody.values:
        errors["kind"] = [_("Välj vilket slags organ det är.")]
    program = values.get("program")
    if program is not None and (
        not isinstance(program, Program) or program.portfolio_id != portfolio.pk
    ):
        errors["program"] = [_("Programmet hör inte till portföljen.")]
        program = None
    matters = list(dict.fromkeys(values.get("matters") or []))
    if not matters:
        errors["matters"] = [_("Välj minst en fråga som organet beslutar om.")]
    elif any(m not in Matter.values for m in matters):
        errors["matters"] = [_("Okänd beslutsfråga.")]
    else:
        taken = _taken(portfolio, program, matters, body)
        if taken:
            errors["matters"] = [taken]
    in_constellation = _in_constellation(portfolio)
    members = list(values.get("members") or [])
    outside = [m for m in members if m.municipality_id not in in_constellation]
    if not members:
        errors["members"] = [_("Ett organ behöver minst en ledamot.")]
    elif outside:
        errors["members"] = [
            _("%(names)s hör inte till någon kommun i portföljens konstellation.")
            % {"names": ", ".join(m.get_full_name() for m in outside)}
        ]
    substitutes = list(dict.fromkeys(values.get("substitutes") or []))
    outside = [m for m in substitutes if m.municipality_id not in in_constellation]
    both = [m for m in substitutes if m in members]
    if outside:
        errors["substitutes"] = [
            _("%(names)s hör inte till någon kommun i portföljens konstellation.")
            % {"names": ", ".join(m.get_full_name() for m in outside)}
        ]
    elif both:
        errors["substitutes"] = [
            _("%(names)s är redan ledamot; en person är ledamot eller ersättare, inte båda.")
            % {"names": ", ".join(m.get_full_name() for m in both)}
        ]
    chair = values.get("chair")
    if chair is None:
        errors["chair"] = [_("Ange organets ordförande.")]
    elif chair not in members:
        errors["chair"] = [_("Ordföranden måste vara ledamot i organet.")]
    secretary = values.get("secretary")
    if secretary is not None and secretary.municipality_id not in in_constellation:
        errors["secretary"] = [
            _("Sekreteraren måste höra till en kommun i portföljens konstellation.")
        ]
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "kind": kind,
        "program": program,
        "matters": matters,
        "chair": chair,
        "secretary": secretary,
        "members": members,
        "substitutes": substitutes,
        "is_active": bool(values.get("is_active", True)),
    }


def _taken(portfolio, program, matters, body) -> str:
    """A matter is decided by one body in each scope (the portfolio, or one program)."""
    others = Body.objects.filter(portfolio=portfolio, program=program, is_active=True)
    if body is not None:
        others = others.exclude(pk=body.pk)
    for other in others:
        both = [m for m in matters if m in other.matters]
        if both:
            return _("%(matters)s beslutas redan av %(body)s.") % {
                "matters": ", ".join(str(Matter(m).label) for m in both),
                "body": other.name,
            }
    return ""


def _in_constellation(portfolio: Portfolio) -> set[int]:
    return set(portfolio.constellation.members.values_list("id", flat=True))
