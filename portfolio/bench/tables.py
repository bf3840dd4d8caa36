"""Writing generated rows straight into tables: COPY on PostgreSQL, executemany elsewhere.

Rows name their columns by model attribute (`initiative_id`, not `initiative`); any
column a table has that the rows leave out is filled from the field's Python default,
so a field another area adds later with a default does not break the generator.
"""

import datetime as dt
import io
import itertools
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection as default_connection
from django.db import models

CHUNK = 50_000


class MissingColumnError(ValueError):
    pass


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def _db_value(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _completed_columns(model: type[models.Model], columns: Sequence[str]):
    """The table's concrete columns: ours, then the defaults of those we leave out."""
    given = set(columns)
    extra_names, extra_values = [], []
    for field in model._meta.concrete_fields:
        if field.attname in given:
            continue
        if field.primary_key:
            raise MissingColumnError(f"{model.__name__}: rows must give the id")
        default = field.get_default()
        if default is None and not field.null:
            raise MissingColumnError(
                f"{model.__name__}.{field.attname} is NOT NULL and has no default; "
                "portfolio/bench/dataset.py must generate it"
            )
        extra_names.append(field.attname)
        extra_values.append(default)
    db_columns = [model._meta.get_field(name).column for name in columns]
    db_columns += [model._meta.get_field(name).column for name in extra_names]
    return db_columns, tuple(extra_values)


def write_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[tuple],
    connection=default_connection,
) -> int:
    """Insert rows and return how many; the id column is given, so children can refer to it."""
    db_columns, extra = _completed_columns(model, columns)
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in db_columns)
    written = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(itertools.islice(iterator, CHUNK)):
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                for row in chunk:
                    buffer.write("\t".join(_copy_text(v) for v in row + extra))
                    buffer.write("\n")
                buffer.seek(0)
                cursor.copy_expert(f"COPY {table} ({quoted}) FROM STDIN", buffer)
            else:
                marks = ", ".join(["%s"] * len(db_columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({quoted}) VALUES ({marks})",  # noqa: S608
                    [tuple(_db_value(v) for v in row + extra) for row in chunk],
                )
            written += len(chunk)
    return written


def reset_sequence(model: type[models.Model], connection=default_connection) -> None:
    """After inserting explicit ids, new rows made by the application must not collide."""
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the largest id inserted
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        largest = (
            f"SELECT MAX({connection.ops.quote_name(pk)}) FROM {connection.ops.quote_name(table)}"  # noqa: S608, E501
        )
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(({largest}), 0) + 1, false)",
            [table, pk],
        )


def next_id(model: type[models.Model], connection=default_connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(MAX({connection.ops.quote_name(model._meta.pk.column)}), 0) "  # noqa: S608
            f"FROM {connection.ops.quote_name(model._meta.db_table)}"
        )
        return cursor.fetchone()[0] + 1
