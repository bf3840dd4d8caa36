"""Swedish number and date formats: 1 999 899 kr, 2026-05-21, 12,5 %. One rounding (half
up) for pages, documents and exports. Documents separate thousands with a plain space;
pages pass a non-breaking one (`NBSP`) so that an amount never wraps."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

NBSP = "\u00a0"


def grouped(value: int, sep: str = " ") -> str:
    """Whole number with `sep` as thousands separator; minus sign kept."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", sep)


def kr(value, sep: str = " ") -> str:
    if value is None or value == "":
        return "–"
    return f"{grouped(int(value), sep)}{sep}kr"


def kr_abs(value) -> str:
    """An amount without its sign, for sentences whose words carry the direction."""
    if value is None or value == "":
        return "–"
    return kr(abs(int(value)))


def number(value, decimals: int = 0, sep: str = " ") -> str:
    if value is None or value == "":
        return "–"
    amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if decimals == 0:
        return grouped(int(amount.quantize(Decimal(1), ROUND_HALF_UP)), sep)
    quantum = Decimal(1).scaleb(-decimals)
    text = f"{abs(amount.quantize(quantum, ROUND_HALF_UP)):f}"
    whole, _, fraction = text.partition(".")
    sign = "-" if amount < 0 else ""
    return f"{sign}{grouped(int(whole), sep)},{fraction}"


def percent(share, decimals: int = 1) -> str:
    """A share (0..1 as Fraction/Decimal) as '12,5 %'."""
    if share is None:
        return "–"
    if isinstance(share, Fraction):
        share = Decimal(share.numerator) / Decimal(share.denominator)
    return f"{number(Decimal(share) * 100, decimals)} %"


def iso(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return (
            timezone.localtime(value).date().isoformat()
            if timezone.is_aware(value)
            else (value.date().isoformat())
        )
    return value.isoformat()
