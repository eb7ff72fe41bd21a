"""The database for a request: opened once per app context on `g`, migrated at start-up."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g
from sqlite_utils import Database

from ..storage import connection, counts
from ..storage.connection import sqlite3

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Create or upgrade the database; if that fails the check still works, without counts. An
    SQLite too old to be safe stops start-up, unless the deployer allows it."""
    problem = connection.sqlite_problem()
    if problem and not app.config["ALLOW_OLD_SQLITE"]:
        raise SystemExit(f"Cannot start: {problem}")
    try:
        connection.migrate(app.config["DATABASE"])
    except (OSError, sqlite3.Error) as err:
        log.warning(
            "Database %s cannot be used (%s): the check works, but counts, clinician pages and "
            "sharing fail until it can.",
            app.config["DATABASE"],
            err,
        )
    app.teardown_appcontext(_close)
    app.extensions["screening_sums"] = counts.ClosedSums()


def closed_sums() -> counts.ClosedSums:
    """This process's sums over closed periods (counts.ClosedSums): the statistics' memory."""
    return current_app.extensions["screening_sums"]


def db() -> Database:
    if "db" not in g:
        g.db = connection.connect(current_app.config["DATABASE"])
    return g.db


def _close(_exc: BaseException | None) -> None:
    database = g.pop("db", None)
    if database is not None:
        database.close()


def count(event: str, nonce: str | None = None, **where) -> None:
    """Count an event (once per check where a nonce is given: however often it is posted); a
    database fault never stops a page."""
    try:
        counts.tally(db(), event, nonce, **where)
    except sqlite3.Error as err:
        log.warning("Could not count a %s check: %s", event, err)
