"""The whole benchmark: dataset, server, measurements, report."""

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Q
from django.urls import Resolver404, resolve, reverse

from accounts.models import User
from portfolio.choices import ParticipationStatus, Stage
from portfolio.models import Initiative, Portfolio
from portfolio.periods import parse_period
from portfolio.selectors.portfolio_cache import portfolio_changed

from . import after_write
from .client import Session, concurrent, sequential
from .database import ensure_database
from .dataset import BENCH_PASSWORD, BENCH_USERNAME, NATIONAL
from .floor import list_page_floor
from .inprocess import count_queries, time_economy
from .load import counts, find_dataset, generate
from .report import document, not_available
from .server import Server, production_env
from .uploads import coordinator_of, measure_uploads


@dataclass
class Options:
    seed: int = 2026
    regenerate: bool = False
    repeat: int = 100
    clients: int = 4
    seconds: float = 15.0
    period: str = "2026H1"
    redis_url: str = "redis://127.0.0.1:6379/0"
    artifacts: Path = Path("artifacts")
    skip_reports: bool = False
    budget: float = 120.0  # seconds of sequential requests per endpoint at most
    rounds: int = 3  # interleaved rounds of the dashboard with and without a write


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def prepare_dataset(options: Options) -> dict:
    ensure_database()
    found = find_dataset()
    generated = None
    if (
        options.regenerate
        or found is None
        or counts()["portfolio_initiative"] != NATIONAL.initiatives
    ):
        _log(f"Bygger den nationella datamängden (frö {options.seed}) …")
        generated = generate(options.seed, NATIONAL, clear=True, log=_log)["seconds"]
        found = find_dataset()
    else:
        _log("Den nationella datamängden finns redan; den återanvänds (--regenerate bygger om).")
    return {
        "seed": options.seed if generated is not None else "as generated earlier",
        "generated_seconds": generated,
        "generation_target_seconds": 300,
        "rows": counts(),
        **asdict(found),
    }


def _route_exists(path: str) -> bool:
    try:
        resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    return True


def measure_endpoint(
    session: Session, user: User, paths: list[str], repeat: int, budget: float
) -> dict:
    if not _route_exists(paths[0]):
        return not_available(f"{paths[0].split('?')[0]} finns inte (ännu)")
    status, _h, body, _ms = session.get(paths[0])
    if status != 200:
        return {
            "status": "error",
            "http_status": status,
            "body": body[:300].decode(errors="replace"),
        }
    result = {"status": "ok", "path": paths[0], **sequential(session, paths, repeat, budget)}
    counted = count_queries(paths[0], user)
    if counted.get("status") != 200:
        # Never a pass: without the page's own answer there is no count.
        result["queries_error"] = f"HTTP {counted.get('status')}"
    result["queries"] = counted.get("queries")
    result["queries_by_table"] = counted.get("by_table")
    result["_statements"] = counted.get("statements", [])
    return result


def _probe(options: Options, env: dict, *args: str) -> dict:
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "portfolio.bench.render_probe", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"status": "error", "reason": "renderingen tog mer än 900 s"}
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-3:]
        if any("ModuleNotFoundError" in line or "ImportError" in line for line in tail):
            return not_available(" ".join(tail))
        return {"status": "error", "reason": " ".join(tail)}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _report_portfolio() -> tuple[int, int]:
    """The largest portfolio: the board report names initiatives by exception, so its
    length is bounded (about 15–20 pages) and the largest portfolio is the worst case."""
    sizes = Portfolio.objects.annotate(n=Count("initiatives")).values_list("pk", "n")
    return max(sizes, key=lambda row: (row[1], -row[0]))


def _memo_initiative(portfolio_id: int) -> Initiative | None:
    """A förstudie in the largest portfolio with the most participants: a full G1 memo."""
    return (
        Initiative.objects.filter(portfolio_id=portfolio_id, stage=Stage.PRESTUDY)
        .annotate(
            n=Count(
                "participations", filter=Q(participations__status=ParticipationStatus.PARTICIPATING)
            )
        )
        .order_by("-n", "id")
        .first()
    )


def _uploads(port: int, portfolio_id: int) -> dict:
    coordinator = coordinator_of(portfolio_id)
    if coordinator is None:
        return not_available("ingen samordnare i den största portföljen")
    _log("Mäter uppladdningar: fientliga arbetsböcker mot en vanlig med 2 000 rader …")
    session = Session("127.0.0.1", port)
    try:
        session.login(reverse("login"), coordinator.username, BENCH_PASSWORD)
        return measure_uploads(session, portfolio_id)
    finally:
        session.close()


def run(options: Options) -> dict:
    options.artifacts.mkdir(parents=True, exist_ok=True)
    dataset = prepare_dataset(options)
    user = User.objects.get(pk=dataset["bench_user_id"])
    portfolio_id = dataset["largest_portfolio_id"]
    page_count = -(-dataset["largest_portfolio_size"] // 50)
    # Every page of the largest portfolio, in a scattered order; the floor uses the same.
    pages = [1 + (k * 37) % page_count for k in range(page_count)]
    list_paths = [f"/api/v1/initiatives/?portfolio={portfolio_id}&page={p}" for p in pages]
    export_paths = [f"/api/v1/initiatives/export/?program={dataset['export_program_id']}"]
    dashboard_paths = [f"/portfoljer/{portfolio_id}/"]
    measurements: dict = {}
    statements: dict = {}
    server_log = options.artifacts / "bench-gunicorn.log"
    # The machine is shared: a high load average means other work competed for the cores.
    load_before = os.getloadavg()
    with Server(options.redis_url, log=server_log) as server:
        _log(f"gunicorn (2 arbetare, produktion) lyssnar på 127.0.0.1:{server.port}")
        session = Session("127.0.0.1", server.port)
        session.login(reverse("login"), BENCH_USERNAME, BENCH_PASSWORD)
        for name, paths in (
            ("list", list_paths),
            ("export", export_paths),
            ("dashboard", dashboard_paths),
        ):
            _log(f"Mäter {name} …")
            result = measure_endpoint(session, user, paths, options.repeat, options.budget)
            statements[name] = result.pop("_statements", [])
            measurements[name] = result
        if measurements["dashboard"].get("status") == "ok":
            _log("Mäter dashboarden direkt efter en ändring, omväxlande med utan ändring …")
            cached, after, writes = after_write.measure(
                session, dashboard_paths[0], portfolio_id, rounds=options.rounds
            )
            measurements["dashboard_rounds"] = cached
            measurements["dashboard_after_write"] = after
            measurements["write"] = writes
        if measurements["export"].get("status") == "ok":
            _s, _h, body, _t = session.get(export_paths[0])
            measurements["export"]["rows"] = len(json.loads(body))
        if measurements["list"].get("status") == "ok":
            _log(f"Mäter list med {options.clients} samtidiga klienter i {options.seconds} s …")
            load = concurrent(
                "127.0.0.1",
                server.port,
                session.cookies,
                list_paths,
                options.clients,
                options.seconds,
            )
            measurements["list"]["concurrent"] = load
            measurements["list"]["requests_per_second"] = load["requests_per_second"]
        session.close()
        measurements["upload"] = _uploads(server.port, portfolio_id)
    _log("Mäter golvet i PostgreSQL …")
    floor = list_page_floor(portfolio_id, user.municipality_id, pages, options.repeat)
    measurements["floor"] = {"status": "ok", "what": "list page as one json_agg query", **floor}
    for name in ("list", "export", "dashboard"):
        if measurements[name].get("status") == "ok":
            measurements[name]["floor_ratio"] = round(
                measurements[name]["median_ms"] / floor["median_ms"], 1
            )
    _log("Mäter fördelning och avräkning …")
    measurements["economy"] = time_economy(parse_period(options.period))
    if options.skip_reports:
        measurements["board_report"] = not_available("hoppades över (--skip-reports)")
        measurements["decision_memo"] = not_available("hoppades över (--skip-reports)")
    else:
        env = production_env(options.redis_url)
        report_portfolio, size = _report_portfolio()
        # As at the half-year's end: the portfolio's figures are computed, not cached.
        portfolio_changed(report_portfolio)
        _log(f"Renderar portföljrapporten för en portfölj med {size} initiativ …")
        measurements["board_report"] = {
            "portfolio": report_portfolio,
            "initiatives": size,
            "period": options.period,
            **_probe(options, env, "board", str(report_portfolio), options.period),
        }
        memo = _memo_initiative(portfolio_id)
        _log("Renderar beslutsunderlaget …")
        measurements["decision_memo"] = (
            {
                "initiative": memo.pk,
                "gate": "G1",
                **_probe(options, env, "memo", str(memo.pk), "G1"),
            }
            if memo
            else not_available("inget initiativ i förstudie")
        )
    server_info = {
        "command": "gunicorn samverkan.wsgi:application --workers 2 (sync)",
        "env": "DJANGO_ENV=production, DEBUG off, PostgreSQL, Redis",
        "log": str(server_log),
    }
    server_info["load_average_before"] = load_before
    server_info["load_average_after"] = os.getloadavg()
    report = document(dataset, server_info, measurements)
    (options.artifacts / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (options.artifacts / "bench-queries.json").write_text(
        json.dumps(statements, indent=2, ensure_ascii=False)
    )
    return report
