"""The history sheets of a portfolio workbook: decisions, participation, status reports.

Decisions are public records, so a decision already recorded is never changed: the
workbook's decisions of an initiative, in date order, must begin with the recorded
ones; those that follow are new and must each be taken at the gate the stage before
them leads to (`workflow.next_stage`). Participation is matched by initiative and
municipality; a status report counts as already imported when an identical one exists.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..choices import DecisionBody, DecisionKind, DecisionOutcome, ParticipationStatus
from ..choices import Stage as StageChoice
from ..models import Body, GateDecision, Participation
from ..services.errors import DomainError
from ..services.workflow import decision_body, next_stage
from . import cells
from .book_columns import DECISIONS, PARTICIPATION, SHEETS
from .book_preview import Book, new_row, read_book_sheet, yes_no
from .columns import REFERENCE
from .lookups import MunicipalityLookup, choice_display, choice_lookup, parse_choice
from .preview import CREATE, UNCHANGED, UPDATE, Preview

SPECS = {kind: (title, specs) for kind, title, specs in SHEETS}


def _labels(choices) -> str:
    return ", ".join(str(label) for value, label in choices if value != "")


def _choice(raw, choices, missing):
    value = parse_choice(raw, choice_lookup(choices), _labels(choices))
    if value is None and missing:
        raise cells.CellError(missing)
    return value


def _text(raw, limit: int | None = None) -> str:
    value = cells.text(raw)
    if limit and len(value) > limit:
        raise cells.CellError(
            _("Texten är för lång: högst %(limit)s tecken, här %(length)s.")
            % {"limit": limit, "length": len(value)}
        )
    return value


def _required_date(raw, book: Book):
    value = cells.date(raw)
    if value is None:
        raise cells.CellError(_("Datum saknas."))
    if value > book.today:
        raise cells.CellError(_("Datumet kan inte ligga i framtiden."))
    return value


def _rows(content, titles, book: Book, kind: str, parse):
    """Read the sheet of `kind` and parse each row with `parse(field, raw)`."""
    title, specs = SPECS[kind]
    preview = Preview(kind=kind)
    sheet = read_book_sheet(content, titles, title, specs, preview)
    if sheet is None:
        if not preview.file_errors:
            preview.warnings.append(
                _("Arbetsboken har inget blad ”%(name)s”; ingenting därifrån importeras.")
                % {"name": title}
            )
            preview.sheet_title = ""
        return preview, []
    parsed = []
    for sheet_row in sheet.rows:
        row = new_row(sheet, sheet_row, preview)
        key = None
        for name, header in preview.mapping.items():
            if header in sheet_row.formula_errors:
                continue
            raw = sheet_row.values.get(header)
            try:
                if name == REFERENCE:
                    key = book.key(raw)
                else:
                    row.fields[name] = parse(name, raw)
            except cells.CellError as exc:
                row.add_error(header, str(exc))
        preview.rows.append(row)
        parsed.append((row, key))
    return preview, parsed


class _Bodies:
    def __init__(self, portfolio):
        self.own = {b.name.casefold(): b for b in Body.objects.filter(portfolio=portfolio)}
        self.kinds = choice_lookup(DecisionBody.choices)

    def parse(self, raw):
        if cells.is_blank(raw):
            return None
        key = cells.text(raw).casefold()
        if key in self.own:
            return (self.own[key].kind, self.own[key])
        if key in self.kinds:
            return (self.kinds[key], None)
        names = [b.name for b in self.own.values()] + [
            str(label) for _v, label in DecisionBody.choices
        ]
        raise cells.CellError(
            _("Organet ”%(value)s” finns inte. Ange ett av: %(names)s.")
            % {"value": cells.text(raw), "names": ", ".join(names)}
        )


def _describe(decision) -> str:
    return " ".join(
        part
        for part in (
            decision.get_kind_display(),
            decision.get_outcome_display().lower(),
            decision.decided_on.isoformat(),
            decision.meeting_reference,
        )
        if part
    )


def decisions_sheet(content, titles, book: Book):
    bodies = _Bodies(book.portfolio)
    limits = {"meeting_reference": GateDecision._meta.get_field("meeting_reference").max_length}

    def parse(name, raw):
        if name == "kind":
            return _choice(raw, DecisionKind.choices, _("Ange beslutet, till exempel G0."))
        if name == "outcome":
            return _choice(raw, DecisionOutcome.choices, _("Ange utfallet, till exempel Godkänd."))
        if name == "target_stage":
            return _choice(raw, StageChoice.choices, None)
        if name == "decided_on":
            return _required_date(raw, book)
        if name == "body":
            return bodies.parse(raw)
        if name == "is_correction":
            return yes_no(raw)
        return _text(raw, limits.get(name))

    preview, parsed = _rows(content, titles, book, DECISIONS, parse)
    by_key = defaultdict(list)
    for row, key in parsed:
        if key is not None and not row.has_errors:
            row.target = key
            by_key[id(key)].append((key, row))
    recorded = defaultdict(list)
    targets = [rows[0][0].target.pk for rows in by_key.values() if rows[0][0].target]
    for decision in GateDecision.objects.filter(initiative__in=targets).order_by(
        "decided_on", "id"
    ):
        recorded[decision.initiative_id].append(decision)
    for rows in by_key.values():
        key = rows[0][0]
        rows = sorted(rows, key=lambda pair: pair[1].fields["decided_on"])
        existing = recorded[key.target.pk] if key.target else []
        _check_decisions(key, [row for _key, row in rows], existing, preview)
    return preview


def _taken(chain: list, stage: str, values: dict) -> tuple:
    """(the stage the decision is taken from, where it leads, the index in `chain` of
    the decision it corrects or None), by the rules of `decision_record`."""
    kind = values["kind"]
    corrected = None
    start = stage
    if values.get("is_correction"):
        corrected = next(
            (
                index
                for index in reversed(range(len(chain)))
                if chain[index]["kind"] == kind and not chain[index]["corrected"]
            ),
            None,
        )
        if corrected is None:
            raise DomainError(_("Det finns inget beslut av det slaget att rätta."))
        if chain[corrected]["after"] != stage:
            raise DomainError(
                _("Initiativet har gått vidare sedan beslutet; det kan inte längre rättas.")
            )
        start = chain[corrected]["start"]
    return start, next_stage(start, kind, values["outcome"], values.get("target_stage")), corrected


def _link(chain: list, kind: str, start: str, after: str, corrected) -> None:
    if corrected is not None:
        chain[corrected]["corrected"] = True
    chain.append({"kind": kind, "start": start, "after": after, "corrected": False})


def _recorded(key, row, decision, values, chain, by_pk) -> bool:
    """Whether the row is the recorded decision; an error on the row when it is not."""
    same = (
        decision.kind == values["kind"]
        and decision.outcome == values["outcome"]
        and decision.decided_on == values["decided_on"]
        and decision.meeting_reference == values.get("meeting_reference", "")
        and bool(decision.corrects_id) == bool(values.get("is_correction"))
    )
    if not same:
        row.add_error(
            "",
            _(
                "%(reference)s har redan beslutet %(decision)s på den platsen. Beslut "
                "är allmänna handlingar och ändras aldrig; en rättelse registreras "
                "som ett nytt beslut."
            )
            % {"reference": key.name, "decision": _describe(decision)},
        )
        return False
    corrected = by_pk.get(decision.corrects_id)
    start = chain[corrected]["start"] if corrected is not None else decision.stage_before
    by_pk[decision.pk] = len(chain)
    _link(chain, decision.kind, start, decision.stage_after, corrected)
    row.action = UNCHANGED
    return True


def _check_decisions(key, rows, existing, preview: Preview) -> None:
    stage = existing[0].stage_before if existing else key.stage
    previous = None
    header = preview.mapping
    chain, by_pk = [], {}
    for index, row in enumerate(rows):
        values = row.fields
        if index < len(existing):
            decision = existing[index]
            if not _recorded(key, row, decision, values, chain, by_pk):
                return
            stage, previous = decision.stage_after, decision.decided_on
            continue
        row.action = CREATE
        try:
            start, after, corrected = _taken(chain, stage, values)
        except (DomainError, ValidationError) as exc:
            message = exc.message if isinstance(exc, DomainError) else " ".join(exc.messages)
            row.add_error(header.get("kind", ""), f"{key.name}: {message}")
            return
        if values["decided_on"] < key.submitted_on:
            row.add_error(
                header.get("decided_on", ""),
                _("Beslutet ligger före %(date)s, då %(reference)s lämnades in.")
                % {"date": key.submitted_on.isoformat(), "reference": key.name},
            )
            return
        if previous and values["decided_on"] < previous:
            row.add_error(
                header.get("decided_on", ""), _("Beslutet ligger före föregående beslut.")
            )
            return
        if values.get("body") is None:
            values["body"] = (decision_body(values["kind"]), None)
        row.changes = {
            header.get("kind", ""): (
                choice_display(StageChoice.choices, stage),
                choice_display(StageChoice.choices, after),
            )
        }
        _link(chain, values["kind"], start, after, corrected)
        stage, previous = after, values["decided_on"]
    # A workbook that lists fewer decisions than are recorded leaves the stage as it is.
    key.stage = stage if len(rows) >= len(existing) else key.target.stage


def participation_sheet(content, titles, book: Book):
    municipalities = MunicipalityLookup()
    members = set(book.portfolio.constellation.members.values_list("id", flat=True))
    reason_limit = None

    def parse(name, raw):
        if name == "municipality":
            municipality = municipalities.find(raw)
            if municipality is None:
                raise cells.CellError(_("Ange kommunen."))
            if municipality.pk not in members:
                raise cells.CellError(
                    _("%(name)s ingår inte i portföljens samverkanskonstellation.")
                    % {"name": municipality.name}
                )
            return municipality
        if name == "status":
            return _choice(raw, ParticipationStatus.choices, _("Ange deltagandet."))
        if name in ("joined_on", "left_on", "implemented_on"):
            value = cells.date(raw)
            if value and value > book.today:
                raise cells.CellError(_("Datumet kan inte ligga i framtiden."))
            return value
        if name in ("implementation_opted_out", "is_late_implementer"):
            return yes_no(raw)
        return _text(raw, reason_limit)

    preview, parsed = _rows(content, titles, book, PARTICIPATION, parse)
    targets = {key.target.pk for _row, key in parsed if key is not None and key.target}
    stored = {
        (p.initiative_id, p.municipality_id): p
        for p in Participation.objects.filter(initiative__in=targets)
    }
    seen = {}
    for row, key in parsed:
        if key is None or row.has_errors:
            continue
        row.target = key
        values = row.fields
        municipality = values.pop("municipality", None)
        if municipality is None:
            row.add_error("", _("Ange kommunen."))
            continue
        row.fields = {"municipality": municipality, **_participation_values(values)}
        pair = (id(key), municipality.pk)
        if pair in seen:
            row.add_error(
                "",
                _("%(name)s finns redan på rad %(row)s.")
                % {"name": municipality.name, "row": seen[pair]},
            )
            continue
        seen[pair] = row.number
        _check_participation(row, preview.mapping)
        if row.fields["implemented_on"]:
            key.implemented = True
        existing = stored.get((key.target.pk, municipality.pk)) if key.target else None
        if existing is None:
            row.action = CREATE
            continue
        changed = {
            name: value
            for name, value in row.fields.items()
            if name != "municipality" and getattr(existing, name) != value
        }
        row.action = UPDATE if changed else UNCHANGED
        row.changes = {
            preview.mapping[name]: (str(getattr(existing, name) or ""), str(value or ""))
            for name, value in changed.items()
            if name in preview.mapping
        }
    return preview


def _participation_values(values: dict) -> dict:
    return {
        "status": values.get("status") or ParticipationStatus.INTERESTED,
        "joined_on": values.get("joined_on"),
        "left_on": values.get("left_on"),
        "leave_reason": values.get("leave_reason", ""),
        "implemented_on": values.get("implemented_on"),
        "implementation_opted_out": values.get("implementation_opted_out", False),
        "is_late_implementer": values.get("is_late_implementer", False),
    }


def _check_participation(row, mapping) -> None:
    values = row.fields
    left, joined = values["left_on"], values["joined_on"]
    if left and joined and left < joined:
        row.add_error(mapping.get("left_on", ""), _("Kommunen kan inte lämna före den gick med."))
    if values["status"] == ParticipationStatus.LEFT:
        if not left:
            row.add_error(mapping.get("left_on", ""), _("Ange när kommunen lämnade."))
        if not values["leave_reason"]:
            row.add_error(mapping.get("leave_reason", ""), _("Ange varför kommunen lämnade."))
    elif left or values["leave_reason"]:
        row.add_error(
            mapping.get("status", ""),
            _("Bara en kommun som har lämnat har ett datum och skäl för att lämna."),
        )


def history_sheets():
    from .book_entries import cost_sheet, status_sheet, time_sheet

    return (participation_sheet, decisions_sheet, status_sheet, cost_sheet, time_sheet)
