"""A statement every post runs, run on the driver's cursor.

SQLAlchemy's work around each statement (its compiled form found by a cache key, an execution context,
a result object, the ORM's layer for a session) cost a post more of the interpreter than the statements
themselves took in SQLite: ~0.1-0.3 ms each, a dozen of them. ``Plain`` compiles a Core statement once
per dialect (and, for an insert, per set of columns given), and runs it on the DBAPI cursor of the
caller's connection, in the caller's transaction: the values bound as the columns' own types bind them
(dates, JSON, booleans as SQLAlchemy writes them) and the rows read as they read them. What it does not
do: ``IN`` lists given at run time (a constant list is rendered once), Python-side defaults that need the
execution context (an insert's missing column with a plain value or a function of no arguments is filled
as SQLAlchemy fills it; any other missing column is an error here, not a silently different row), events
around cursor execution (none are used), and the ORM's listeners (as ``Connection.execute`` of a Core statement: none apply).
``web/fast_reads`` and ``services.thread_cache.Heads`` read the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.util import symbol as _Required  # a bind's "value required" marker
from sqlalchemy.orm import Session, make_transient_to_detached


class _Form:
    __slots__ = ("sql", "names", "binds", "fixed", "defaults", "keys", "results")

    def __init__(self, stmt, dialect, column_keys: Sequence[str] | None) -> None:
        compiled = stmt.compile(dialect=dialect, column_keys=list(column_keys) if column_keys is not None else None)
        if compiled._post_compile_expanded_state is None and any(b.expanding for b in compiled.bind_names):
            # a constant IN list (``kind.in_(BLOCKING)``) rendered once, one value per item, as SQLAlchemy
            # renders it at each execution
            compiled._process_parameters_for_postcompile(
                compiled.construct_params(escape_names=False, _no_postcompile=True, _check=False), _populate_self=True)
        self.sql = str(compiled)
        self.names = compiled.positiontup  # the order of the values (qmark: SQLite), or None (named: psycopg)
        self.binds = dict(compiled._bind_processors)  # name -> the column type's bind processor
        # values the statement carries itself (literals, a constant IN list's items)
        given = compiled.construct_params(_check=False)
        if compiled._post_compile_expanded_state is not None:
            given = compiled._post_compile_expanded_state.parameters
        self.fixed = {k: v for k, v in given.items() if v is not None and not isinstance(v, (list, tuple, _Required))}
        needed = set(self.names) if self.names is not None else set(given)
        self.defaults = []  # an insert's columns not given that have a Python-side default: made per row
        if column_keys is not None:
            table = stmt.table
            for name in sorted(needed - set(column_keys) - set(self.fixed)):
                default = table.c[name].default if name in table.c else None
                if default is None or not (default.is_scalar or default.is_callable):
                    raise ValueError(f"Plain insert into {table.name}: no value for {name}")
                self.defaults.append((name, default))
        columns = list(getattr(stmt, "exported_columns", None) or [])
        self.keys = [c.key for c in columns]
        self.results = [_reader(c.type, dialect) for c in columns]
        if not any(self.results):
            self.results = None

    def values(self, params: Mapping[str, Any]):
        binds = self.binds
        if self.fixed:
            params = {**self.fixed, **params}
        if self.defaults:  # as SQLAlchemy makes them: a value, or the function called (no context given)
            params = {**params, **{n: d.arg(None) if d.is_callable else d.arg for n, d in self.defaults}}
        if self.names is not None:
            return tuple(binds[n](params[n]) if n in binds else params[n] for n in self.names)
        return {n: (binds[n](v) if n in binds else v) for n, v in params.items()}

    def row(self, row: Sequence[Any] | None):
        if row is None or self.results is None:
            return row
        return tuple(f(v) if f else v for f, v in zip(self.results, row))


class Plain:
    """One statement, run without SQLAlchemy's per-statement work. ``inserts``: compiled per set of
    columns given (an INSERT names the columns it is given)."""

    def __init__(self, stmt, *, inserts: bool = False) -> None:
        self.stmt, self.inserts = stmt, inserts
        self._forms: dict[tuple, _Form] = {}

    def _form(self, dialect, params: Mapping[str, Any]) -> _Form:
        key = (dialect.name, tuple(params) if self.inserts else None)
        form = self._forms.get(key)
        if form is None:
            form = self._forms[key] = _Form(self.stmt, dialect, key[1])
        return form

    def first(self, conn: Connection | Session, params: Mapping[str, Any]) -> tuple | None:
        """The first row (its values read as the columns' types read them), or None."""
        conn = _connection(conn)
        form = self._form(conn.dialect, params)

        def fetch(cursor):
            cursor.execute(form.sql, form.values(params))
            return cursor.fetchone()

        return form.row(_execute(conn, form.sql, fetch))

    def all(self, conn: Connection | Session, params: Mapping[str, Any]) -> list[tuple]:
        """Every row (its values read as the columns' types read them)."""
        conn = _connection(conn)
        form = self._form(conn.dialect, params)

        def fetch(cursor):
            cursor.execute(form.sql, form.values(params))
            return cursor.fetchall()

        rows = _execute(conn, form.sql, fetch)
        return rows if form.results is None else [form.row(r) for r in rows]

    def scalar(self, conn: Connection | Session, params: Mapping[str, Any]) -> Any:
        row = self.first(conn, params)
        return None if row is None else row[0]

    def run(self, conn: Connection | Session, params: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> None:
        """Run for one set of values, or for each of a list (executemany), returning nothing."""
        conn = _connection(conn)
        many = not isinstance(params, Mapping)
        rows = list(params) if many else [params]
        if not rows:
            return
        form = self._form(conn.dialect, rows[0])
        if many:
            _execute(conn, form.sql, lambda cursor: cursor.executemany(form.sql, [form.values(r) for r in rows]))
        else:
            _execute(conn, form.sql, lambda cursor: cursor.execute(form.sql, form.values(rows[0])))

    def keys(self, conn: Connection | Session, params: Mapping[str, Any]) -> list[str]:
        """The names of the columns ``first`` returns (an insert's RETURNING)."""
        conn = _connection(conn)
        return self._form(conn.dialect, params).keys


class Loaded:
    """Rows of a few mapped classes in one statement (a log-in and its user, a story and its site), made
    into objects as if the session had loaded them: each class's columns in order, joined by
    ``select(*Loaded.columns(...))``; an outer join's missing row (all None) gives None."""

    def __init__(self, *classes) -> None:
        self.parts = []
        for cls in classes:
            mapper = inspect(cls)
            table = mapper.local_table
            self.parts.append((cls, mapper, [mapper.get_property_by_column(c).key for c in table.c],
                               [table.c.keys().index(c.key) for c in mapper.primary_key]))

    def columns(self) -> list:
        return [c for _, mapper, _, _ in self.parts for c in mapper.local_table.c]

    def objects(self, session: Session, row: Sequence[Any]) -> list:
        out, at = [], 0
        for cls, mapper, keys, pk in self.parts:
            values = row[at:at + len(keys)]
            at += len(keys)
            out.append(None if values[pk[0]] is None else adopt(session, cls, mapper, dict(zip(keys, values)),
                                                               tuple(values[i] for i in pk)))
        return out


def adopt(session: Session, cls, mapper, values: dict, pk: tuple):
    """The object with these column values in the session: the one it holds already (as it stands), or
    one made from them and added as loaded (no pending change, nothing to flush), as comments._insert does."""
    found = session.identity_map.get(mapper.identity_key_from_primary_key(pk))
    if found is not None:
        return found
    obj = mapper.class_manager.new_instance()  # as the ORM makes a loaded object: no constructor, no set events
    obj.__dict__.update(values)
    make_transient_to_detached(obj)
    session.add(obj)
    return obj


def _reader(type_, dialect):
    """The column type's result processor, as SQLAlchemy reads the column (None: the driver's value as is;
    so for a type whose reading depends on the driver's type code, which psycopg's numbers do not need)."""
    try:
        return type_.dialect_impl(dialect).result_processor(dialect, None)
    except TypeError:
        return None


def _execute(conn: Connection, sql: str, work):
    """``work(cursor)`` on a cursor of the connection's driver connection; the driver's errors raised as
    SQLAlchemy raises them (``sqlalchemy.exc.OperationalError`` for "database is locked", which the
    writers retry and the app answers 503; ``IntegrityError``; ...), a lost connection invalidated."""
    dbapi_conn = conn.connection.dbapi_connection
    cursor = dbapi_conn.cursor()
    try:
        return work(cursor)
    except conn.dialect.loaded_dbapi.Error as err:
        gone = conn.dialect.is_disconnect(err, dbapi_conn, cursor)
        if gone:
            conn.invalidate(err)
        raise DBAPIError.instance(sql, None, err, conn.dialect.loaded_dbapi.Error, connection_invalidated=gone,
                                  dialect=conn.dialect) from err
    finally:
        cursor.close()


def _connection(conn: Connection | Session) -> Connection:
    return conn.connection() if isinstance(conn, Session) else conn
