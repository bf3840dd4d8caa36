"""Importing initiatives from Excel: a preview first, then all rows or none.

Rows are matched to existing initiatives by "Initiativnummer"; a row without a known
number is matched by its title when exactly one initiative in the portfolio has it,
so importing the same list twice never creates duplicates. Unmatched rows become new
initiatives (the product numbers them). Writes go through the initiative services,
which check permissions and write history naming the importing user.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import Role
from municipalities.choices import CollaborationLevel

from .. import policies
from ..choices import Area, SecurityClassification, Stage, TargetGroup
from ..models import Initiative, Portfolio
from ..services.errors import DomainError, NotAllowedError
from . import cells
from .columns import INITIATIVE_COLUMNS, REFERENCE
from .lookups import MunicipalityLookup, choice_display, choice_lookup, open_sheet, parse_choice
from .preview import CREATE, UNCHANGED, UPDATE, ImportRefused, ImportResult, Preview, PreviewRow
from .reader import read_sheet

KIND = "initiatives"
CHOICES = {
    "area": Area.choices,
    "target_group": TargetGroup.choices,
    "security_classification": SecurityClassification.choices,
    "collaboration_level": CollaborationLevel.choices,
}
TEXT_FIELDS = (
    "title",
    "need",
    "expected_benefit",
    "registration_number",
    "prestudy_conclusion",
    "child_impact_analysis",
    "implementation_plan",
    "operation_owner",
    "benefit_followup_plan",
)
DATE_FIELDS = ("planned_start", "planned_end")
RELATION_FIELDS = ("program", "proposing_municipality", "owner")


def can_import_initiatives(user, portfolio) -> bool:
    return policies.is_member(user, portfolio) and policies.holds(
        user, portfolio.pk, Role.PROGRAM_MANAGER, Role.COORDINATOR
    )


def _display(field: str, value) -> str:
    if value is None or value == "":
        return ""
    if field in CHOICES:
        return choice_display(CHOICES[field], value)
    if field == "owner":
        return value.username
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _same(field: str, old, new) -> bool:
    if field in RELATION_FIELDS:
        return getattr(old, "pk", None) == getattr(new, "pk", None)
    if field in CHOICES and field != "collaboration_level":
        return (old or "") == (new or "")
    if field in TEXT_FIELDS:
        return (old or "") == (new or "")
    return old == new


class _Context:
    """Everything a row is checked against, loaded once for the whole file."""

    def __init__(self, *, actor, portfolio: Portfolio, sheet, mapping):
        self.actor = actor
        self.portfolio = portfolio
        self.programs = {p.name.casefold(): p for p in portfolio.programs.all()}
        self.municipalities = MunicipalityLookup()
        self.members = set(portfolio.constellation.members.values_list("id", flat=True))
        self.choice_tables = {name: choice_lookup(choices) for name, choices in CHOICES.items()}
        self.choice_labels = {
            name: ", ".join(str(label) for value, label in choices if value != "")
            for name, choices in CHOICES.items()
        }
        self.users = self._users(sheet, mapping.get("owner"))
        existing = list(
            Initiative.objects.filter(portfolio=portfolio).select_related(
                "portfolio__constellation", "program", "proposing_municipality", "owner"
            )
        )
        self.by_reference = {i.reference.casefold(): i for i in existing}
        self.by_title = {}
        for initiative in existing:
            self.by_title.setdefault(initiative.title.strip().casefold(), []).append(initiative)
        self.max_lengths = {
            name: Initiative._meta.get_field(name).max_length for name in TEXT_FIELDS
        }

    @staticmethod
    def _users(sheet, header):
        if header is None:
            return {}
        wanted = {cells.text(row.values.get(header)).casefold() for row in sheet.rows}
        wanted.discard("")
        if not wanted:
            return {}
        found = {}
        users = (
            get_user_model()
            .objects.annotate(lower_username=Lower("username"), lower_email=Lower("email"))
            .filter(Q(lower_username__in=wanted) | Q(lower_email__in=wanted))
        )
        for user in users:
            found[user.lower_username] = user
            if user.lower_email:
                found.setdefault(user.lower_email, user)
        return found

    def parse(self, field: str, raw):
        if field in TEXT_FIELDS:
            value = cells.text(raw)
            limit = self.max_lengths[field]
            if limit and len(value) > limit:
                raise cells.CellError(
                    _("Texten är för lång: högst %(limit)s tecken, här %(length)s.")
                    % {"limit": limit, "length": len(value)}
                )
            return value
        if field in DATE_FIELDS:
            return cells.date(raw)
        if field == "collaboration_level":
            return self._level(raw)
        if field in CHOICES:
            value = parse_choice(raw, self.choice_tables[field], self.choice_labels[field])
            return value or ""
        if field == "program":
            if cells.is_blank(raw):
                return None
            program = self.programs.get(cells.text(raw).casefold())
            if program is None:
                raise cells.CellError(
                    _("Programmet ”%(value)s” finns inte i portföljen. Program: %(names)s.")
                    % {
                        "value": cells.text(raw),
                        "names": ", ".join(p.name for p in self.programs.values()) or "–",
                    }
                )
            return program
        if field == "proposing_municipality":
            municipality = self.municipalities.find(raw)
            if municipality is not None and municipality.pk not in self.members:
                raise cells.CellError(
                    _("%(name)s ingår inte i portföljens samverkanskonstellation.")
                    % {"name": municipality.name}
                )
            return municipality
        if field == "owner":
            if cells.is_blank(raw):
                return None
            user = self.users.get(cells.text(raw).casefold())
            if user is None:
                raise cells.CellError(
                    _("Det finns ingen användare ”%(value)s”. Ange användarnamn eller e-post.")
                    % {"value": cells.text(raw)}
                )
            return user
        raise KeyError(field)

    def _level(self, raw):
        if cells.is_blank(raw):
            return None
        key = cells.text(raw).casefold()
        if key in self.choice_tables["collaboration_level"]:
            return int(self.choice_tables["collaboration_level"][key])
        try:
            level = cells.integer(raw)
        except cells.CellError:
            level = None
        if level not in CollaborationLevel.values:
            raise cells.CellError(
                _("Samverkansnivån anges som en siffra 1–5, här ”%(value)s”.")
                % {"value": cells.text(raw)}
            )
        return level


def _match(
    row: PreviewRow, reference: str, title: str, context: _Context, claimed: dict, header=""
):
    """The existing initiative the row describes, or None for a new one. A number that
    does not exist in the portfolio is an error, whatever its prefix: a mistyped number
    must never create. (A whole portfolio moving in keeps its old numbers through the
    portfolio workbook, portfolio_import.)"""
    target = None
    if reference:
        target = context.by_reference.get(reference.casefold())
        if target is None:
            row.add_error(
                header,
                _(
                    "Initiativnumret %(reference)s finns inte i portföljen. Rätta numret, "
                    "eller lämna cellen tom för att lägga till ett nytt initiativ."
                )
                % {"reference": reference},
            )
            return None
    if target is None and title:
        same_title = context.by_title.get(title.casefold(), [])
        if len(same_title) == 1 and same_title[0].pk not in claimed:
            target = same_title[0]
            row.warnings.append(
                _("Matchad på titeln mot %(reference)s.") % {"reference": target.reference}
            )
    if target is not None and target.pk in claimed:
        row.add_error(
            "",
            _("Raden avser samma initiativ (%(reference)s) som rad %(row)s.")
            % {"reference": target.reference, "row": claimed[target.pk]},
        )
        return None
    return target


STAGE_CHOICES = Stage.choices


def check_stage(
    row: PreviewRow, raw, header: str, expected: str, reference: str = "", derived=False
) -> None:
    """The file's stage must be the one the decisions give (`expected`); a row that says
    otherwise is an error, never silently created or kept at another stage. `derived`:
    `expected` is where the workbook's own decisions lead."""
    if cells.is_blank(raw):
        return
    labels = ", ".join(str(label) for _value, label in STAGE_CHOICES)
    try:
        stage = parse_choice(raw, choice_lookup(STAGE_CHOICES), labels)
    except cells.CellError as exc:
        row.add_error(header, str(exc))
        return
    if stage == expected:
        return
    values = {"stage": Stage(stage).label, "expected": Stage(expected).label}
    if derived:
        message = _(
            "Steget %(stage)s följer inte av besluten på bladet Beslut, som leder till "
            "%(expected)s. Ett steg som hoppar över en grind utan beslut kan inte importeras."
        )
    elif not reference:
        message = _(
            "Steget %(stage)s kan inte importeras: ett nytt initiativ börjar som %(expected)s "
            "och byter steg bara genom beslut. Ändra steget till %(expected)s, eller "
            "importera hela portföljen med besluten på bladet Beslut."
        )
    else:
        message = _(
            "%(reference)s står i steget %(expected)s, inte %(stage)s; ett steg ändras bara "
            "genom beslut."
        )
        values["reference"] = reference
    row.add_error(header, message % values)


def _check_row(row: PreviewRow, header_of: dict, context: _Context) -> None:
    values = row.fields
    if "title" in header_of and not values.get("title"):
        row.add_error(header_of["title"], _("Titel saknas."))
    target = row.target
    start = values.get("planned_start", target.planned_start if target else None)
    end = values.get("planned_end", target.planned_end if target else None)
    if start and end and end < start:
        row.add_error(
            header_of.get("planned_end", header_of.get("planned_start", "")),
            _("Planerat slut kan inte ligga före planerad start."),
        )
    if target is not None:
        changed = {
            name: value
            for name, value in values.items()
            if not _same(name, getattr(target, name), value)
        }
        # A blank municipality keeps the stored one: an initiative always has one.
        if "proposing_municipality" in changed and changed["proposing_municipality"] is None:
            del changed["proposing_municipality"]
        row.fields = changed
        row.changes = {
            header_of[name]: (_display(name, getattr(target, name)), _display(name, value))
            for name, value in changed.items()
        }
        row.action = UPDATE if changed else UNCHANGED
        if changed and not policies.can_edit_initiative(context.actor, target):
            row.add_error(
                "", _("Du får inte ändra %(reference)s.") % {"reference": target.reference}
            )
    else:
        row.action = CREATE
        if values.get("proposing_municipality") is None:
            values["proposing_municipality"] = context.actor.municipality
            if context.actor.municipality_id not in context.members:
                row.add_error(
                    header_of.get("proposing_municipality", ""),
                    _("Ange vilken kommun som föreslår initiativet."),
                )


def initiatives_preview(
    *, actor, portfolio: Portfolio, content: bytes, sheet_name: str | None = None
) -> Preview:
    """What importing the file would do; writes nothing."""
    if not can_import_initiatives(actor, portfolio):
        raise NotAllowedError(
            _("Bara programledare och samordnare i konstellationen kan importera initiativ.")
        )
    preview = Preview(kind=KIND)
    sheet = open_sheet(
        preview,
        lambda: read_sheet(content, sheet_name=sheet_name),
        INITIATIVE_COLUMNS,
        required=("title",),
    )
    if sheet is None:
        return preview
    mapping = preview.mapping

    context = _Context(actor=actor, portfolio=portfolio, sheet=sheet, mapping=mapping)
    claimed: dict[int, int] = {}
    for sheet_row in sheet.rows:
        row = PreviewRow(number=sheet_row.number)
        row.cells = {header: cells.text(sheet_row.values.get(header)) for header in preview.headers}
        for header, message in sheet_row.formula_errors.items():
            row.add_error(header, message)
        for field, header in mapping.items():
            if field == REFERENCE or header in sheet_row.formula_errors:
                continue
            try:
                row.fields[field] = context.parse(field, sheet_row.values.get(header))
            except cells.CellError as exc:
                row.add_error(header, str(exc))
        reference = (
            cells.text(sheet_row.values.get(mapping.get(REFERENCE))) if REFERENCE in mapping else ""
        )
        row.target = _match(
            row,
            reference,
            row.fields.get("title", ""),
            context,
            claimed,
            header=mapping.get(REFERENCE, ""),
        )
        if row.target is not None:
            claimed[row.target.pk] = row.number
        _check_row(row, mapping, context)
        if "stage" in preview.checked:
            check_stage(
                row,
                sheet_row.values.get(preview.checked["stage"]),
                preview.checked["stage"],
                row.target.stage if row.target is not None else Stage.IDEA,
                row.target.reference if row.target is not None else "",
            )
        preview.rows.append(row)
    return preview


def _row_error(row: PreviewRow, exc: Exception, header_of: dict) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            row.add_error(header_of.get(name, ""), " ".join(errors))
        return
    if isinstance(exc, DomainError):
        row.add_error("", str(exc.message))
        for name, errors in exc.fields.items():
            row.add_error(header_of.get(name, ""), " ".join(str(e) for e in errors))
        return
    row.add_error("", " ".join(getattr(exc, "messages", [str(exc)])))


def initiatives_import(
    *, actor, portfolio: Portfolio, content: bytes, sheet_name: str | None = None
) -> ImportResult:
    """Write every row of the file, or nothing: raises ImportRefused with the preview."""
    from ..services.initiatives import initiative_create, initiative_update

    with transaction.atomic():
        # Checked again inside the transaction: the data may have changed since the preview.
        list(Portfolio.objects.select_for_update().filter(pk=portfolio.pk).values_list("pk"))
        preview = initiatives_preview(
            actor=actor, portfolio=portfolio, content=content, sheet_name=sheet_name
        )
        if not preview.is_valid:
            raise ImportRefused(preview)
        result = ImportResult()
        for row in preview.rows:
            try:
                if row.action == CREATE:
                    fields = dict(row.fields)
                    initiative_create(
                        actor=actor, portfolio=portfolio, title=fields.pop("title"), **fields
                    )
                    result.created += 1
                elif row.action == UPDATE:
                    initiative_update(
                        actor=actor,
                        initiative=row.target,
                        version=row.target.version,
                        **row.fields,
                    )
                    result.updated += 1
                else:
                    result.unchanged += 1
            except (ValidationError, DomainError) as exc:
                _row_error(row, exc, preview.mapping)
                raise ImportRefused(preview) from exc
        return result
