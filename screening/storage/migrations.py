"""The SQLite database's migrations, in order: each step runs once (sqlite-utils' Migrations keeps
the table of applied steps), when the app starts (connection.migrate). PostgreSQL's schema
(postgres_schema.py) is the result of all of them, checked by tests/storage/test_backends.py."""

from __future__ import annotations

import datetime
import secrets

from sqlite_utils import Database, Migrations

from ..core.shares import token_digest
from ..core.stats import ROLLED_UP, start_of

migrations = Migrations("screening")


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
