"""Writing thousands of new rows at once, for imports.

Django's `bulk_create` builds its SQL value by value through the ORM, which is most of the cost
of a 10,000-row return. `insert_rows` sends one prepared INSERT with `executemany`, each value
prepared by its own field (so Decimals, dates and foreign keys are stored exactly as the ORM
would store them, on SQLite and PostgreSQL alike), then writes the rows' history.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` (field name → value; foreign keys by their `…_id` value) into `model`.

    Every row gives the same fields. No signals are sent and no history is written: callers
    write history with `nct_monitor.audit.record_history_in_bulk`.
    """
    if not rows:
        return
    names = list(rows[0])
    fields = [model._meta.get_field(name.removesuffix("_id")) for name in names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)  # type: ignore[union-attr]
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    params = [
        [
            field.get_db_prep_save(row[name], connection)  # type: ignore[union-attr]
            for name, field in zip(names, fields, strict=True)
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
