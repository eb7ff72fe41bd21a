"""Per-account throttling of sign-in, whatever address the tries come from.

After FREE_TRIES wrong passwords for one email, each further try must wait: 1 minute, then 2,
4, 8, capped at 15 (MAX_WAIT). Tries during a wait are refused without checking the password.
There is no permanent lockout: once the wait is over the right password works, and a sign-in
clears the count (after reporting it, so the clinician learns of tries made against them).
Emails are kept as SHA-256 digests, and unknown emails are counted like known ones, so the
throttle does not show which accounts exist.
"""

from __future__ import annotations

import datetime
import hashlib

from sqlite_utils import Database

from .connection import writing

FREE_TRIES = 5
FIRST_WAIT = datetime.timedelta(minutes=1)
MAX_WAIT = datetime.timedelta(minutes=15)


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _row(db: Database, email: str) -> dict | None:
    return next(iter(db["sign_in_failures"].rows_where("email_digest = ?", [_digest(email)])), None)


def wait_left(db: Database, email: str) -> datetime.timedelta | None:
    """How long this email must still wait before a try is checked; None: it may try now."""
    row = _row(db, email)
    if row is None or not row["wait_until"]:
        return None
    left = datetime.datetime.fromisoformat(row["wait_until"]) - _now()
    return left if left > datetime.timedelta(0) else None


def failed(db: Database, email: str) -> None:
    """Count a wrong password for this email, and start its wait once past the free tries."""
    with writing(db):
        row = _row(db, email)
        count = (row["failed"] if row else 0) + 1
        wait_until = None
        if count >= FREE_TRIES:
            wait = min(FIRST_WAIT * 2 ** (count - FREE_TRIES), MAX_WAIT)
            wait_until = (_now() + wait).isoformat(timespec="seconds")
        db["sign_in_failures"].upsert(
            {"email_digest": _digest(email), "failed": count, "wait_until": wait_until},
            pk="email_digest",
        )


def succeeded(db: Database, email: str) -> int:
    """A sign-in: clear the count and return how many wrong tries there were since the last."""
    with writing(db):
        row = _row(db, email)
        if row is None:
            return 0
        db["sign_in_failures"].delete(row["email_digest"])
        return row["failed"]
