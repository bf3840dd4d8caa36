"""History as people read it: one sentence per change, in the active language, with
field labels, choice labels, money and dates instead of the stored identifiers. The
pages, the API and any document use `history_line` (an initiative's HistoryEntry) and
`settings_line` (the portfolio office's SettingsChange) and `meeting_line` (a meeting's
changes, kept as SettingsChange rows); nothing else turns a history row into text."""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from ..charts import format_number
from ..models import (
    AllocationKey,
    Attachment,
    Body,
    CostEntry,
    CriterionConfirmation,
    EffectGoal,
    GateCriterion,
    GateDecision,
    Initiative,
    Measurement,
    Meeting,
    Participation,
    Portfolio,
    PriorityCriterion,
    PriorityScore,
    Program,
    ProgramBudget,
    SettingsChange,
    StatusUpdate,
    TimeEntry,
)

# Swedish participles agree with their noun: en-words end in -d/-n, ett-words in -t.
# Each verb is written out for makemessages; the context tells translators which form.
EN, ETT = 0, 1


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]  # whose fields the changes name
    gender: int
    noun_model: type[models.Model] | None = None  # whose name the sentence uses

    @property
    def noun(self) -> str:
        return capfirst((self.noun_model or self.model)._meta.verbose_name)


KINDS = {
    "initiative": Kind(Initiative, ETT),
    "decision": Kind(GateDecision, ETT),
    "participation": Kind(Participation, ETT),
    "status": Kind(StatusUpdate, EN),
    # What is confirmed is the gate criterion; the row is its confirmation.
    "confirmation": Kind(CriterionConfirmation, ETT, GateCriterion),
    "effect_goal": Kind(EffectGoal, ETT),
    "measurement": Kind(Measurement, ETT),
    "priority": Kind(PriorityScore, EN),
    "cost_entry": Kind(CostEntry, EN),
    "time_entry": Kind(TimeEntry, EN),
    "attachment": Kind(Attachment, EN),
}
SETTINGS_KINDS = {
    "gate_criterion": Kind(GateCriterion, ETT),
    "allocation_key": Kind(AllocationKey, EN),
    "priority_criterion": Kind(PriorityCriterion, ETT),
    "program": Kind(Program, ETT),
    "program_budget": Kind(ProgramBudget, EN),
    "portfolio": Kind(Portfolio, EN),
    "body": Kind(Body, ETT),
}


VERBS = {
    "created": (
        pgettext_lazy("en-ord", "skapad"),
        pgettext_lazy("ett-ord", "skapat"),
    ),
    "updated": (
        pgettext_lazy("en-ord", "ändrad"),
        pgettext_lazy("ett-ord", "ändrat"),
    ),
    "corrected": (
        pgettext_lazy("en-ord", "rättad"),
        pgettext_lazy("ett-ord", "rättat"),
    ),
    "correction": (
        pgettext_lazy("en-ord", "rättad"),
        pgettext_lazy("ett-ord", "rättat"),
    ),
    "deleted": (
        pgettext_lazy("en-ord", "borttagen"),
        pgettext_lazy("ett-ord", "borttaget"),
    ),
    "recorded": (
        pgettext_lazy("en-ord", "registrerad"),
        pgettext_lazy("ett-ord", "registrerat"),
    ),
    "reported": (
        pgettext_lazy("en-ord", "registrerad"),
        pgettext_lazy("ett-ord", "registrerat"),
    ),
    "paused": (
        pgettext_lazy("en-ord", "pausad"),
        pgettext_lazy("ett-ord", "pausat"),
    ),
    "resumed": (
        pgettext_lazy("en-ord", "återupptagen"),
        pgettext_lazy("ett-ord", "återupptaget"),
    ),
    "confirmed": (
        pgettext_lazy("en-ord", "bekräftad"),
        pgettext_lazy("ett-ord", "bekräftat"),
    ),
    "unconfirmed": (
        pgettext_lazy("en-ord", "inte längre bekräftad"),
        pgettext_lazy("ett-ord", "inte längre bekräftat"),
    ),
    "scored": (
        pgettext_lazy("en-ord", "satt"),
        pgettext_lazy("ett-ord", "satt"),
    ),
    "3n": (
        pgettext_lazy("en-ord", "bedömd enligt 3N"),
        pgettext_lazy("ett-ord", "bedömt enligt 3N"),
    ),
    "deactivated": (
        pgettext_lazy("en-ord", "inaktiverad"),
        pgettext_lazy("ett-ord", "inaktiverat"),
    ),
    "reactivated": (
        pgettext_lazy("en-ord", "aktiverad"),
        pgettext_lazy("ett-ord", "aktiverat"),
    ),
    "uploaded": (
        pgettext_lazy("en-ord", "uppladdad"),
        pgettext_lazy("ett-ord", "uppladdat"),
    ),
    "reordered": (
        pgettext_lazy("en-ord", "omordnad"),
        pgettext_lazy("ett-ord", "omordnat"),
    ),
}

# A participation's changes are one municipality's answers: the municipality is the subject.
PARTICIPATION_EVENTS = {
    "invited": gettext_lazy("%(municipality)s är inbjuden att delta"),
    "interested": gettext_lazy("%(municipality)s är intresserad"),
    "intresserad": gettext_lazy("%(municipality)s är intresserad"),
    "deltar": gettext_lazy("%(municipality)s deltar"),
    "avstar": gettext_lazy("%(municipality)s avstår"),
    "left": gettext_lazy("%(municipality)s har lämnat"),
    "implemented": gettext_lazy("%(municipality)s har implementerat lösningen"),
    "implemented_late": gettext_lazy("%(municipality)s har implementerat lösningen i efterhand"),
    "opted_out": gettext_lazy("%(municipality)s avstår implementering"),
}

# Keys some services write that are not fields of the record itself.
BORROWED_FIELDS = {
    "stage": Initiative._meta.get_field("stage"),
    "priority_score": Initiative._meta.get_field("priority_score"),
}
EXTRA_LABELS = {
    "reason": gettext_lazy("skäl"),
    "recomputed_initiatives": gettext_lazy("omräknade initiativ"),
}
MONEY_FIELDS = {
    (CostEntry, "amount"),
    (AllocationKey, "hourly_rate"),
    (AllocationKey, "yearly_fee_per_party"),
    (ProgramBudget, "amount"),
}
# A status report's health is stored as "time/cost/quality".
HEALTH_PARTS = ("health_time", "health_cost", "health_quality")
_IDENTIFIER = re.compile(r"[a-z0-9]+(_[a-z0-9]+)+")


@dataclass(frozen=True)
class Change:
    label: str
    text: str


@dataclass(frozen=True)
class HistoryLine:
    created_at: dt.datetime
    actor: object
    sentence: str
    changes: tuple[Change, ...]

    @property
    def text(self) -> str:
        """The whole line as one text, for the API and documents."""
        details = " ".join(f"{c.label}: {c.text}." for c in self.changes)
        return f"{self.sentence}. {details}".strip()


def _field(model, key):
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return BORROWED_FIELDS.get(key)
    return field if field.concrete else None


def _label(field, key) -> str:
    if field is not None:
        return capfirst(str(field.verbose_name))
    if key in EXTRA_LABELS:
        return capfirst(str(EXTRA_LABELS[key]))
    if _IDENTIFIER.fullmatch(key):
        return _("Uppgift")
    return key  # a name people gave, such as a priority criterion's


def _decimal(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _value(field, value, *, money=False) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list | tuple):
        return ", ".join(_value(field, v, money=money) for v in value)
    if isinstance(value, bool) or isinstance(field, models.BooleanField):
        return _("ja") if value else _("nej")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if money and _decimal(value) is not None:
        return format_number(int(_decimal(value)), "kr")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M")
    number = _decimal(value) if isinstance(field, models.DecimalField) else None
    if number is not None:
        whole = number == number.to_integral_value()
        return format_number(int(number) if whole else number.normalize())
    if isinstance(value, int):
        return format_number(value)
    return str(value)


def _pair(field, value, *, money, action) -> str:
    if isinstance(value, list | tuple) and len(value) == 2:
        old, new = (_value(field, v, money=money) for v in value)
        # A new record has no "before", a removed one no "after".
        if action == "created":
            return new
        if action == "deleted":
            return old
        return f"{old} → {new}"
    return _value(field, value, money=money)


def _changes(kind: Kind | None, entry) -> list[Change]:
    """Each changed field by its label, 'old → new' ('new' for a new record)."""
    model = kind.model if kind else Initiative
    rows = []
    for key, value in (entry.changes or {}).items():
        if entry.entity == "participation" and key == "municipality":
            continue  # the sentence names it
        if entry.entity == "status" and key == "health" and isinstance(value, str):
            for part, raw in zip(HEALTH_PARTS, value.split("/"), strict=False):
                field = StatusUpdate._meta.get_field(part)
                rows.append(Change(_label(field, part), _value(field, raw)))
            continue
        field = _field(model, key)
        money = (model, key) in MONEY_FIELDS
        label = _label(field, key)
        if money:
            label = label.removesuffix(" (kr)")  # the amount itself says "kr"
        rows.append(Change(label, _pair(field, value, money=money, action=entry.action)))
    return rows


def _sentence(kind: Kind | None, entry) -> str:
    if entry.entity == "participation" and entry.action in PARTICIPATION_EVENTS:
        municipality = (entry.changes or {}).get("municipality") or _("Kommunen")
        return PARTICIPATION_EVENTS[entry.action] % {"municipality": municipality}
    noun = kind.noun if kind else _("Ändring")
    gender = kind.gender if kind else EN
    verbs = VERBS.get(entry.action) or VERBS["recorded"]
    return _("%(kind)s %(verb)s") % {"kind": noun, "verb": verbs[gender]}


def history_line(entry, kinds=KINDS) -> HistoryLine:
    kind = kinds.get(entry.entity)
    return HistoryLine(
        created_at=entry.created_at,
        actor=entry.actor,
        sentence=_sentence(kind, entry),
        changes=tuple(_changes(kind, entry)),
    )


def history_lines(entries) -> list[HistoryLine]:
    return [history_line(entry) for entry in entries]


def settings_line(change) -> HistoryLine:
    return history_line(change, SETTINGS_KINDS)


# A meeting's changes are SettingsChange rows of this entity, the meeting's id theirs.
MEETING_ENTITY = "meeting"
# A meeting's agenda changes name the item; the changes of the meeting itself are
# listed by field (Meeting's labels).
MEETING_EVENTS = {
    "item_added": gettext_lazy("Ärendet ”%(title)s” lades till på föredragningslistan"),
    "item_removed": gettext_lazy("Ärendet ”%(title)s” togs bort från föredragningslistan"),
    "item_moved": gettext_lazy(
        "Ärendet ”%(title)s” flyttades från plats %(old)s till plats %(new)s på föredragningslistan"
    ),
    "updated": gettext_lazy("Mötet ändrades"),
}


@dataclass(frozen=True)
class MeetingLine(HistoryLine):
    after_notice: bool = False


def meeting_line(change) -> MeetingLine:
    values = dict(change.changes or {})
    after_notice = bool(values.pop("after_notice", False))
    old, new = (values.pop("place", None) or [None, None])[:2]
    if change.action == "updated":
        # "place" of an item move is its position; of the meeting, where it is held.
        if old is not None or new is not None:
            values["place"] = [old, new]
    sentence = MEETING_EVENTS.get(change.action, MEETING_EVENTS["updated"]) % {
        "title": values.pop("title", "") if change.action != "updated" else "",
        "old": old,
        "new": new,
    }
    changes = []
    if change.action == "updated":
        for key, pair in values.items():
            field = _field(Meeting, key)
            changes.append(Change(_label(field, key), _pair(field, pair, money=False, action="")))
    if after_notice:
        sentence = _("%(sentence)s efter att kallelsen skickats") % {"sentence": sentence}
    return MeetingLine(
        created_at=change.created_at,
        actor=change.actor,
        sentence=sentence,
        changes=tuple(changes),
        after_notice=after_notice,
    )


def meeting_lines(meeting, limit: int = 100) -> list[MeetingLine]:
    """The meeting's changes, the latest first."""
    rows = (
        SettingsChange.objects.filter(
            portfolio_id=meeting.body.portfolio_id, entity=MEETING_ENTITY, entity_id=meeting.pk
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    return [meeting_line(row) for row in rows]
