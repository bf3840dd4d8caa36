"""Periods: half-years by default ("2026H1" is 2026-01-01 – 2026-06-30), or any date range."""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_HALF_YEAR = re.compile(r"^(\d{4})H([12])$")
_DATE = r"[1-9]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
# What a period given as text may look like (the API's `period`, also in its schema):
# empty for the current half-year, a half-year or two dates.
PERIOD_PATTERN = rf"^([1-9]\d{{3}}H[12]|{_DATE}:{_DATE})?$"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        if (
            self.start.month == 1
            and self.start.day == 1
            and self.end == dt.date(self.start.year, 6, 30)
        ):
            return f"{self.start.year}H1"
        if (
            self.start.month == 7
            and self.start.day == 1
            and self.end == dt.date(self.start.year, 12, 31)
        ):
            return f"{self.start.year}H2"
        return f"{self.start.isoformat()}–{self.end.isoformat()}"

    @property
    def key(self) -> str:
        """The text `parse_period` reads back as this period (the label, for a half-year)."""
        label = self.label
        return label if "H" in label else f"{self.start.isoformat()}:{self.end.isoformat()}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def previous_half_year(self) -> "Period":
        return half_year_of(self.start - dt.timedelta(days=1))


def half_year_of(day: dt.date) -> Period:
    if day.month <= 6:
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 6, 30))
    return Period(dt.date(day.year, 7, 1), dt.date(day.year, 12, 31))


def parse_period(text: str) -> Period:
    """'2026H1', or 'YYYY-MM-DD:YYYY-MM-DD'. Raises ValueError with a Swedish message."""
    text = (text or "").strip()
    match = _HALF_YEAR.match(text)
    if match:
        year, half = int(match.group(1)), int(match.group(2))
        return half_year_of(dt.date(year, 1 if half == 1 else 7, 1))
    if ":" in text:
        start_text, end_text = text.split(":", 1)
        try:
            start, end = dt.date.fromisoformat(start_text), dt.date.fromisoformat(end_text)
        except ValueError:
            raise ValueError(_("Datum anges som ÅÅÅÅ-MM-DD, till exempel 2026-01-01.")) from None
        if end < start:
            raise ValueError(_("Periodens slut kan inte ligga före dess början."))
        return Period(start, end)
    raise ValueError(_("Ange perioden som ett halvår, till exempel 2026H1, eller som två datum."))
