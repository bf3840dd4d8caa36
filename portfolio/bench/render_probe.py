"""Render one PDF in a fresh process, as the worker does, and report time and peak memory.

    python -m portfolio.bench.render_probe board <portfolio id> <period>
    python -m portfolio.bench.render_probe memo <initiative id> <gate>

Prints one JSON line. Peak memory is the process's maximum resident set (ru_maxrss),
which includes Django and WeasyPrint themselves; `rss_before_mb` is that baseline.
"""

import io
import json
import os
import resource
import sys
import time


def _rss_now_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(argv: list[str]) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    django.setup()
    from pypdf import PdfReader

    from portfolio.models import Initiative, Portfolio
    from portfolio.periods import parse_period
    from reports.rendering import render_board_report, render_decision_memo

    kind, pk, extra = argv[0], int(argv[1]), argv[2]
    if kind == "board":
        subject = Portfolio.objects.get(pk=pk)
        render = lambda: render_board_report(subject, parse_period(extra))  # noqa: E731
    else:
        subject = Initiative.objects.select_related("portfolio").get(pk=pk)
        render = lambda: render_decision_memo(subject, extra)  # noqa: E731
    before = _rss_now_mb()
    started = time.perf_counter()
    pdf = render()
    seconds = time.perf_counter() - started
    # A worker renders many jobs; the second render shows the cost once fonts are loaded
    # (skipped when the first is far off the target anyway: the machine is shared).
    warm = None
    if seconds < 15:
        started = time.perf_counter()
        render()
        warm = round(time.perf_counter() - started, 2)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "status": "ok",
        "seconds": round(seconds, 2),
        "seconds_warm": warm,
        "peak_rss_mb": round(peak, 1),
        "rss_before_mb": round(before, 1),
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "bytes": len(pdf),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
