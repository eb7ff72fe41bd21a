"""Both databases for the tests: the embedded SQLite file, and PostgreSQL when one is running.

CI starts a throwaway PostgreSQL cluster and Redis (.ci/services) and sets
SCREENING_TEST_POSTGRESQL and SCREENING_TEST_REDIS; there a test that needs them must run, so a
missing server fails it. Elsewhere such a test is skipped, with the reason. Each PostgreSQL test
gets a database of its own, dropped after it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from screening.storage import postgres

BACKENDS = ("sqlite", "postgresql")
POSTGRESQL = os.environ.get("SCREENING_TEST_POSTGRESQL", "")
REDIS = os.environ.get("SCREENING_TEST_REDIS", "")
IN_CI = os.environ.get("CI") == "true"


def need(url: str, what: str) -> None:
    """Skip without the server (fail in CI, which must run every test)."""
    if not url:
        reason = f"no {what}: set SCREENING_TEST_{what.upper()} (CI starts one: .ci/services)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


@contextmanager
def database(kind: str, folder: Path, name: str = "test") -> Iterator[str]:
    """A new, empty database of this kind: a file path, or a PostgreSQL URL (dropped after)."""
    if kind == "sqlite":
        yield str(folder / f"{name}.sqlite3")
        return
    need(POSTGRESQL, "postgresql")
    dbname = f"test_{secrets.token_hex(6)}"
    with psycopg.connect(POSTGRESQL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {dbname}")
    try:
        yield _url(dbname)
    finally:
        postgres.close_pools()
        with psycopg.connect(POSTGRESQL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


def _url(dbname: str) -> str:
    """The server's URL with another database name."""
    params = conninfo_to_dict(POSTGRESQL) | {"dbname": dbname}
    user = params.pop("user", "")
    host, port = params.pop("host", "127.0.0.1"), params.pop("port", "5432")
    password = params.pop("password", None)
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    return f"postgresql://{auth}{host}:{port}/{params.pop('dbname')}"
