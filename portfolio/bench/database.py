"""The benchmark's own PostgreSQL database: created when missing, migrated, never shared."""

from django.conf import settings
from django.core.management import call_command
from django.db import connection


class BenchDatabaseError(RuntimeError):
    pass


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        raise BenchDatabaseError(
            "Benchmarken kräver PostgreSQL: sätt DATABASE_URL, till exempel "
            "postgres://postgres@127.0.0.1:5432/samverkan_bench"
        )
    if "bench" not in connection.settings_dict["NAME"]:
        raise BenchDatabaseError(
            "Databasnamnet måste innehålla 'bench': benchmarken skriver över dess data."
        )


def ensure_database(migrate: bool = True) -> None:
    """Create the database when it does not exist, then bring its schema up to date."""
    import psycopg2
    from psycopg2 import sql

    require_postgres()
    params = connection.get_connection_params()
    try:
        psycopg2.connect(**params).close()
    except psycopg2.OperationalError as error:
        if "does not exist" not in str(error):
            raise
        admin = psycopg2.connect(**{**params, "dbname": "postgres"})
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["dbname"])))
        admin.close()
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)


def database_url() -> str:
    """The URL the server subprocess gets: the same database this process uses."""
    db = settings.DATABASES["default"]
    auth = db["USER"] or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"
