"""Per-account throttling of sign-in, whatever address the tries come from.

Each try (a password, a code) is counted *before* it is checked, in one write transaction with
the check of the wait, so tries sent at once cannot slip past the count. After FREE_TRIES for
one email, each further try must wait: 1 minute, then 2, 4, 8, capped at 15 (MAX_WAIT). Tries
during a wait are refused, uncounted and unchecked. A right password is forgiven its try (its
account still needs the second factor, which only a full sign-in clears); a full sign-in clears
the count, after reporting the wrong tries, so the clinician learns of tries made against them.
There is no permanent lockout. Emails are kept as SHA-256 digests, and unknown emails are
counted like known ones, so the throttle does not show which accounts exist.
"""

from __future__ import annotations

import datetime
import hashlib

from sqlite_utils import Database

from .connection import writing

FREE_TRIES = 5
FIRST_WAIT = datetime.timedelta(minutes=1)
MAX_WAIT = datetime.timedelta(minutes=15)
_MAX_DOUBLINGS = 4  # 1 minute doubled 4 times is past MAX_WAIT: no need to count further


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _row(db: Database, email: str) -> dict | None:
    return next(iter(db["sign_in_failures"].rows_where("email_digest = ?", [_digest(email)])), None)


def _wait_after(count: int) -> str | None:
    """Until when an email must wait once `count` tries are counted (None: no wait)."""
    if count < FREE_TRIES:
        return None
    wait = min(FIRST_WAIT * 2 ** min(count - FREE_TRIES, _MAX_DOUBLINGS), MAX_WAIT)
    return (_now() + wait).isoformat(timespec="seconds")


def _left(row: dict | None) -> datetime.timedelta | None:
    if row is None or not row["wait_until"]:
        return None
    left = datetime.datetime.fromisoformat(row["wait_until"]) - _now()
    return left if left > datetime.timedelta(0) else None


def attempt(db: Database, email: str) -> datetime.timedelta | None:
    """Count a try for this email before it is checked. Returns how long it must still wait
    instead (the try is then neither counted nor to be checked), or None: go on and check it."""
    with writing(db):
        row = _row(db, email)
        left = _left(row)
        if left is not None:
            return left
        count = (row["failed"] if row else 0) + 1
        db["sign_in_failures"].upsert(
            {"email_digest": _digest(email), "failed": count, "wait_until": _wait_after(count)},
            pk="email_digest",
        )
    return None


def forgive(db: Database, email: str) -> None:
    """The try just counted was a right password: it does not count, nor the wait it began
    (the code comes next; the next wrong try waits again, as the count stays)."""
    with writing(db):
        row = _row(db, email)
        if row is not None:
            count = max(0, row["failed"] - 1)
            db["sign_in_failures"].update(
                row["email_digest"], {"failed": count, "wait_until": None}
            )


def succeeded(db: Database, email: str) -> int:
    """A full sign-in, whose last try was counted: clear the count, and return how many wrong
    tries there were since the last sign-in."""
    with writing(db):
        row = _row(db, email)
        if row is None:
            return 0
        db["sign_in_failures"].delete(row["email_digest"])
        return max(0, row["failed"] - 1)
