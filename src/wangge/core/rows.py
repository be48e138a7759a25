"""Plain SQL for what runs hundreds of times a second (a case report: its token, its duplicate
search, the case, its first transition, their audit rows).

`insert` sends the INSERT that `Model.save` would send, but its text is built once per model
instead of being compiled on every call, and the new ids come back with RETURNING (PostgreSQL
and SQLite alike) in the same round trip. Values go through each field's own `pre_save` and
`get_db_prep_save`, as in a save (skipped where a value is already what the database takes).
No model signals are sent: the caller writes what they would have written (the audit rows:
`accounts.audit_writes.audit_created`).

`cursor` is the database driver's own cursor on PostgreSQL, for these and the other written-out
statements of a report: Django's cursor wrapper cost a report's dozen round trips more than a
tenth of their time. Errors still come out as Django's; Django's debug log of queries does not
see them.

`select` reads whole rows of a model from a written-out query into instances, converting each
column as the ORM does (SQLite's times made aware, and so on), without the per-query work of
`Model.objects.raw`.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache

from django.db import connection, models
from django.db.models import Model

_quote = connection.ops.quote_name


@contextmanager
def cursor() -> Iterator:
    """A cursor for written-out SQL with %s placeholders: psycopg's own on PostgreSQL, Django's
    elsewhere (SQLite's driver takes other placeholders, which Django's cursor translates)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as wrapped:
            yield wrapped
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.cursor() as raw:
        yield raw


# Fields whose database value is the Python value itself when that is already of the field's
# own plain type: their save-time preparation is skipped for such values. Exact classes only: a
# subclass (an encrypted field, say) may prepare its values otherwise.
_PLAIN = {
    models.CharField: str, models.SlugField: str, models.TextField: str, models.FloatField: float, models.BooleanField: bool,
    models.IntegerField: int, models.PositiveSmallIntegerField: int, models.PositiveIntegerField: int,
    models.SmallIntegerField: int, models.BigIntegerField: int, models.ForeignKey: int,
}


@cache
def _statement(model: type[Model], skip_conflicts: bool, durable: bool) -> tuple[str, str, str, list]:
    """(head, one row's placeholders, tail, [(field, its plain type or None)]) of the model's INSERT."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    head = f"INSERT INTO {_quote(meta.db_table)} ({', '.join(_quote(f.column) for f in fields)}) "
    values = ", ".join(["%s"] * len(fields))
    if durable or connection.vendor != "postgresql":
        head, row = head + "VALUES ", f"({values})"
    else:  # one row, whose transaction commits without waiting for the disk
        head, row = head + "SELECT ", f"{values} FROM (SELECT set_config('synchronous_commit', 'off', true)) AS quick"
    tail = (" ON CONFLICT DO NOTHING" if skip_conflicts else "") + f" RETURNING {_quote(meta.pk.column)}"
    return head, row, tail, [(f, _PLAIN.get(type(f))) for f in fields]


def _prepared(field, plain, obj):
    value = field.pre_save(obj, True)
    if value is None or (plain is not None and type(value) is plain):
        return value
    return field.get_db_prep_save(value, connection)


def insert(objs: Sequence[Model], *, skip_conflicts: bool = False, durable: bool = True) -> int:
    """Insert `objs` (all of one model, primary keys not set) and set their primary keys;
    returns how many were inserted. With `skip_conflicts` (one object only) a row that would
    break a unique constraint is not inserted: 0 is returned and the primary key stays None.

    `durable=False` (one object): on PostgreSQL, outside a transaction, the insert's own commit
    does not wait for the disk (synchronous_commit off for it). Only for a row whose loss in a
    crash is harmless; the next durable commit on the server writes it to disk with its own.
    Inside a transaction it is ignored: the setting would hold for the whole transaction."""
    if not objs:
        return 0
    if (skip_conflicts or not durable) and len(objs) != 1:
        raise ValueError("skip_conflicts 与 durable=False 只用于单行插入")
    durable = durable or connection.in_atomic_block
    head, row, tail, fields = _statement(type(objs[0]), skip_conflicts, durable)
    params = [_prepared(f, plain, obj) for obj in objs for f, plain in fields]
    with cursor() as db:
        db.execute(head + ", ".join([row] * len(objs)) + tail, params)
        ids = [found[0] for found in db.fetchall()]
    for obj, pk in zip(objs, ids, strict=False):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    return len(ids)


@cache
def _reading(model: type[Model], names: tuple[str, ...] | None) -> tuple[list[str], list[tuple]]:
    """(attnames, [(column, converters)]) of the model's concrete fields (those named), in order."""
    fields = [f for f in model._meta.concrete_fields if names is None or f.attname in names]
    readers = []
    for f in fields:
        column = f.get_col(model._meta.db_table)
        readers.append((column, connection.ops.get_db_converters(column) + f.get_db_converters(connection)))
    return [f.attname for f in fields], readers


def columns(model: type[Model], alias: str, names: tuple[str, ...] | None = None) -> str:
    """The model's columns (those named: the others are left deferred), for the SELECT list of
    a query that `select` runs with the same `names`."""
    return ", ".join(f"{alias}.{_quote(f.column)}" for f in model._meta.concrete_fields if names is None or f.attname in names)


def select(model: type[Model], sql: str, params: Sequence, names: tuple[str, ...] | None = None) -> list[tuple[Model, tuple]]:
    """Run `sql`, whose SELECT list is `columns(model, ..., names)` followed by any columns of
    its own; returns (instance, the row's own columns) for each row."""
    names, readers = _reading(model, names)
    with cursor() as db:
        db.execute(sql, params)
        found = db.fetchall()
    made = []
    for row in found:
        values = list(row[: len(readers)])
        for i, (column, converters) in enumerate(readers):
            for convert in converters:
                values[i] = convert(values[i], column, connection)
        made.append((model.from_db(connection.alias, names, values), tuple(row[len(readers):])))
    return made
