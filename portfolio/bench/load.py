"""Putting the generated dataset into the database, and finding it there again."""

import time
from dataclasses import dataclass

from django.db import connection, transaction

from accounts.models import User
from portfolio.models import Initiative, Portfolio, Program
from portfolio.selectors.portfolio_cache import portfolio_changed
from portfolio.services.status import latest_status_refresh

from .dataset import (
    BENCH_USERNAME,
    LARGEST_PREFIX,
    MODELS,
    NATIONAL,
    Reference,
    Scale,
    build_dataset,
)
from .tables import next_id, reset_sequence, write_rows


class NotABenchDatabaseError(RuntimeError):
    pass


@dataclass(frozen=True)
class Dataset:
    """The landmarks the measurements use."""

    largest_portfolio_id: int
    largest_portfolio_size: int
    export_program_id: int
    export_program_size: int
    bench_user_id: int


def wipe() -> None:
    """Empty everything the generator writes (PostgreSQL; a benchmark or test database only).

    Decisions refuse TRUNCATE (migration 0008); the benchmark database's superuser
    switches triggers off for the wipe alone, so immutable decisions go too.
    Municipalities, counties and populations from the migrations stay.
    """
    if connection.vendor != "postgresql":
        raise NotABenchDatabaseError("Benchmarkdata kan bara tömmas i PostgreSQL.")
    name = connection.settings_dict["NAME"]
    if "bench" not in name and not name.startswith("test_"):
        raise NotABenchDatabaseError(
            f"Databasen {name!r} heter inte något med 'bench'; den töms inte."
        )
    tables = {m._meta.db_table for m in MODELS}
    tables |= {"django_session", "django_admin_log"}
    quoted = ", ".join(connection.ops.quote_name(t) for t in sorted(tables))
    with connection.cursor() as cursor:
        # Inside a transaction, pending deferred foreign-key checks would block TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def generate(seed: int, scale: Scale = NATIONAL, *, clear: bool = False, log=None) -> dict:
    """Write the dataset; return seconds per table and in total."""
    started = time.perf_counter()
    timings = {}
    with transaction.atomic():
        if clear:
            wipe()
        first_ids = {model: next_id(model) for model in MODELS}
        tables = build_dataset(seed, scale, Reference.load(), first_ids)
        for table in tables:
            t0 = time.perf_counter()
            count = write_rows(table.model, table.columns, table.rows)
            name = table.model._meta.db_table
            timings[name] = {"rows": count, "seconds": round(time.perf_counter() - t0, 2)}
            if log:
                log(f"{name}: {count} rader på {timings[name]['seconds']} s")
        for model in MODELS:
            reset_sequence(model)
        latest_status_refresh(Initiative.objects.values("pk"))
        # Rows are written past the services: forget figures cached for the old dataset.
        for portfolio_id in Portfolio.objects.values_list("pk", flat=True):
            portfolio_changed(portfolio_id)
    if connection.vendor == "postgresql":
        # As autovacuum leaves a running database: statistics, and a visibility map that
        # lets counts read the index alone. VACUUM cannot run inside a transaction (tests).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return {"tables": timings, "seconds": round(time.perf_counter() - started, 1)}


def find_dataset() -> Dataset | None:
    """The generated dataset's landmarks, or None when there is none."""
    user = User.objects.filter(username=BENCH_USERNAME).first()
    portfolio = Portfolio.objects.filter(reference_prefix=LARGEST_PREFIX).first()
    if user is None or portfolio is None:
        return None
    program = Program.objects.filter(portfolio=portfolio).order_by("id").first()
    if program is None:
        return None
    return Dataset(
        largest_portfolio_id=portfolio.pk,
        largest_portfolio_size=Initiative.objects.filter(portfolio=portfolio).count(),
        export_program_id=program.pk,
        export_program_size=Initiative.objects.filter(program=program).count(),
        bench_user_id=user.pk,
    )


def counts() -> dict[str, int]:
    return {m._meta.db_table: m._default_manager.count() for m in MODELS}
