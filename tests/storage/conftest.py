"""The storage tests run on both databases: SQLite, and PostgreSQL where one is running."""

from __future__ import annotations

import backends
import pytest

from screening.storage import connection


@pytest.fixture(params=backends.BACKENDS)
def target(request, tmp_path):
    """A new database of each kind, migrated: its path or URL."""
    with backends.database(request.param, tmp_path) as found:
        connection.migrate(found)
        yield found


@pytest.fixture
def db(target):
    database = connection.connect(target)
    yield database
    database.close()
