"""The portfolio workbook: one sheet per kind of record, read and written alike.

A collaboration moving in brings its initiatives with their past: participation per
municipality, the decisions taken at each gate, the status reports, and the costs and
hours per period (the sheets of the cost and time export). The sheets are
linked by "Initiativnummer". The initiatives sheet is the initiatives import's, except
that the submission date is read (a past idea keeps its date) and the stage is checked
against the decisions on the decisions sheet.
"""

from dataclasses import replace

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .columns import COST_COLUMNS, INITIATIVE_COLUMNS, REFERENCE, TIME_COLUMNS, FieldColumn
from .writer import Kind

TITLE_NOT_IMPORTED = _("titeln läses från bladet Initiativ")


def _book_initiative_columns():
    specs = []
    for spec in INITIATIVE_COLUMNS:
        if spec.field == "submitted_on":
            spec = replace(spec, read_only=False, not_imported="")
        elif spec.field == "stage":
            spec = replace(
                spec,
                not_imported=_("steget följer av besluten på bladet Beslut och jämförs med dem"),
            )
        specs.append(spec)
    return tuple(specs)


def _title():
    return FieldColumn(
        "initiative_title",
        _("Initiativ"),
        read_only=True,
        width=34,
        not_imported=TITLE_NOT_IMPORTED,
    )


THREE_N = ("is_new", "is_useful", "is_used")

BOOK_INITIATIVE_COLUMNS = (
    *_book_initiative_columns(),
    # 3N is judged once the solution is implemented (benefits.initiative_set_3n).
    FieldColumn("is_new", _("Ny (3N)"), width=10),
    FieldColumn("is_useful", _("Nyttig (3N)"), width=10),
    FieldColumn("is_used", _("Nyttiggjord (3N)"), width=10),
)

PARTICIPATION_COLUMNS = (
    FieldColumn(REFERENCE, _("Initiativnummer"), width=16),
    _title(),
    FieldColumn("municipality", _("Kommun"), width=20),
    FieldColumn("status", _("Deltagande"), width=16),
    FieldColumn("joined_on", _("Deltar från"), Kind.DATE),
    FieldColumn("left_on", _("Lämnade"), Kind.DATE),
    FieldColumn("leave_reason", _("Skäl för att lämna"), width=40),
    FieldColumn("implemented_on", _("Implementerade"), Kind.DATE),
    FieldColumn("implementation_opted_out", _("Avstår implementering"), width=12),
    FieldColumn("is_late_implementer", _("Implementerade i efterhand"), width=12),
)

DECISION_COLUMNS = (
    FieldColumn(REFERENCE, _("Initiativnummer"), width=16),
    _title(),
    FieldColumn("kind", _("Beslut"), width=22),
    FieldColumn("outcome", _("Utfall"), width=16),
    FieldColumn("target_stage", _("Nytt steg"), width=14),
    FieldColumn("decided_on", _("Beslutsdatum"), Kind.DATE),
    FieldColumn("body", _("Beslutande organ"), width=24),
    FieldColumn("meeting_reference", _("Protokoll §"), width=16),
    FieldColumn("motivation", _("Motivering"), width=40),
    # "Ja": the decision corrects the latest uncorrected decision of its kind.
    FieldColumn("is_correction", _("Rättelse"), width=10),
)

STATUS_COLUMNS = (
    FieldColumn(REFERENCE, _("Initiativnummer"), width=16),
    _title(),
    FieldColumn("reported_on", _("Datum"), Kind.DATE),
    FieldColumn("health_time", _("Tid"), width=8),
    FieldColumn("health_cost", _("Kostnad"), width=8),
    FieldColumn("health_quality", _("Kvalitet"), width=8),
    FieldColumn("progress", _("Framsteg (%)"), Kind.INT),
    FieldColumn("comment", _("Kommentar"), width=40),
    FieldColumn("municipality", _("Kommun"), width=20),
)

INITIATIVES = "initiatives"
PARTICIPATION = "participation"
DECISIONS = "decisions"
STATUS = "status"
COSTS = "costs"
TIME = "time"

# The sheets in the order they are written and read: decisions need the initiatives,
# and participation and status reports are checked against both.
SHEETS = (
    (INITIATIVES, _("Initiativ"), BOOK_INITIATIVE_COLUMNS),
    (PARTICIPATION, _("Deltagande"), PARTICIPATION_COLUMNS),
    (DECISIONS, _("Beslut"), DECISION_COLUMNS),
    (STATUS, _("Statusrapporter"), STATUS_COLUMNS),
    (COSTS, _("Kostnader"), COST_COLUMNS),
    (TIME, _("Tidsinsatser"), TIME_COLUMNS),
)

# Sheets of our own exports that this import leaves to their own imports, and why.
OTHER_SHEETS = {
    _("Urval"): _("bladet beskriver bara exporten"),
    _("Värden"): _("bladet listar bara tillåtna värden"),
}


def sheet_names(title) -> set[str]:
    """The sheet's name in Swedish and in the user's language, folded."""
    with translation.override("sv"):
        swedish = str(title)
    return {swedish.casefold(), str(title).casefold()}
