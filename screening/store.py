"""The embedded SQLite database. It never holds answers: only anonymous daily counts for now."""

from __future__ import annotations

import datetime
import logging
import sqlite3
from pathlib import Path

from flask import Flask, current_app, g
from sqlite_utils import Database, Migrations

log = logging.getLogger(__name__)
migrations = Migrations("screening")


@migrations()
def create_daily_counts(db: Database) -> None:
    # How many checks were completed per day, mode and band: identifies nobody.
    db["daily_counts"].create(
        {"day": str, "mode": str, "band": str, "completed": int}, pk=("day", "mode", "band")
    )


def connect(path: str | Path) -> Database:
    """Open the database for this process: WAL, a busy timeout, and explicit transactions."""
    conn = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=5000")
    return Database(conn)


def migrate(path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
    try:
        migrations.apply(db)
    finally:
        db.close()


def init_app(app: Flask) -> None:
    """Create or upgrade the database; if that fails the check still works, without counts."""
    try:
        migrate(app.config["DATABASE"])
    except (OSError, sqlite3.Error) as err:
        log.warning("Database %s unavailable, counts are off: %s", app.config["DATABASE"], err)
    app.teardown_appcontext(_close)


def db() -> Database:
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def _close(_exc: BaseException | None) -> None:
    database = g.pop("db", None)
    if database is not None:
        database.close()


def count_completed(mode: str, band: str) -> None:
    """Add one to today's count of completed checks; a database fault never stops a result."""
    day = datetime.date.today().isoformat()
    conn = None
    try:
        conn = db().conn
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO daily_counts (day, mode, band, completed) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (day, mode, band) DO UPDATE SET completed = completed + 1",
            (day, mode, band),
        )
        conn.execute("COMMIT")
    except sqlite3.Error as err:
        if conn is not None and conn.in_transaction:
            conn.execute("ROLLBACK")
        log.warning("Could not count a completed check: %s", err)
