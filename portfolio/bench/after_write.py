"""The dashboard right after a write, beside the dashboard with nothing written since.

Each round times, in turn, a view with nothing written since the last one and a view
right after a write: an hours entry recorded (and, the next time, deleted) through the
services by the portfolio's samordnare, as the API records it. The two figures are
measured interleaved, so that the machine's load falls on both alike, and each is
reported as the median and p95 over all rounds with the spread of the rounds' medians.
Any answer but 200 makes both figures invalid.
"""

import statistics
import time

from django.utils import timezone

from portfolio.choices import ParticipationStatus, Stage
from portfolio.models import Initiative, TimeEntry
from portfolio.services import costs

from .stats import summary
from .uploads import coordinator_of

ROLE = "Benchmark"  # marks the entries the benchmark writes, so that it removes its own


class _Writer:
    """Writes that touch one initiative each: record hours, then delete them again."""

    def __init__(self, portfolio_id: int):
        self.coordinator = coordinator_of(portfolio_id)
        if self.coordinator is None:
            raise LookupError("ingen samordnare i portföljen")
        self.initiatives = list(
            Initiative.objects.filter(
                portfolio_id=portfolio_id,
                participations__municipality_id=self.coordinator.municipality_id,
                participations__status=ParticipationStatus.PARTICIPATING,
            )
            .exclude(stage__in=(Stage.REJECTED, Stage.CANCELLED))
            .order_by("id")[:20]
        )
        if not self.initiatives:
            raise LookupError("inget initiativ där samordnarens kommun deltar")
        self.written: list[TimeEntry] = []
        self.n = 0

    def write(self) -> None:
        self.n += 1
        if self.written and self.n % 2 == 0:
            costs.time_entry_delete(actor=self.coordinator, entry=self.written.pop())
            return
        initiative = self.initiatives[self.n % len(self.initiatives)]
        self.written.append(
            costs.time_entry_create(
                actor=self.coordinator,
                initiative=initiative,
                municipality=self.coordinator.municipality,
                period=timezone.localdate().replace(day=1),
                hours="1.5",
                role=ROLE,
            )
        )

    def clean(self) -> None:
        for entry in self.written:
            costs.time_entry_delete(actor=self.coordinator, entry=entry)
        self.written = []


def _rounds(samples: list[list[float]]) -> dict:
    every = [ms for one in samples for ms in one]
    medians = [statistics.median(one) for one in samples]
    return {
        "status": "ok",
        **summary(every),
        "round_medians_ms": [round(m, 2) for m in medians],
        "spread_ms": round(max(medians) - min(medians), 2),
    }


def measure(session, path: str, portfolio_id: int, rounds: int = 3, per_round: int = 10):
    """(dashboard with nothing written since, dashboard right after a write, the writes)."""
    try:
        writer = _Writer(portfolio_id)
    except LookupError as error:
        failed = {"status": "error", "reason": str(error)}
        return failed, failed, failed
    cached, after, writes = [], [], []
    try:
        for _round in range(rounds):
            cached.append([])
            after.append([])
            writes.append([])
            for _ in range(per_round):
                status, _h, _b, ms = session.get(path)
                if status != 200:
                    failed = {"status": "error", "http_status": status}
                    return failed, failed, failed
                cached[-1].append(ms)
                started = time.perf_counter()
                writer.write()
                writes[-1].append((time.perf_counter() - started) * 1000)
                status, _h, _b, ms = session.get(path)
                if status != 200:
                    failed = {"status": "error", "http_status": status}
                    return failed, failed, failed
                after[-1].append(ms)
    finally:
        writer.clean()
    return _rounds(cached), _rounds(after), {**_rounds(writes), "in_process": True}
