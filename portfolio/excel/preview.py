"""What an import would do, row by row, before anything is written."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..services.errors import DomainError

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
ERROR = "error"

ACTION_LABELS = {
    CREATE: gettext_lazy("Skapas"),
    UPDATE: gettext_lazy("Uppdateras"),
    UNCHANGED: gettext_lazy("Oförändrad"),
    ERROR: gettext_lazy("Fel"),
}


@dataclass
class PreviewRow:
    number: int
    sheet: str = ""  # the sheet's title, in a workbook of several sheets
    cells: dict[str, str] = field(default_factory=dict)  # header -> what the file says
    errors: dict[str, list[str]] = field(default_factory=dict)  # header ("" = the row)
    warnings: list[str] = field(default_factory=list)
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # header -> (old, new)
    action: str = CREATE
    target: object = None
    fields: dict = field(default_factory=dict)

    def add_error(self, header: str, message) -> None:
        self.errors.setdefault(header, []).append(str(message))

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def final_action(self) -> str:
        return ERROR if self.errors else self.action

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.final_action])

    def as_dict(self) -> dict:
        return {
            "row": self.number,
            **({"sheet": self.sheet} if self.sheet else {}),
            "action": self.final_action,
            "action_label": self.action_label,
            "cells": self.cells,
            "errors": self.errors,
            "warnings": self.warnings,
            "changes": {k: {"old": o, "new": n} for k, (o, n) in self.changes.items()},
        }


@dataclass
class Preview:
    kind: str
    headers: list[str] = field(default_factory=list)
    rows: list[PreviewRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sheet_title: str = ""
    mapping: dict[str, str] = field(default_factory=dict)  # field -> header in the file
    # Read-only columns that are compared with what is stored: field -> header.
    checked: dict[str, str] = field(default_factory=dict)

    @property
    def row_error_count(self) -> int:
        return sum(1 for row in self.rows if row.has_errors)

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and not self.row_error_count and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.final_action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in ACTION_LABELS}

    @property
    def changes_anything(self) -> bool:
        return any(row.final_action in (CREATE, UPDATE) for row in self.rows)

    def errors_by_place(self) -> dict[str, list[str]]:
        """{"file": [...], "rad 7": ["Titel: …"]}: every error, named by where it is."""
        errors = {"file": list(self.file_errors)} if self.file_errors else {}
        for row in self.rows:
            messages = [
                f"{header}: {message}" if header else message
                for header, items in row.errors.items()
                for message in items
            ]
            if messages:
                place = f"rad {row.number}"
                errors[f"{row.sheet} {place}" if row.sheet else place] = messages
        return errors

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "sheet": self.sheet_title,
            "valid": self.is_valid,
            "headers": self.headers,
            "counts": self.counts,
            "file_errors": self.file_errors,
            "warnings": self.warnings,
            "rows": [row.as_dict() for row in self.rows],
        }


class ImportRefused(DomainError):
    """The file has errors; nothing was written. `preview` says where."""

    status_code = 400
    rule = "import_invalid"

    def __init__(self, preview: Preview, message=None):
        super().__init__(
            message
            or _("Filen innehåller fel och ingenting har sparats. Rätta felen och försök igen.")
        )
        self.preview = preview


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def preview_table(preview: Preview) -> list[dict]:
    """Rows laid out for a template: one cell per heading with its errors and change."""
    table = []
    for row in preview.rows:
        table.append(
            {
                "number": row.number,
                "action": row.final_action,
                "action_label": row.action_label,
                "cells": [
                    {
                        "value": row.cells.get(header, ""),
                        "errors": row.errors.get(header, []),
                        "change": row.changes.get(header),
                    }
                    for header in preview.headers
                ],
                "row_errors": row.errors.get("", []),
                "warnings": row.warnings,
            }
        )
    return table
