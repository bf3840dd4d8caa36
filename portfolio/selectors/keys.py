"""The allocation key in force on a date: one rule for the economy, settlement and the
documents.

A key applies from its valid_from until the next key of the portfolio starts. Costs dated
before a portfolio's first key are shared by that first key: the collaboration chose it
for everything it had done so far.
"""

import bisect
import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

from ..models import AllocationKey

K = TypeVar("K")


def key_in_force(keys: Sequence[K], day: dt.date, dates: Sequence[dt.date] = ()) -> K | None:
    """Of `keys` in valid_from order, the one in force on `day` (None without keys).

    `dates` may carry the keys' valid_from values, for callers that ask many times.
    """
    if not keys:
        return None
    index = bisect.bisect_right(dates or [k.valid_from for k in keys], day) - 1
    return keys[max(index, 0)]


def portfolio_key_in_force(portfolio, day: dt.date) -> AllocationKey | None:
    keys = AllocationKey.objects.filter(portfolio=portfolio).order_by("valid_from")
    return key_in_force(list(keys), day)
