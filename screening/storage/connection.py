"""The database: opening it, its migrations, write transactions and backups.

It holds anonymous counts, clinicians, their links and shared results. Answers reach it only when
a respondent chooses to share them with a clinician. It is the embedded SQLite file (through
sqlite-utils) unless `SCREENING_DATABASE` is a `postgresql://` URL: then postgres.py, where all
that PostgreSQL does differently is kept. Each function here takes either.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database, Migrations
from sqlite_utils.utils import sqlite3  # pysqlite3 when installed: the same module everywhere

from ..core.files import private_file, private_folder
from ..core.shares import token_digest
from ..core.stats import ROLLED_UP, start_of
from . import postgres

migrations = Migrations("screening")
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


@migrations()
def create_daily_counts(db: Database) -> None:
    # How many checks were completed per day, mode and band: identifies nobody.
    db["daily_counts"].create(
        {"day": str, "mode": str, "band": str, "completed": int}, pk=("day", "mode", "band")
    )


@migrations()
def create_clinician_tables(db: Database) -> None:
    db["clinicians"].create(
        {
            "id": int,
            "email": str,  # lower case
            "name": str,
            "password_hash": str,
            "session_token": str,  # changes on logout, disable and reset: old sessions end
            "active": int,
            "created": str,
        },
        pk="id",
    )
    db["clinicians"].create_index(["email"], unique=True)
    db["links"].create(
        {
            "id": int,
            "clinician_id": int,
            "token": str,
            "label": str,
            "contact": str,
            "active": int,
            "created": str,
        },
        pk="id",
        foreign_keys=[("clinician_id", "clinicians", "id")],
    )
    db["links"].create_index(["token"], unique=True)
    db["shares"].create(
        {
            "id": int,
            "code": str,
            "withdraw_digest": str,
            "clinician_id": int,
            "link_id": int,
            "created": str,
            "bank_id": str,
            "bank_version": str,
            "mode": str,
            "total": int,
            "band": str,
            "flags": str,  # JSON list of flag ids
            "answers": str,  # JSON object: question id -> option ids
            "name": str,
        },
        pk="id",
        foreign_keys=[("clinician_id", "clinicians", "id")],
    )
    db["shares"].create_index(["code"], unique=True)
    db["shares"].create_index(["clinician_id", "created"])
    # Who looked at or exported what, and when: never any content.
    db["access_log"].create(
        {"id": int, "clinician_id": int, "action": str, "share_id": int, "at": str}, pk="id"
    )


@migrations()
def add_share_scoring(db: Database) -> None:
    """What clinicians see beyond the total: the score band, criteria count and domain scores."""
    db["shares"].add_column("score_band", str)  # the band of the total when a rule band showed
    db["shares"].add_column("criteria", int)  # criteria questions that gave points
    db["shares"].add_column("domains", str)  # JSON object: domain id -> points


@migrations()
def add_spent_nonces(db: Database) -> None:
    """What each check has done that it may do once (see storage/once.py)."""
    db["spent"].create({"digest": str, "purpose": str, "day": str}, pk=("digest", "purpose"))


@migrations()
def hash_link_tokens(db: Database) -> None:
    """Links keep a nonce and the SHA-256 of their token, not the token (core.shares.link_token).
    A link made before keeps working by its digest; its address can no longer be shown."""
    db["links"].add_column("nonce", str)
    db["links"].add_column("token_digest", str)
    for row in list(db["links"].rows):
        db["links"].update(row["id"], {"token_digest": token_digest(row["token"])})
    db.execute("DROP INDEX IF EXISTS idx_links_token")
    db["links"].transform(drop={"token"})
    db["links"].create_index(["token_digest"], unique=True)


@migrations()
def add_sign_in_failures(db: Database) -> None:
    """Failed sign-ins per email (its SHA-256, so unknown emails count too and nothing shows which
    exist), and until when that email must wait (storage/throttle.py)."""
    db["sign_in_failures"].create(
        {"email_digest": str, "failed": int, "wait_until": str}, pk="email_digest"
    )


@migrations()
def add_two_factor(db: Database) -> None:
    """Two-factor sign-in (storage/twofactor.py): each clinician's TOTP secret, sealed with a key
    from the secret key, when they enrolled, and the last step a code was used for; and their
    one-time recovery codes, hashed as passwords are."""
    db["clinicians"].add_column("totp_secret", str)
    db["clinicians"].add_column("totp_enrolled", str)
    db["clinicians"].add_column("totp_last_step", int)
    db["recovery_codes"].create(
        {"id": int, "clinician_id": int, "hint": str, "code_hash": str, "used": str},
        pk="id",
        foreign_keys=[("clinician_id", "clinicians", "id")],
    )
    db["recovery_codes"].create_index(["clinician_id", "hint"])


@migrations()
def add_two_factor_setup_codes(db: Database) -> None:
    """Enrolment needs a one-time set-up code from the deployer (its hash, and until when it
    works), so a password alone never signs an account in. What came before is not trusted:
    sessions signed in with the password alone end, and any enrolment made without a set-up
    code is forgotten (`clinician reset-2fa` gives each account its code)."""
    db["clinicians"].add_column("totp_setup_hash", str)
    db["clinicians"].add_column("totp_setup_until", str)
    for row in list(db["clinicians"].rows):
        db["clinicians"].update(
            row["id"],
            {
                "session_token": secrets.token_hex(16),
                "totp_secret": None,
                "totp_enrolled": None,
                "totp_last_step": None,
            },
        )
    db.execute("DELETE FROM recovery_codes")


@migrations()
def add_share_language(db: Database) -> None:
    """The language a shared result was answered in (results shared before it: English)."""
    db["shares"].add_column("language", str, not_null_default="en")


@migrations()
def add_share_plan(db: Database) -> None:
    """The person's plan, when they chose to include it in what they shared (JSON: readiness,
    option ids, reason ids); empty otherwise, and for results shared before."""
    db["shares"].add_column("plan", str)


@migrations()
def count_every_event(db: Database) -> None:
    """Counts of checks started, completed, shared and withdrawn, by referral link and language
    too (counts made before: completed checks, link and language unknown, "")."""
    table = db["daily_counts"]
    table.add_column("event", str, not_null_default="completed")
    table.add_column("link", str, not_null_default="")
    table.add_column("language", str, not_null_default="")
    table.transform(
        rename={"completed": "n"}, pk=("day", "event", "mode", "band", "link", "language")
    )


@migrations()
def add_clinician_admin(db: Database) -> None:
    """The deployer's role: an account that also sees the whole site's statistics."""
    db["clinicians"].add_column("admin", int, not_null_default=0)


@migrations()
def index_daily_counts(db: Database) -> None:
    """A covering index for the statistics: an event's sums over a range of days read the index
    alone (100,000 checks' counts: milliseconds, not a scan of every row)."""
    db["daily_counts"].create_index(
        ["event", "day", "band", "mode", "link", "language", "n"], index_name="daily_counts_sums"
    )


@migrations()
def roll_up_counts(db: Database) -> None:
    """The counts added up by week and by month as well as by day, kept up as each is counted:
    a year's statistics read a few hundred rows of sums, not every day's (rows keyed by period,
    event and the period's first day, so an index-ordered table serves each page's sums)."""
    db.execute(
        "CREATE TABLE period_counts (period TEXT NOT NULL, event TEXT NOT NULL, "
        "day TEXT NOT NULL, band TEXT NOT NULL, mode TEXT NOT NULL, link TEXT NOT NULL, "
        "language TEXT NOT NULL, n INTEGER NOT NULL, "
        "PRIMARY KEY (period, event, day, band, mode, link, language)) WITHOUT ROWID"
    )
    sums: dict[tuple, int] = {}
    for row in db["daily_counts"].rows:
        day = datetime.date.fromisoformat(row["day"])
        for period in ROLLED_UP:
            key = (period, row["event"], start_of(day, period).isoformat(), row["band"],
                   row["mode"], row["link"], row["language"])  # fmt: skip
            sums[key] = sums.get(key, 0) + row["n"]
    fields = ("period", "event", "day", "band", "mode", "link", "language")
    db["period_counts"].insert_all(
        (dict(zip(fields, key, strict=True)) | {"n": n} for key, n in sums.items()), batch_size=500
    )
    db["period_counts"].create_index(["period", "day"])  # where each period's sums begin
    # Each event's sums by link, mode and language over a span, read in order, on both tables.
    for table in ("period_counts", "daily_counts"):
        keys = ["period"] * (table == "period_counts") + ["event", "link", "mode", "language"]
        db[table].create_index([*keys, "day", "n"], index_name=f"{table}_by_who")


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
