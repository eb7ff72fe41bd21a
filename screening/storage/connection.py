"""The database: opening and upgrading it (its steps are in migrations.py), write transactions
and backups.

It holds anonymous counts, clinicians, their links and shared results. Answers reach it only when
a respondent chooses to share them with a clinician. It is the embedded SQLite file (through
sqlite-utils) unless `SCREENING_DATABASE` is a `postgresql://` URL: then postgres.py, where all
that PostgreSQL does differently is kept. Each function here takes either.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.utils import sqlite3  # pysqlite3 when installed: the same module everywhere

from ..core.files import private_file, private_folder
from . import postgres
from .migrations import migrations

# What a storage function may raise, on either database: any fault, and a broken constraint.
DatabaseError = (sqlite3.Error, postgres.Error)
IntegrityError = (sqlite3.IntegrityError, postgres.IntegrityError)
# SQLite 3.7.0 to 3.51.2 can corrupt a WAL database that several processes write at once (the
# WAL-reset bug, fixed in 3.51.3): exactly this app's deployment with several workers.
MIN_SQLITE = (3, 51, 3)


def sqlite_problem() -> str | None:
    """Why the SQLite in use is unsafe for this app; None when it is current enough."""
    if sqlite3.sqlite_version_info >= MIN_SQLITE:
        return None
    return (
        f"SQLite {sqlite3.sqlite_version} is older than {'.'.join(map(str, MIN_SQLITE))} and can "
        "corrupt a database written by several workers at once. Install the app with its "
        "dependencies (pysqlite3 brings a current SQLite), or set SCREENING_ALLOW_OLD_SQLITE=true "
        "if only one process ever writes."
    )


def connect(path: str | Path, pool_size: int | None = None) -> Database | postgres.Database:
    """Open the database for this process: WAL, a busy timeout, and explicit transactions.

    The file is created 0600 first; SQLite gives its -wal and -shm files the database's mode.
    A PostgreSQL URL gives a connection from this process's pool of `pool_size` (or, without
    one, a connection of its own: the command line).
    """
    if postgres.is_url(path):
        return postgres.connect(str(path), pool_size)
    if str(path) != ":memory:" and not Path(path).exists():
        try:
            private_file(Path(path))
        except OSError as err:  # as sqlite3 would have failed: callers handle sqlite3 errors
            raise sqlite3.OperationalError(f"unable to open database file ({err})") from err
    conn = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=5000")
    return Database(conn)


def migrate(path: str | Path) -> None:
    """Create or upgrade the database (in a private folder if it has to make one)."""
    if postgres.is_url(path):
        postgres.migrate(str(path))
        return
    private_folder(Path(path).parent)
    private_file(Path(path))  # tightens one made before files were private
    for companion in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if companion.exists():
            companion.chmod(0o600)
    db = connect(path)
    try:
        migrations.apply(db)
    finally:
        db.close()


def backup(source: str | Path, target: str | Path) -> dict[str, int]:
    """Write a consistent copy with VACUUM INTO, check it, and return its tables' row counts
    (PostgreSQL: pg_dump's custom format, checked by pg_restore --list)."""
    target = Path(target)
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    if postgres.is_url(source):
        return postgres.backup(str(source), target)
    private_file(target)  # VACUUM INTO fills an empty file, and keeps its mode
    database = connect(source)
    try:
        database.execute("VACUUM INTO ?", [str(target)])
    finally:
        database.close()
    copy = sqlite3.connect(target)
    try:
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise sqlite3.DatabaseError(f"the copy at {target} failed its check: {verdict}")
        tables = [r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: copy.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        copy.close()


@contextmanager
def writing(database: Database) -> Iterator[Database]:
    """A write transaction that takes the lock up front, so concurrent writers wait, not fail
    (PostgreSQL: the advisory lock, in `postgres.Database.writing`)."""
    if isinstance(database, postgres.Database):
        with database.writing():
            yield database
        return
    database.conn.execute("BEGIN IMMEDIATE")
    try:
        yield database
    except BaseException:
        database.conn.execute("ROLLBACK")
        raise
    database.conn.execute("COMMIT")


def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
