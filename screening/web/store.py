"""The database for a request: opened once per app context on `g`, migrated at start-up."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, g
from sqlite_utils import Database

from ..storage import connection, counts, postgres
from ..storage.connection import DatabaseError

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Create or upgrade the database; if that fails the check still works, without counts. An
    SQLite too old to be safe stops start-up, unless the deployer allows it."""
    _check_servers(app.config)
    problem = None if postgres.is_url(app.config["DATABASE"]) else connection.sqlite_problem()
    if problem and not app.config["ALLOW_OLD_SQLITE"]:
        raise SystemExit(f"Cannot start: {problem}")
    try:
        connection.migrate(app.config["DATABASE"])
    except (OSError, *DatabaseError) as err:
        log.warning(
            "Database %s cannot be used (%s): the check works, but counts, clinician pages and "
            "sharing fail until it can.",
            postgres.shown(app.config["DATABASE"]),  # never its password
            err,
        )
    app.teardown_appcontext(_close)
    app.extensions["screening_sums"] = counts.ClosedSums()


def closed_sums() -> counts.ClosedSums:
    """This process's sums over closed periods (counts.ClosedSums): the statistics' memory."""
    return current_app.extensions["screening_sums"]


def _check_servers(config: Any) -> None:
    """Several app servers need one database and one count of tries: refuse to start with
    what each machine would keep to itself (an SQLite file, limits in memory)."""
    servers = int(config["SERVERS"])
    if servers <= 1:
        return
    if not postgres.is_url(config["DATABASE"]):
        raise SystemExit(
            f"SCREENING_SERVERS is {servers}, but SCREENING_DATABASE is an SQLite file, which "
            "each machine would keep apart. Set SCREENING_DATABASE to the shared PostgreSQL "
            "database, for example postgresql://screening:PASSWORD@db.internal/screening"
        )
    if str(config["RATELIMIT_STORAGE_URI"]).startswith("memory://"):
        raise SystemExit(
            f"SCREENING_SERVERS is {servers}, but rate limits are counted in memory, so each "
            "machine would allow the full number of tries. Set SCREENING_RATELIMIT_STORAGE_URI "
            "to the shared Redis, for example redis://cache.internal:6379/0"
        )


def db() -> Database:
    if "db" not in g:
        g.db = connection.connect(
            current_app.config["DATABASE"], current_app.config["DATABASE_POOL"]
        )
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
    except DatabaseError as err:
        log.warning("Could not count a %s check: %s", event, err)
