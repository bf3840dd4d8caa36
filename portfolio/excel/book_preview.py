"""What importing a portfolio workbook would do, sheet by sheet; writes nothing.

The initiatives sheet comes first: its "Initiativnummer" is the key the other sheets
use. A number of this portfolio must exist (a mistyped DAL-999 is an error). A number
of another portfolio is an initiative moving in: it is created with the next number
here and keeps the old one, so the same workbook imported again finds it. Then the
decisions give each initiative its stage (book_history.py), and the stage column is
compared with it.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import policies
from ..choices import Stage
from ..models import Initiative, Participation, Portfolio
from ..services.benefits import IMPLEMENTED_STAGES
from ..services.errors import NotAllowedError
from . import cells
from .book_columns import INITIATIVES, OTHER_SHEETS, SHEETS, THREE_N, sheet_names
from .columns import REFERENCE
from .importer import _check_row, _Context, check_stage
from .lookups import map_headers
from .preview import UNCHANGED, UPDATE, Preview, PreviewRow
from .reader import FileRefused, read_sheet, sheet_titles

KIND = "portfolio"


@dataclass
class Key:
    """One initiative of the workbook, as the other sheets refer to it."""

    number: str
    target: Initiative | None
    submitted_on: dt.date
    stage: str
    row: PreviewRow | None = None
    stage_cell: object = None
    initiative: Initiative | None = None  # set when written
    implemented: bool = False  # a participation row of the workbook has a date
    three_n: dict | None = None  # 3N to set after the history, when it changes

    @property
    def name(self) -> str:
        return self.target.reference if self.target is not None else self.number


@dataclass
class BookPreview(Preview):
    sheets: list = field(default_factory=list)  # one Preview per sheet read
    keys: dict = field(default_factory=dict)  # folded number -> Key
    by_kind: dict = field(default_factory=dict)  # sheet kind -> Preview

    def as_dict(self) -> dict:
        body = super().as_dict()
        body["rows"] = []
        body["sheets"] = [sheet.as_dict() for sheet in self.sheets]
        return body


YES_NO = {"ja": True, "nej": False, "yes": True, "no": False, "true": True, "false": False}


def yes_no(raw) -> bool:
    if cells.is_blank(raw):
        return False
    if isinstance(raw, bool):
        return raw
    answer = YES_NO.get(cells.text(raw).casefold())
    if answer is None:
        raise cells.CellError(_("Svara Ja eller Nej."))
    return answer


def can_import_portfolio(user, portfolio) -> bool:
    return policies.can_move_in(user, portfolio)


class Book:
    """What every sheet is checked against, loaded once."""

    def __init__(self, *, actor, portfolio: Portfolio, preview: BookPreview):
        self.actor = actor
        self.portfolio = portfolio
        self.preview = preview
        existing = Initiative.objects.filter(portfolio=portfolio).select_related(
            "portfolio__constellation", "program", "proposing_municipality", "owner"
        )
        self.by_reference = {i.reference.casefold(): i for i in existing}
        self.by_imported = {
            i.imported_reference.casefold(): i for i in existing if i.imported_reference
        }
        self.own_prefix = portfolio.reference_prefix.casefold() + "-"
        self.today = timezone.localdate()

    def existing(self, number: str) -> Initiative | None:
        key = number.casefold()
        return self.by_reference.get(key) or self.by_imported.get(key)

    def key(self, raw) -> Key:
        """The initiative a row of another sheet names; CellError when none."""
        number = cells.text(raw)
        if not number:
            raise cells.CellError(_("Initiativnummer saknas."))
        key = self.preview.keys.get(number.casefold())
        if key is None:
            target = self.existing(number)
            if target is None:
                raise cells.CellError(
                    _(
                        "Initiativnumret %(reference)s finns varken i portföljen eller på "
                        "bladet Initiativ."
                    )
                    % {"reference": number}
                )
            key = Key(
                number=number,
                target=target,
                submitted_on=timezone.localtime(target.submitted_at).date(),
                stage=target.stage,
            )
            self.preview.keys[number.casefold()] = key
        return key


def read_book_sheet(content: bytes, titles: list[str], title, specs, preview: Preview):
    """The sheet called `title` (in Swedish or the user's language), or None."""
    wanted = sheet_names(title)
    found = next((t for t in titles if t.strip().casefold() in wanted), None)
    if found is None:
        return None
    try:
        sheet = read_sheet(content, sheet_name=found)
    except FileRefused as exc:
        preview.file_errors.append(str(exc))
        return None
    preview.sheet_title = sheet.title
    preview.mapping = map_headers(sheet, specs, preview, required=(REFERENCE,))
    return None if preview.file_errors else sheet


def new_row(sheet, sheet_row, preview: Preview) -> PreviewRow:
    row = PreviewRow(number=sheet_row.number, sheet=sheet.title)
    row.cells = {h: cells.text(sheet_row.values.get(h)) for h in preview.headers}
    for header, message in sheet_row.formula_errors.items():
        row.add_error(header, message)
    return row


def _initiative_key(row: PreviewRow, number: str, book: Book, header: str) -> Key | None:
    if not number:
        row.add_error(
            header, _("Initiativnummer saknas; de andra bladen hänvisar till initiativet med det.")
        )
        return None
    if number.casefold() in book.preview.keys:
        row.add_error(
            header,
            _("Initiativnumret %(reference)s finns redan på rad %(row)s.")
            % {"reference": number, "row": book.preview.keys[number.casefold()].row.number},
        )
        return None
    target = book.existing(number)
    if target is None and number.casefold().startswith(book.own_prefix):
        row.add_error(
            header,
            _(
                "Initiativnumret %(reference)s finns inte i portföljen. Ett initiativ som "
                "flyttar in har numret det hade före flytten."
            )
            % {"reference": number},
        )
        return None
    if target is None:
        row.warnings.append(
            _(
                "Nytt initiativ: det får nästa nummer i portföljen och %(reference)s sparas "
                "som dess tidigare nummer."
            )
            % {"reference": number}
        )
    elif target.reference.casefold() != number.casefold():
        row.warnings.append(
            _("%(reference)s är %(current)s i portföljen.")
            % {"reference": number, "current": target.reference}
        )
    return Key(number=number, target=target, submitted_on=book.today, stage=Stage.IDEA, row=row)


def _submitted_on(row: PreviewRow, key: Key, header: str, book: Book) -> None:
    submitted = row.fields.pop("submitted_on", None)
    if key.target is not None:
        stored = timezone.localtime(key.target.submitted_at).date()
        key.submitted_on = stored
        if submitted and submitted != stored:
            row.add_error(
                header,
                _("%(reference)s lämnades in %(stored)s; inlämningsdatumet ändras inte vid import.")
                % {"reference": key.target.reference, "stored": stored.isoformat()},
            )
        return
    if submitted and submitted > book.today:
        row.add_error(header, _("Datumet kan inte ligga i framtiden."))
    key.submitted_on = submitted or book.today


def initiatives_sheet(content, titles, book: Book) -> Preview | None:
    preview = Preview(kind=INITIATIVES)
    title, specs = SHEETS[0][1], SHEETS[0][2]
    sheet = read_book_sheet(content, titles, title, specs, preview)
    if sheet is None:
        if not preview.file_errors:
            preview.file_errors.append(
                _("Arbetsboken har inget blad som heter ”%(name)s”.") % {"name": title}
            )
        return preview
    mapping = preview.mapping
    context = _Context(actor=book.actor, portfolio=book.portfolio, sheet=sheet, mapping=mapping)
    for sheet_row in sheet.rows:
        row = new_row(sheet, sheet_row, preview)
        for name, header in mapping.items():
            if name == REFERENCE or header in sheet_row.formula_errors:
                continue
            raw = sheet_row.values.get(header)
            try:
                if name == "submitted_on":
                    row.fields[name] = cells.date(raw)
                elif name in THREE_N:
                    row.fields[name] = yes_no(raw)
                else:
                    row.fields[name] = context.parse(name, raw)
            except cells.CellError as exc:
                row.add_error(header, str(exc))
        number = cells.text(sheet_row.values.get(mapping.get(REFERENCE)))
        key = _initiative_key(row, number, book, mapping.get(REFERENCE, ""))
        preview.rows.append(row)
        if key is None:
            continue
        row.target = key.target
        if key.target is not None:
            key.stage = key.target.stage
        _submitted_on(row, key, mapping.get("submitted_on", ""), book)
        three_n = {name: row.fields.pop(name) for name in THREE_N if name in row.fields}
        _check_row(row, mapping, context)
        _three_n(row, key, three_n, mapping)
        if "stage" in preview.checked:
            key.stage_cell = sheet_row.values.get(preview.checked["stage"])
        book.preview.keys[number.casefold()] = key
    return preview


def _three_n(row: PreviewRow, key: Key, three_n: dict, mapping: dict) -> None:
    """3N is set after the history (it needs the solution implemented)."""
    if not three_n:
        return
    current = {name: bool(getattr(key.target, name, False)) for name in THREE_N}
    wanted = {**current, **three_n}
    if wanted == current:
        return
    key.three_n = wanted
    if key.target is not None:
        for name in THREE_N:
            if wanted[name] != current[name] and name in mapping:
                row.changes[mapping[name]] = (_yes(current[name]), _yes(wanted[name]))
        if row.action == UNCHANGED:
            row.action = UPDATE


def _yes(value: bool) -> str:
    return _("Ja") if value else _("Nej")


def check_three_n(book: Book, mapping: dict) -> None:
    """3N is judged only on an implemented solution (benefits.initiative_set_3n)."""
    keys = [key for key in book.preview.keys.values() if key.three_n and key.row]
    stored = set(
        Participation.objects.filter(
            initiative__in=[key.target.pk for key in keys if key.target],
            implemented_on__isnull=False,
        ).values_list("initiative_id", flat=True)
    )
    for key in keys:
        implemented = (
            key.stage in IMPLEMENTED_STAGES
            or key.implemented
            or (key.target is not None and key.target.pk in stored)
        )
        if not implemented and any(key.three_n.values()):
            header = next((mapping[n] for n in THREE_N if n in mapping), "")
            key.row.add_error(header, _("3N bedöms först när lösningen är implementerad."))


def check_stages(book: Book, header: str) -> None:
    """Each initiative's stage in the file is where its decisions lead."""
    for key in book.preview.keys.values():
        if key.row is not None and not cells.is_blank(key.stage_cell):
            check_stage(key.row, key.stage_cell, header, key.stage, key.name, derived=True)


def note_other_sheets(titles: list[str], preview: BookPreview) -> None:
    read = set().union(*(sheet_names(title) for _kind, title, _specs in SHEETS))
    reasons = {}
    for title, reason in OTHER_SHEETS.items():
        for name in sheet_names(title):
            reasons[name] = reason
    for title in titles:
        folded = title.strip().casefold()
        if folded in read:
            continue
        reason = reasons.get(folded, _("bladet hör inte till portföljens arbetsbok"))
        preview.warnings.append(
            _("Bladet ”%(sheet)s” läses inte: %(reason)s.") % {"sheet": title, "reason": reason}
        )


def portfolio_preview(*, actor, portfolio: Portfolio, content: bytes, sheet_name=None):
    """Every row of every sheet and what importing it would do; writes nothing."""
    from .book_history import history_sheets

    if not can_import_portfolio(actor, portfolio):
        raise NotAllowedError(
            _("Bara portföljkontoret (samordnare) kan importera en hel portfölj.")
        )
    preview = BookPreview(kind=KIND)
    try:
        titles = sheet_titles(content)
    except FileRefused as exc:
        preview.file_errors.append(str(exc))
        return preview
    book = Book(actor=actor, portfolio=portfolio, preview=preview)
    first = initiatives_sheet(content, titles, book)
    sheets = [first]
    if not first.file_errors:
        for check in history_sheets():
            sheet_preview = check(content, titles, book)
            if sheet_preview is not None:
                sheets.append(sheet_preview)
        check_stages(book, first.checked.get("stage", ""))
        check_three_n(book, first.mapping)
    note_other_sheets(titles, preview)
    for sheet_preview in sheets:
        preview.by_kind[sheet_preview.kind] = sheet_preview
        name = sheet_preview.sheet_title
        preview.file_errors += [f"{name}: {e}" if name else e for e in sheet_preview.file_errors]
        preview.warnings += [f"{name}: {w}" for w in sheet_preview.warnings]
        preview.rows += sheet_preview.rows
    preview.sheets = [s for s in sheets if s.sheet_title]
    if not preview.rows and not preview.file_errors:
        preview.file_errors.append(_("Arbetsboken innehåller inga rader att importera."))
    return preview
