"""The targets of issue 8 and the one JSON document that reports every figure against them."""

import datetime as dt
import os
import platform

# name, where the figure is (section, key), comparison, target, unit
TARGETS = (
    ("list page median", ("list", "median_ms"), "<=", 20, "ms"),
    ("list page vs PostgreSQL floor", ("list", "floor_ratio"), "<=", 3, "x"),
    ("list requests per second, 4 clients", ("list", "requests_per_second"), ">=", 90, "req/s"),
    ("list queries per request", ("list", "queries"), "<=", 10, "queries"),
    ("export of 2 000 initiatives median", ("export", "median_ms"), "<=", 100, "ms"),
    ("dashboard p95", ("dashboard", "p95_ms"), "<=", 150, "ms"),
    ("dashboard queries per request", ("dashboard", "queries"), "<=", 20, "queries"),
    (
        "dashboard right after a write p95",
        ("dashboard_after_write", "p95_ms"),
        "<=",
        150,
        "ms",
    ),
    ("dashboard, nothing written since, p95", ("dashboard_rounds", "p95_ms"), "<=", 150, "ms"),
    ("allocation + settlement, all portfolios", ("economy", "seconds"), "<=", 1, "s"),
    ("board report seconds", ("board_report", "seconds"), "<=", 3, "s"),
    ("board report peak memory", ("board_report", "peak_rss_mb"), "<=", 300, "MB"),
    ("hostile upload refused, slowest", ("upload", "worst_refusal_max_ms"), "<=", 2000, "ms"),
    (
        "hostile upload vs preview of 2 000 rows",
        ("upload", "worst_refusal_vs_peer"),
        "<=",
        1,
        "x",
    ),
)


def not_available(reason: str) -> dict:
    return {"status": "not available", "reason": reason}


def machine() -> dict:
    memory_gb = None
    try:
        with open("/proc/meminfo") as meminfo:
            kb = int(meminfo.readline().split()[1])
            memory_gb = round(kb / 2**20)
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def evaluate(measurements: dict) -> list[dict]:
    rows = []
    for name, (section, key), op, target, unit in TARGETS:
        found = measurements.get(section, {})
        figure = found.get(key)
        met = None
        if isinstance(figure, int | float):
            met = figure <= target if op == "<=" else figure >= target
        row = {
            "name": name,
            "measured": figure,
            "target": f"{'≤' if op == '<=' else '≥'} {target}",
            "unit": unit,
            "met": met,
        }
        if found.get("status") == "error" or (key == "queries" and found.get("queries_error")):
            # A page that answered 4xx or 5xx has no figure, and never passes.
            row.update(measured=None, met=False, invalid=_why(found))
        rows.append(row)
    return rows


def _why(found: dict) -> str:
    if found.get("http_status"):
        return f"HTTP {found['http_status']}"
    return found.get("queries_error") or found.get("reason") or "fel"


def document(dataset: dict, server: dict, measurements: dict) -> dict:
    targets = evaluate(measurements)
    return {
        "benchmark": "Samverkan, national scale (issue 8)",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "dataset": dataset,
        "server": server,
        "measurements": measurements,
        "targets": targets,
        "targets_met": sum(1 for t in targets if t["met"] is True),
        "targets_missed": [t["name"] for t in targets if t["met"] is False],
        "targets_not_measured": [t["name"] for t in targets if t["met"] is None],
    }
