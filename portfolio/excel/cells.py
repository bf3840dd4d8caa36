"""Reading one cell: Swedish lists hold numbers as text ("1 200 000 kr") and dates as text.

Every parser returns the value or raises CellError with a message for the person who
filled in the sheet.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _


class CellError(ValueError):
    pass


# Thin, no-break and ordinary spaces all appear as thousands separators in pasted figures.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_CURRENCY = re.compile(r"(kr|sek|:-)\.?$", re.IGNORECASE)
_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d.%m.%Y")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _number_text(value: str) -> str:
    cleaned = _SPACES.sub("", value.strip())
    cleaned = _CURRENCY.sub("", cleaned)
    # Swedish decimal comma; a full stop is taken as a decimal point too.
    return cleaned.replace(",", ".").replace("\u2212", "-")


def decimal(value) -> Decimal | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Ange ett tal, inte sant eller falskt."))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr gives the shortest decimal that reads back as the same float.
        return Decimal(repr(value))
    if isinstance(value, dt.date | dt.datetime | dt.time):
        raise CellError(_("Ange ett tal, inte ett datum."))
    try:
        result = Decimal(_number_text(str(value)))
    except InvalidOperation:
        raise CellError(
            _("”%(value)s” är inte ett tal. Skriv till exempel 1 200 000 eller 1200000.")
            % {"value": str(value).strip()}
        ) from None
    if not result.is_finite():
        raise CellError(_("”%(value)s” är inte ett tal.") % {"value": str(value).strip()})
    return result


def integer(value) -> int | None:
    result = decimal(value)
    if result is None:
        return None
    if result != result.to_integral_value():
        raise CellError(
            _("Ange ett heltal; %(value)s har decimaler.") % {"value": str(value).strip()}
        )
    return int(result)


def kronor(value) -> int | None:
    result = integer(value)
    if result is not None and result < 0:
        raise CellError(_("Beloppet kan inte vara negativt."))
    return result


def date(value) -> dt.date | None:
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        stripped = value.strip()
        for date_format in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(stripped, date_format).date()  # noqa: DTZ007
            except ValueError:
                continue
    raise CellError(
        _("”%(value)s” är inte ett datum. Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-31.")
        % {"value": text(value)}
    )
