"""The columns of the files we write and read, shared by export, template and importer.

An exported file has the same columns as the template, so it can be imported again.
Read-only columns (stage, sums) are written for the reader and skipped on import.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .writer import Column, Kind

REFERENCE = "reference"


SUMS_NOT_IMPORTED = _("summan räknas fram ur kostnaderna; importera dem på kostnadsbladet")


@dataclass(frozen=True)
class FieldColumn:
    field: str
    header: object  # lazy translation
    kind: Kind = Kind.TEXT
    read_only: bool = False
    width: int | None = None
    # Why a read-only column is not imported, told in the preview.
    not_imported: object = ""
    # A read-only column that is still read, to compare with what is stored: a row that
    # says something else is an error rather than silently overruled (the stage).
    checked: bool = False

    def column(self) -> Column:
        return Column(str(self.header), self.kind, self.width, self.read_only)

    def accepted_headers(self) -> set[str]:
        """The Swedish heading, and the heading in the user's language if it differs."""
        with translation.override("sv"):
            swedish = str(self.header)
        return {swedish.casefold(), str(self.header).casefold()}


INITIATIVE_COLUMNS = (
    FieldColumn(REFERENCE, _("Initiativnummer"), width=16),
    FieldColumn("title", _("Titel"), width=40),
    FieldColumn("program", _("Program")),
    FieldColumn("proposing_municipality", _("Föreslagen av kommun"), width=20),
    FieldColumn("owner", _("Initiativägare (användarnamn)"), width=22),
    FieldColumn("area", _("Område"), width=14),
    FieldColumn("target_group", _("Målgrupp"), width=16),
    FieldColumn("collaboration_level", _("Samverkansnivå (1–5)"), Kind.INT),
    FieldColumn("planned_start", _("Planerad start"), Kind.DATE),
    FieldColumn("planned_end", _("Planerat slut"), Kind.DATE),
    FieldColumn("registration_number", _("Diarienummer"), width=16),
    FieldColumn("need", _("Behov eller problem"), width=40),
    FieldColumn("expected_benefit", _("Förväntad nytta"), width=40),
    FieldColumn("security_classification", _("Informationssäkerhetsklassning"), width=16),
    FieldColumn("prestudy_conclusion", _("Förstudiens slutsats"), width=40),
    FieldColumn("child_impact_analysis", _("Barnkonsekvensanalys"), width=40),
    FieldColumn("implementation_plan", _("Implementeringsplan"), width=40),
    FieldColumn("operation_owner", _("Objektägare eller systemförvaltare")),
    FieldColumn("benefit_followup_plan", _("Plan för nyttouppföljning"), width=40),
    FieldColumn(
        "stage",
        _("Steg"),
        read_only=True,
        width=14,
        not_imported=_("ett initiativs steg ändras bara genom beslut; ett nytt börjar som idé"),
        checked=True,
    ),
    FieldColumn(
        "priority_score",
        _("Prioriteringspoäng"),
        Kind.DECIMAL,
        read_only=True,
        not_imported=_("poängen räknas fram ur prioriteringskriterierna"),
    ),
    FieldColumn(
        "development_estimate",
        _("Utveckling, estimat (kr)"),
        Kind.KRONOR,
        read_only=True,
        not_imported=SUMS_NOT_IMPORTED,
    ),
    FieldColumn(
        "development_actual",
        _("Utveckling, utfall (kr)"),
        Kind.KRONOR,
        read_only=True,
        not_imported=SUMS_NOT_IMPORTED,
    ),
    FieldColumn(
        "operation_estimate",
        _("Drift, estimat (kr)"),
        Kind.KRONOR,
        read_only=True,
        not_imported=SUMS_NOT_IMPORTED,
    ),
    FieldColumn(
        "operation_actual",
        _("Drift, utfall (kr)"),
        Kind.KRONOR,
        read_only=True,
        not_imported=SUMS_NOT_IMPORTED,
    ),
    FieldColumn(
        "submitted_on",
        _("Inlämnad"),
        Kind.DATE,
        read_only=True,
        not_imported=_("datumet sätts när idén lämnas in"),
    ),
)

COST_COLUMNS = (
    FieldColumn(REFERENCE, _("Initiativnummer"), width=16),
    FieldColumn("initiative_title", _("Initiativ"), read_only=True, width=34),
    FieldColumn("kind", _("Kostnadsslag"), width=24),
    FieldColumn("nature", _("Estimat eller utfall"), width=18),
    FieldColumn("period", _("Period"), Kind.DATE),
    FieldColumn("amount", _("Belopp (kr)"), Kind.KRONOR),
    FieldColumn("paid_by", _("Betald av kommun"), width=20),
    FieldColumn("description", _("Beskrivning"), width=40),
)

TIME_COLUMNS = (
    FieldColumn(REFERENCE, _("Initiativnummer"), width=16),
    FieldColumn("initiative_title", _("Initiativ"), read_only=True, width=34),
    FieldColumn("municipality", _("Kommun"), width=20),
    FieldColumn("period", _("Period"), Kind.DATE),
    FieldColumn("hours", _("Timmar"), Kind.DECIMAL),
    FieldColumn("role", _("Roll"), width=20),
    FieldColumn("description", _("Beskrivning"), width=40),
)


def columns(specs) -> list[Column]:
    return [spec.column() for spec in specs]
