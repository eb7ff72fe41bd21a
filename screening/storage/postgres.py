"""PostgreSQL, for a service that runs several app servers: the same storage functions as on
SQLite, through psycopg 3 and a connection pool per process.

Everything that differs from SQLite lives here: the schema (postgres_schema.py) and its
migrations, applied once under an advisory lock however many servers start at once; the write
lock; placeholders; and the few table operations of sqlite-utils that the storage functions use
(`rows_where`, `insert`, `update`, `upsert`, `delete`, `get`, `count_where`), so that `records`,
`shares`, `counts` and the rest run unchanged on either. Text is compared byte by byte
(COLLATE "C"), as SQLite does, so ISO dates and times order the same on both.
"""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import psycopg_pool
import sqlite_utils.db
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row

from ..core.files import private_file
from .postgres_schema import MIGRATIONS

SCHEMES = ("postgresql://", "postgres://")
LOCK = 0x5C4EE7  # the advisory lock: migrations at start-up, and every write transaction
NAME = re.compile(r"[a-z_][a-z0-9_]*")
PKS = {  # each table's primary key, for update, delete and get by key
    "clinicians": "id",
    "links": "id",
    "shares": "id",
    "access_log": "id",
    "recovery_codes": "id",
    "sign_in_failures": "email_digest",
}
IntegrityError = psycopg.IntegrityError
Error = psycopg.Error


def is_url(target: object) -> bool:
    return str(target).startswith(SCHEMES)


def shown(target: object) -> str:
    """A database to name in a message: a URL without its password."""
    text = str(target)
    if not is_url(text):
        return text
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", text)


@functools.cache
def _placeholders(sql: str) -> str:
    """SQLite's `?` as psycopg's `%s` (a literal % doubled): the storage's SQL is written once."""
    return sql.replace("%", "%%").replace("?", "%s")


def _name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise ValueError(f"not a plain table or column name: {name!r}")
    return name


class NotFoundError(sqlite_utils.db.NotFoundError):
    """No row has that key: sqlite-utils' own error, so one `except` serves both."""


class Database:
    """One pooled connection, used as the storage functions use a sqlite-utils `Database`."""

    def __init__(self, conn: psycopg.Connection, release=None) -> None:
        self.conn = conn
        self._release = release

    def execute(self, sql: str, params: Iterable[Any] = ()) -> psycopg.Cursor:
        return self.conn.execute(_placeholders(sql), list(params))

    def query(self, sql: str, params: Iterable[Any] = ()) -> Iterator[dict]:
        with self.conn.cursor(row_factory=dict_row) as cursor:
            return iter(cursor.execute(_placeholders(sql), list(params)).fetchall())

    def __getitem__(self, table: str) -> Table:
        return Table(self, _name(table))

    @contextmanager
    def writing(self) -> Iterator[Database]:
        """A write transaction that waits for the others first, as SQLite's BEGIN IMMEDIATE
        does: check-then-insert (a nonce spent, a code free) holds across app servers."""
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
            yield self

    def close(self) -> None:
        if self._release is not None:
            self._release(self.conn)
            self._release = None
        elif not self.conn.closed:
            self.conn.close()


class Table:
    """The table operations of sqlite-utils that the storage functions use, no more."""

    def __init__(self, db: Database, name: str) -> None:
        self.db, self.name = db, name
        self.last_pk: Any = None

    @property
    def pk(self) -> str:
        return PKS[self.name]

    @property
    def rows(self) -> Iterator[dict]:
        return self.rows_where()

    def rows_where(
        self,
        where: str | None = None,
        where_args: Iterable[Any] = (),
        order_by: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> Iterator[dict]:
        sql = f"SELECT * FROM {self.name}"
        if where:
            sql += f" WHERE {where}"
        if order_by:
            sql += f" ORDER BY {order_by}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        if offset:
            sql += f" OFFSET {int(offset)}"
        return self.db.query(sql, where_args or ())

    def count_where(self, where: str | None = None, where_args: Iterable[Any] = ()) -> int:
        sql = f"SELECT count(*) FROM {self.name}" + (f" WHERE {where}" if where else "")
        return self.db.execute(sql, where_args or ()).fetchone()[0]

    def get(self, key: Any) -> dict:
        found = next(self.rows_where(f"{self.pk} = ?", [key]), None)
        if found is None:
            raise NotFoundError(f"{self.name}: no row {key!r}")
        return found

    def insert(self, row: dict) -> Table:
        columns = [_name(c) for c in row]
        sql = (
            f"INSERT INTO {self.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})"
        )
        if self.name in PKS:
            sql += f" RETURNING {self.pk}"
        cursor = self.db.execute(sql, row.values())
        self.last_pk = cursor.fetchone()[0] if self.name in PKS else None
        return self

    def insert_all(self, rows: Iterable[dict], batch_size: int = 100) -> Table:
        for row in rows:
            self.insert(row)
        return self

    def upsert(self, row: dict, pk: str) -> Table:
        columns = [_name(c) for c in row]
        changes = ", ".join(f"{c} = excluded.{c}" for c in columns if c != pk)
        self.db.execute(
            f"INSERT INTO {self.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT ({_name(pk)}) DO UPDATE SET {changes}",
            row.values(),
        )
        self.last_pk = row[pk]
        return self

    def update(self, key: Any, changes: dict) -> Table:
        self.get(key)  # as sqlite-utils: a missing row is an error, not a silent no-op
        sets = ", ".join(f"{_name(c)} = ?" for c in changes)
        self.db.execute(
            f"UPDATE {self.name} SET {sets} WHERE {self.pk} = ?", [*changes.values(), key]
        )
        self.last_pk = key
        return self

    def delete(self, key: Any) -> Table:
        self.get(key)
        self.db.execute(f"DELETE FROM {self.name} WHERE {self.pk} = ?", [key])
        return self


_pools: dict[tuple[str, int], psycopg_pool.ConnectionPool] = {}
_pools_lock = threading.Lock()


def _pool(url: str, size: int) -> psycopg_pool.ConnectionPool:
    """This process's pool for a database (made on first use: after a server forks its
    workers, so no connection is shared between processes)."""
    with _pools_lock:
        pool = _pools.get((url, size))
        if pool is None:
            pool = psycopg_pool.ConnectionPool(
                url, min_size=1, max_size=size, kwargs={"autocommit": True}, open=True
            )
            _pools[url, size] = pool
        return pool


def connect(url: str, pool_size: int | None = None) -> Database:
    """A connection from this process's pool (or, without a size, a connection of its own:
    the command line), in autocommit: writes go through `Database.writing`."""
    if pool_size is None:
        return Database(psycopg.connect(url, autocommit=True))
    pool = _pool(url, pool_size)
    return Database(pool.getconn(), pool.putconn)


@atexit.register
def close_pools() -> None:
    """Close every pool of this process (at exit, and between tests)."""
    with _pools_lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()


def migrate(url: str) -> list[str]:
    """Bring the schema up to date, once however many servers start at once: each waits for
    the advisory lock and then finds the steps already applied. Return the steps applied."""
    applied = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [LOCK])
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at "
                "TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
            for name, sql in MIGRATIONS:
                if name in done:
                    continue
                with conn.transaction():
                    conn.execute(sql)
                    conn.execute("INSERT INTO _migrations (name) VALUES (%s)", [name])
                applied.append(name)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [LOCK])
    return applied


def backup(url: str, target: Path) -> dict[str, int]:
    """Dump the database with pg_dump (custom format, private file), check the dump reads back
    with pg_restore --list, and return the tables' row counts at the time. The password goes
    to pg_dump in its environment, never on its command line."""
    tools = {name: shutil.which(name) for name in ("pg_dump", "pg_restore")}
    if not all(tools.values()):
        raise FileNotFoundError(
            "pg_dump and pg_restore are not installed here. Install PostgreSQL's client tools "
            "(Debian: postgresql-client, of the server's major version or newer), or run "
            f"pg_dump --format=custom --file={target} on a machine that has them."
        )
    params = conninfo_to_dict(url)
    env = os.environ | ({"PGPASSWORD": params.pop("password")} if "password" in params else {})
    private_file(target)
    for command in (
        [tools["pg_dump"], "--format=custom", "--no-owner", f"--file={target}",
         f"--dbname={make_conninfo(**params)}"],
        [tools["pg_restore"], "--list", str(target)],
    ):  # fmt: skip
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            target.unlink(missing_ok=True)
            raise RuntimeError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")
    with psycopg.connect(url) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        ]
        return {n: conn.execute(f"SELECT count(*) FROM {_name(n)}").fetchone()[0] for n in names}
