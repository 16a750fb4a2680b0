"""Querysets whose SQL is built once per database connection, then run with new values.

For a lookup a page makes on every request (the article by its address), building the
queryset and compiling it to SQL costs more Python than running the statement. A
PreparedQuery builds its queryset once per connection with stand-in values, keeps the
statement and how its rows become instances (as the ORM's own ModelIterable makes them,
related rows of select_related() and annotations included), and runs that statement with
each call's values where the stand-ins were. The queryset is still the ORM's: the filters,
the visibility rule, the columns read are written once, in the function that builds it.
"""

import datetime
from collections.abc import Callable, Hashable

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Model, Prefetch, QuerySet
from django.db.models.fields.related_descriptors import (
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
    _filter_prefetch_queryset,
)
from django.db.models.query import get_prefetcher, get_related_populators

from core.parts import part

# A stand-in for a time (a publication time, now): no stored time is this one.
STAND_IN_TIME = datetime.datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)


class _BuiltOnce:
    """What a statement built once is made from: `build(**values)`, a queryset of `model`;
    `shape()`, what else the built queryset depends on; a stand-in for each value."""

    def __init__(
        self,
        model: type[Model],
        build: Callable[..., QuerySet],
        *,
        shape: Callable[[], Hashable] = lambda: None,
        **stand_ins,
    ):
        self.model, self.build, self.shape, self.stand_ins = model, build, shape, stand_ins


class PreparedQuery(_BuiltOnce):
    """`build(**values)`, a queryset of `model`, compiled once per connection (and per
    `shape()`: what else the built queryset depends on), with `stand_ins` for the values.

    Each stand-in must be of the type the real values have (a string, an integer or an
    aware datetime) and unlike every other parameter of the statement: its places in the
    statement's parameters are found by comparing them with it. A StandInList stands for a
    list of integers (`pk__in=...`): the statement is built once for each length of it."""

    def all(self, **values) -> list:
        """The rows of `build(**values)`, in its order and within its slice."""
        return self._run("all", values)

    def get(self, **values):
        """The one row for `values`, as `build(**values).get()` gives it: the model's
        DoesNotExist when there is none, MultipleObjectsReturned when there are more."""
        rows = self._run("get", values)
        if not rows:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        if len(rows) > 1:
            raise self.model.MultipleObjectsReturned(
                f"get() returned more than one {self.model._meta.object_name}."
            )
        return rows[0]

    def _run(self, kind: str, values: dict) -> list:
        return self._statement_for(kind, values).run(_flat(values))

    def _statement_for(self, kind: str, values: dict) -> "_Statement":
        if values.keys() != self.stand_ins.keys():
            raise TypeError(f"A value for each of {sorted(self.stand_ins)}, not {sorted(values)}")
        connection = connections[router.db_for_read(self.model)]
        # Kept on the connection: a compiler belongs to the connection (and so the thread)
        # it was made for.
        kept = connection.__dict__.setdefault("prepared_statements", {})
        lengths = tuple(
            len(values[name])
            for name, stand_in in self.stand_ins.items()
            if isinstance(stand_in, StandInList)
        )
        key = (id(self), kind, lengths, self.shape())
        if (statement := kept.get(key)) is None:
            stand_ins = {
                name: stand_in.of_length(len(values[name]))
                if isinstance(stand_in, StandInList)
                else stand_in
                for name, stand_in in self.stand_ins.items()
            }
            queryset = self.build(**stand_ins)
            if kind == "get":
                queryset = queryset.order_by()[:2]  # as get() reads: no order, two rows at most
            statement = kept[key] = _Statement(queryset, connection, _flat(stand_ins))
        return statement


class PreparedPrefetch:
    """`prefetch_related_objects([instance], lookup)` for one instance of `model`, its
    statement built once per connection: the very queryset the relation's manager gives
    the ORM's prefetch (the same SQL, so the same rows in the same order), run with the
    instance's primary key and kept as the relation's prefetched rows. `lookup` is a
    relation's name or a Prefetch of one (no nesting, no to_attr)."""

    def __init__(self, model: type[Model], lookup: str | Prefetch):
        self.lookup = lookup if isinstance(lookup, Prefetch) else Prefetch(lookup)
        self.name = self.lookup.prefetch_through
        if "__" in self.name or self.lookup.to_attr:
            raise ImproperlyConfigured(f"{self.name!r}: a relation of the model itself")
        descriptor = getattr(model, self.name)
        # A reverse foreign key's rows point back to the instance: the ORM caches it on them.
        self.back = (
            descriptor.field.name
            if isinstance(descriptor, ReverseManyToOneDescriptor)
            and not isinstance(descriptor, ManyToManyDescriptor)
            else None
        )
        self.query = PreparedQuery(model, self._build, pk=-1_000_003)

    def _build(self, pk):
        querysets = None if self.lookup.queryset is None else [self.lookup.queryset]
        instance = self.query.model(pk=pk)
        if self.back:
            # A reverse foreign key's prefetcher reads its rows as it builds them (to point
            # each back at its instance): the stand-in's statement would be sent. Its same
            # steps, without reading.
            manager = getattr(instance, self.name)
            queryset = querysets[0] if querysets else super(type(manager), manager).get_queryset()
            queryset._add_hints(instance=instance)
            queryset = queryset.using(queryset._db or manager._db)
            return _filter_prefetch_queryset(queryset, self.back, [instance])
        # The prefetcher the ORM's prefetch_related_objects() would ask.
        prefetcher = get_prefetcher(instance, self.name, self.name)[0]
        return prefetcher.get_prefetch_querysets([instance], querysets)[0]

    def __call__(self, instance: Model) -> None:
        cache_name = self.lookup.get_current_to_attr(0)[0]
        if cache_name in getattr(instance, "_prefetched_objects_cache", {}):
            return  # read already, as prefetch_related_objects() leaves it
        statement = self.query._statement_for("all", {"pk": instance.pk})
        rows = statement.run({"pk": instance.pk})
        if self.back:
            for row in rows:
                setattr(row, self.back, instance)
        manager = getattr(instance, self.name)
        if self.lookup.queryset is not None:
            queryset = manager._apply_rel_filters(self.lookup.queryset)
        else:
            queryset = manager.get_queryset()
        queryset._result_cache, queryset._prefetch_done = rows, True
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = queryset


class StandInList:
    """The stand-in for a list of integers of any length but zero (an IN over primary
    keys): `first`, `first - 1`, ... as many as the list has, each unlike every other
    parameter of the statement (negative ones are no primary key)."""

    def __init__(self, first: int):
        self.first = first

    def of_length(self, length: int) -> list[int]:
        if length < 1:
            raise ValueError("A prepared list has at least one value.")
        return [self.first - i for i in range(length)]


def _flat(values: dict) -> dict:
    """`values` with each list's items as values of their own ("tags", 0), ("tags", 1)..."""
    flat = {}
    for name, value in values.items():
        if isinstance(value, list | tuple):
            flat.update(((name, i), item) for i, item in enumerate(value))
        else:
            flat[name] = value
    return flat


def _db_value(value, connection):
    """`value` as Django hands it to the database driver for a field of its type."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, str | int):
        return value
    raise TypeError(f"A prepared query takes strings, integers and datetimes, not {value!r}")


def _places(params: list, stand_ins: dict, connection) -> dict[object, list[int]]:
    """Where each stand-in's value is among a compiled statement's `params`."""
    places = {}
    for name, stand_in in stand_ins.items():
        db_value = _db_value(stand_in, connection)
        places[name] = [i for i, param in enumerate(params) if param == db_value]
        if not places[name]:
            raise ImproperlyConfigured(f"The stand-in for {name!r} is not in the statement.")
    return places


def _with_values(params: list, places: dict, values: dict, connection) -> list:
    """`params` with each of `values` where its stand-in was."""
    params = list(params)
    for name, value in values.items():
        db_value = _db_value(value, connection)
        for place in places[name]:
            params[place] = db_value
    return params


class _Statement:
    """A compiled queryset: its SQL, where each value goes in its parameters, and how a
    row becomes an instance."""

    def __init__(self, queryset: QuerySet, connection, stand_ins: dict):
        self.connection, self.alias = connection, connection.alias
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.places = _places(self.params, stand_ins, connection)
        # What ModelIterable reads from the compiler once the statement is compiled.
        self.compiler = compiler
        select, klass_info = compiler.select, compiler.klass_info
        self.converters = compiler.get_converters([s[0] for s in select[: compiler.col_count]])
        fields = klass_info["select_fields"]
        self.model_fields = slice(fields[0], fields[-1] + 1)
        self.init_list = [f[0].target.attname for f in select[self.model_fields]]
        self.related_populators = get_related_populators(klass_info, select, self.alias)
        self.annotation_col_map = compiler.annotation_col_map
        self.model = klass_info["model"]

    def run(self, values: dict) -> list:
        params = _with_values(self.params, self.places, values, self.connection)
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        return [self._instance(row) for row in rows]

    def _instance(self, row):
        obj = self.model.from_db(self.alias, self.init_list, row[self.model_fields])
        for populator in self.related_populators:
            populator.populate(row, obj)
        for name, position in (self.annotation_col_map or {}).items():
            setattr(obj, name, row[position])
        return obj


class PreparedListing:
    """A PreparedQuery of a listing with optional columns (core.parts.OptionalColumnsQuerySet:
    counts and flags over other tables), read as a page part as the queryset itself is: when
    such a table is locked past the brief wait, the rows are read by a second statement,
    compiled once too, with those columns as None (and the page is marked incomplete)."""

    def __init__(
        self,
        model: type[Model],
        build: Callable[..., QuerySet],
        *,
        shape: Callable[[], Hashable] = lambda: None,
        **stand_ins,
    ):
        self.whole = PreparedQuery(model, build, shape=shape, **stand_ins)
        self.without = PreparedQuery(
            model,
            lambda **values: build(**values)._without_optional_columns(),
            shape=shape,
            **stand_ins,
        )

    def all(self, **values) -> list:
        """The rows of `build(**values)`, in its order and within its slice."""
        return part(lambda: self.whole.all(**values), missing=lambda: self.without.all(**values))


class PreparedSQL(_BuiltOnce):
    """The SQL and parameters of `build(**values)`, compiled once per connection (and per
    `shape()`) with `stand_ins` for the values, as PreparedQuery compiles a queryset's: for
    a statement that reads a queryset as part of a larger one (PreparedCount)."""

    def sql_with_params(self, **values) -> tuple[str, list]:
        """`build(**values)`'s SQL and its parameters, `values` in them, for the database
        the model is read from (its alias: `self.db`)."""
        if values.keys() != self.stand_ins.keys():
            raise TypeError(f"A value for each of {sorted(self.stand_ins)}, not {sorted(values)}")
        connection = connections[self.db]
        kept = connection.__dict__.setdefault("prepared_statements", {})
        key = (id(self), "sql", self.shape())
        if (statement := kept.get(key)) is None:
            query = self.build(**self.stand_ins).query
            sql, params = query.get_compiler(connection=connection).as_sql()
            params = list(params)
            statement = kept[key] = (sql, params, _places(params, self.stand_ins, connection))
        sql, params, places = statement
        return sql, _with_values(params, places, values, connection)

    @property
    def db(self) -> str:
        return router.db_for_read(self.model)


class PreparedCount:
    """`build(**values).count()`, its statement built once per connection (and per
    `shape()`) with `stand_ins` for the values (PreparedSQL): the rows of the built
    queryset, its slice included, counted."""

    def __init__(
        self,
        model: type[Model],
        build: Callable[..., QuerySet],
        *,
        shape: Callable[[], Hashable] = lambda: None,
        **stand_ins,
    ):
        self.counted = PreparedSQL(model, build, shape=shape, **stand_ins)

    def count(self, **values) -> int:
        """How many rows `build(**values)` has."""
        sql, params = self.counted.sql_with_params(**values)
        with connections[self.counted.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) counted", params)
            return cursor.fetchone()[0]
