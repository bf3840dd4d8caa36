"""The downloadable import templates: the export's columns, no rows, and the valid values."""

from django.utils.translation import gettext as _
from openpyxl.worksheet.datavalidation import DataValidation

from municipalities.choices import CollaborationLevel

from ..choices import Area, CostKind, CostNature, SecurityClassification, TargetGroup
from .columns import COST_COLUMNS, INITIATIVE_COLUMNS, TIME_COLUMNS, columns
from .writer import HEADER_FONT, add_sheet, is_inert_text, new_workbook, to_bytes, write_cell

TEMPLATE_ROWS = 500


def _labels(choices) -> list[str]:
    return [str(label) for value, label in choices if value != ""]


def _dropdown(sheet, specs, field: str, values: list[str]) -> None:
    """A list to pick from; Excel keeps such a list under 255 characters inline.

    A picked item is entered as if typed, so a list with formula-like text is left out;
    the values sheet still shows every value, as inert text.
    """
    formula = '"' + ",".join(values) + '"'
    if (
        not values
        or len(formula) > 255
        or any("," in v or '"' in v or not is_inert_text(v) for v in values)
    ):
        return
    index = [spec.field for spec in specs].index(field)
    letter = sheet.cell(row=1, column=index + 1).column_letter
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.error = _("Välj ett värde ur listan.")
    validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    sheet.add_data_validation(validation)


def _values_sheet(workbook, lists: dict[str, list[str]]) -> None:
    sheet = workbook.create_sheet(title=_("Giltiga värden"))
    for column, (heading, values) in enumerate(lists.items(), start=1):
        write_cell(sheet, 1, column, heading).font = HEADER_FONT
        for row, value in enumerate(values, start=2):
            write_cell(sheet, row, column, value)
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = 30


def initiatives_template_bytes(portfolio) -> bytes:
    programs = list(portfolio.programs.values_list("name", flat=True))
    members = list(portfolio.constellation.members.order_by("name").values_list("name", flat=True))
    writable = [spec for spec in INITIATIVE_COLUMNS if not spec.read_only]
    workbook = new_workbook(sheet_title=_("Initiativ"), columns=columns(writable), rows=[])
    sheet = workbook.active
    _dropdown(sheet, writable, "program", programs)
    _dropdown(sheet, writable, "proposing_municipality", members)
    _dropdown(sheet, writable, "area", _labels(Area.choices))
    _dropdown(sheet, writable, "target_group", _labels(TargetGroup.choices))
    _dropdown(sheet, writable, "security_classification", _labels(SecurityClassification.choices))
    _values_sheet(
        workbook,
        {
            _("Program"): programs,
            _("Kommuner"): members,
            _("Område"): _labels(Area.choices),
            _("Målgrupp"): _labels(TargetGroup.choices),
            _("Samverkansnivå"): _labels(CollaborationLevel.choices),
            _("Informationssäkerhetsklassning"): _labels(SecurityClassification.choices),
            _("Anvisningar"): [
                _("Lämna Initiativnummer tomt för ett nytt initiativ."),
                _("Ett känt Initiativnummer uppdaterar det initiativet."),
                _("Datum skrivs ÅÅÅÅ-MM-DD. Belopp i hela kronor."),
                _("Bara det första bladet läses. Formler räknas inte ut."),
            ],
        },
    )
    return to_bytes(workbook)


def entries_template_bytes(portfolio) -> bytes:
    members = list(portfolio.constellation.members.order_by("name").values_list("name", flat=True))
    cost_specs = [spec for spec in COST_COLUMNS if not spec.read_only]
    time_specs = [spec for spec in TIME_COLUMNS if not spec.read_only]
    workbook = new_workbook(sheet_title=_("Kostnader"), columns=columns(cost_specs), rows=[])
    _dropdown(workbook.active, cost_specs, "kind", _labels(CostKind.choices))
    _dropdown(workbook.active, cost_specs, "nature", _labels(CostNature.choices))
    _dropdown(workbook.active, cost_specs, "paid_by", members)
    add_sheet(workbook, title=_("Tidsinsatser"), columns=columns(time_specs), rows=[])
    _dropdown(workbook[_("Tidsinsatser")], time_specs, "municipality", members)
    _values_sheet(
        workbook,
        {
            _("Kostnadsslag"): _labels(CostKind.choices),
            _("Estimat eller utfall"): _labels(CostNature.choices),
            _("Kommuner"): members,
            _("Anvisningar"): [
                _("Period: ett datum (ÅÅÅÅ-MM-DD) eller ett halvår som 2026H1."),
                _("Belopp i hela kronor; timmar med högst två decimaler."),
            ],
        },
    )
    return to_bytes(workbook)
