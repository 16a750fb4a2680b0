"""Rows written in bulk with PostgreSQL's COPY, for volumes where the ORM's INSERTs are the
slow part (`generate_articles` at a million articles). It writes what bulk_create would:
no save(), no signals, so the caller derives what save() would have (and checks it)."""

import functools

from django.db import models


class CopyTable:
    """The columns of `model` as COPY takes them from rows given as dicts by attribute name
    (an unsaved instance's __dict__ is one): the primary key only `with_pk`, `exclude`
    left out, auto_now and auto_now_add fields set to `now`, any other column a row leaves
    out set to the model's default (so columns a later migration adds come along)."""

    def __init__(self, model, connection, *, now, with_pk=False, exclude=(), table=None):
        self.table = table or model._meta.db_table
        blank = model()
        self.columns, self._fields = [], []
        for field in model._meta.concrete_fields:
            if (field.primary_key and not with_pk) or field.attname in exclude:
                continue
            auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            convert = None
            if isinstance(field, models.JSONField):
                convert = functools.partial(field.get_db_prep_save, connection=connection)
            elif isinstance(field, models.FileField):
                convert = str
            default = now if auto else getattr(blank, field.attname)
            if convert and default is not None:
                default = convert(default)
            self.columns.append(field.column)
            self._fields.append((field.attname, None if auto else convert, default, auto))

    def row(self, values: dict) -> tuple:
        return tuple(
            default
            if auto or name not in values
            else (convert(values[name]) if convert and values[name] is not None else values[name])
            for name, convert, default, auto in self._fields
        )

    def copy(self, cursor, rows) -> None:
        """COPY `rows` (dicts) into the table. `cursor`: a Django cursor on PostgreSQL
        (psycopg 3)."""
        copy_rows(cursor, self.table, self.columns, map(self.row, rows))


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    """COPY `rows` (tuples in the order of `columns`) into `table`."""
    names = ", ".join(f'"{column}"' for column in columns)
    with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def reserve_ids(cursor, model, count: int) -> list[int]:
    """`count` primary keys taken from `model`'s sequence, so that its rows and the rows
    pointing at them can be copied without reading anything back."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return [row[0] for row in cursor.fetchall()]
