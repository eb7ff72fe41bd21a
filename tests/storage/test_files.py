"""Files the app writes are private: folders 0700, the database and its -wal and -shm files,
backups and the development secret key 0600, whatever the umask; and the SQLite it writes
them with is current."""

from __future__ import annotations

import os
import stat

import pytest
from helpers import ALL_CLEAR, Respondent

from screening import create_app
from screening.settings import _development_secret
from screening.storage import connection

KEY = "files-test-secret-key-0123456789abcdef"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The most permissive umask: whatever is private here is private because the app made it so."""
    before = os.umask(0)
    yield
    os.umask(before)


def test_the_database_its_folder_and_its_wal_files_are_private(tmp_path, open_umask):
    folder = tmp_path / "made" / "instance"
    database = folder / "screening.sqlite3"
    app = create_app({"SECRET_KEY": KEY, "DATABASE": str(database)})
    reader = connection.connect(database)  # while it is open, the WAL is not removed
    try:
        reader.execute("SELECT count(*) FROM daily_counts").fetchone()
        respondent = Respondent(app.test_client())
        respondent.answer_all(ALL_CLEAR)
        respondent.finish()  # counting the check writes to the database, through the WAL
        assert mode(folder) == 0o700
        assert mode(database) == 0o600
        for companion in ("-wal", "-shm"):
            assert mode(f"{database}{companion}") == 0o600, companion
    finally:
        reader.close()


def test_files_made_before_the_rule_are_tightened_at_start_up(tmp_path, open_umask):
    database = tmp_path / "old.sqlite3"
    connection.migrate(database)
    for path in (database, f"{database}-wal", f"{database}-shm"):
        if os.path.exists(path):
            os.chmod(path, 0o644)
    create_app({"SECRET_KEY": KEY, "DATABASE": str(database)})
    assert mode(database) == 0o600
    for companion in ("-wal", "-shm"):
        if os.path.exists(f"{database}{companion}"):
            assert mode(f"{database}{companion}") == 0o600, companion


def test_a_backup_is_private(tmp_path, open_umask):
    database = tmp_path / "db.sqlite3"
    connection.migrate(database)
    target = tmp_path / "backup.sqlite3"
    connection.backup(database, target)
    assert mode(target) == 0o600


def test_the_development_secret_key_and_its_folder_are_private(tmp_path, open_umask):
    instance = tmp_path / "instance"
    secret = _development_secret(instance)
    assert len(secret) == 64
    assert mode(instance) == 0o700
    assert mode(instance / "secret_key") == 0o600
    os.chmod(instance / "secret_key", 0o644)  # an older checkout's key
    assert _development_secret(instance) == secret
    assert mode(instance / "secret_key") == 0o600


# A current SQLite wherever the app opens the database ---------------------------------------


def test_every_connection_uses_a_current_sqlite(tmp_path):
    from screening.web import store

    database = tmp_path / "db.sqlite3"
    app = create_app({"SECRET_KEY": KEY, "DATABASE": str(database)})
    with app.app_context():
        version = store.db().execute("SELECT sqlite_version()").fetchone()[0]
    assert tuple(int(p) for p in version.split(".")) >= connection.MIN_SQLITE
    assert connection.sqlite_problem() is None


def test_an_old_sqlite_stops_start_up_unless_allowed(tmp_path, monkeypatch):
    monkeypatch.setattr(connection.sqlite3, "sqlite_version_info", (3, 45, 1))
    monkeypatch.setattr(connection.sqlite3, "sqlite_version", "3.45.1")
    with pytest.raises(SystemExit) as stopped:
        create_app({"SECRET_KEY": KEY, "DATABASE": str(tmp_path / "db")})
    assert "SQLite 3.45.1 is older than 3.51.3" in str(stopped.value.code)
    assert "SCREENING_ALLOW_OLD_SQLITE" in str(stopped.value.code)
    assert create_app(
        {"SECRET_KEY": KEY, "DATABASE": str(tmp_path / "db"), "ALLOW_OLD_SQLITE": True}
    )
