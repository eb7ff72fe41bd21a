"""What differs between the databases, each kept in one place and tested on both: migrations
applied once however many servers start, the write lock, placeholders, and backups."""

from __future__ import annotations

import stat
import threading

import backends
import pytest
from clinic import FAST_HASH
from sqlite_utils.db import NotFoundError

from screening.storage import connection, postgres, records


def test_sqlite_placeholders_and_percent_signs_read_the_same_on_postgresql():
    assert postgres._placeholders("SELECT '5%' WHERE a = ? AND b LIKE ?") == (
        "SELECT '5%%' WHERE a = %s AND b LIKE %s"
    )


def test_a_backup_is_a_checked_private_copy_with_its_row_counts(target, db, tmp_path):
    records.add_clinician(db, "a@example.org", "Dr A", "a long test password", FAST_HASH)
    copy = tmp_path / "copy.backup"
    found = connection.backup(target, copy)
    assert found["clinicians"] == 1 and found["daily_counts"] == 0
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600 and copy.stat().st_size > 0
    with pytest.raises(FileExistsError):
        connection.backup(target, copy)  # never over an earlier copy


def test_servers_starting_at_once_migrate_once(tmp_path):
    """Eight servers start together on an empty database: one applies each step, the others
    wait for the lock and find it done."""
    with backends.database("postgresql", tmp_path) as url:
        start, applied = threading.Barrier(8), []

        def server():
            start.wait()
            applied.extend(postgres.migrate(url))

        threads = [threading.Thread(target=server) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert applied == [name for name, _ in postgres.MIGRATIONS]
        db = connection.connect(url)
        try:
            assert db["clinicians"].count_where() == 0
            steps = db.execute("SELECT count(*) FROM _migrations").fetchone()[0]
            assert steps == len(postgres.MIGRATIONS)
        finally:
            db.close()


def test_a_missing_row_is_an_error_on_both(db):
    with pytest.raises(NotFoundError):  # sqlite-utils' error, on either
        db["clinicians"].update(12345, {"name": "Nobody"})


def test_a_database_named_in_a_message_keeps_its_password_out():
    assert postgres.shown("postgresql://screening:s3cret@db.internal:5432/screening") == (
        "postgresql://screening:***@db.internal:5432/screening"
    )
    assert (
        postgres.shown("postgresql://screening@db/screening")
        == "postgresql://screening@db/screening"
    )
    assert postgres.shown("instance/screening.sqlite3") == "instance/screening.sqlite3"


def test_both_schemas_have_the_same_tables_and_columns(tmp_path):
    """PostgreSQL's schema is written apart from SQLite's migrations: a column added to one
    and not the other fails here."""

    def sqlite_columns(path) -> dict[str, set[str]]:
        db = connection.connect(path)
        try:
            names = db.table_names()
            return {t: {c.name for c in db[t].columns} for t in names if not t.startswith("_")}
        finally:
            db.close()

    path = tmp_path / "schema.sqlite3"
    connection.migrate(path)
    with backends.database("postgresql", tmp_path) as url:
        connection.migrate(url)
        db = connection.connect(url)
        try:
            rows = db.query(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name NOT LIKE ?",
                ["\\_%"],
            )
            found: dict[str, set[str]] = {}
            for row in rows:
                found.setdefault(row["table_name"], set()).add(row["column_name"])
        finally:
            db.close()
    assert found == sqlite_columns(path)
