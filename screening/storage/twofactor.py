"""Clinicians' second factor: a TOTP secret (sealed, never in clear), the last step a code was
used for (so each code works once), ten one-time recovery codes (hashed), and the one-time
set-up code a deployer hands over to enrol with (hashed, and for SETUP_DAYS).

The core (core/totp.py) knows codes and steps; this module only keeps what they need. Sealing
and opening the secret is the caller's, with the key from the secret key (core/sealing.py).
One-time codes are hashed as passwords are (salted, the app's PASSWORD_HASH): they have about
50 bits, under the 112 that would let a plain hash do (ASVS 6.5.2).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.totp import new_one_time_code
from . import records
from .connection import now, writing

HINT = 2  # characters of a recovery code kept in clear, so one hash is checked, not ten
SETUP_DAYS = 7  # a set-up code works this long after `clinician add` or `reset-2fa`


@dataclass(frozen=True)
class SecondFactor:
    sealed_secret: str | None  # None: not enrolled
    enrolled: str | None  # when enrolment was confirmed; None: not yet
    last_step: int | None  # the last TOTP step used; a code for it or before is refused


def second_factor(db: Database, clinician_id: int) -> SecondFactor:
    row = db.execute(
        "SELECT totp_secret, totp_enrolled, totp_last_step FROM clinicians WHERE id = ?",
        [clinician_id],
    ).fetchone()
    return SecondFactor(*row) if row else SecondFactor(None, None, None)


def new_setup_code(db: Database, clinician_id: int, method: str) -> str:
    """A new one-time set-up code for an account not enrolled (any earlier one stops working);
    returned to be shown once."""
    code = new_one_time_code()
    until = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=SETUP_DAYS)
    with writing(db):
        db["clinicians"].update(
            clinician_id,
            {
                "totp_setup_hash": _hash(code, method),
                "totp_setup_until": until.isoformat(timespec="seconds"),
            },
        )
    return code


def setup_code_ok(db: Database, clinician_id: int, code: str | None, method: str) -> bool:
    """Whether this is the account's set-up code, and still in time (as long to say no)."""
    row = db.execute(
        "SELECT totp_setup_hash, totp_setup_until FROM clinicians WHERE id = ?", [clinician_id]
    ).fetchone()
    hashed, until = row if row else (None, None)
    if not (code and hashed and until):
        check_password_hash(records.dummy_hash(method), code or "")
        return False
    in_time = datetime.datetime.fromisoformat(until) > datetime.datetime.now(datetime.UTC)
    return check_password_hash(hashed, code) and in_time


def enrol(
    db: Database, clinician_id: int, sealed_secret: str, step: int, codes: list[str], method: str
) -> bool:
    """Keep the confirmed secret, the step of its first code, and these recovery codes (any
    earlier ones stop working); the set-up code is spent. False if enrolled meanwhile."""
    hashed = [
        {"clinician_id": clinician_id, "hint": code[:HINT], "code_hash": _hash(code, method)}
        for code in codes
    ]
    with writing(db):
        done = db.execute(
            "UPDATE clinicians SET totp_secret = ?, totp_enrolled = ?, totp_last_step = ?,"
            " totp_setup_hash = NULL, totp_setup_until = NULL"
            " WHERE id = ? AND totp_enrolled IS NULL",
            [sealed_secret, now(), step, clinician_id],
        ).rowcount
        if done:
            db.execute("DELETE FROM recovery_codes WHERE clinician_id = ?", [clinician_id])
            db["recovery_codes"].insert_all(hashed)
    return bool(done)


def use_step(db: Database, clinician_id: int, step: int) -> bool:
    """Spend a TOTP step: True only the first time, and only if no later step was used."""
    with writing(db):
        return bool(
            db.execute(
                "UPDATE clinicians SET totp_last_step = ? WHERE id = ? AND totp_enrolled IS NOT"
                " NULL AND (totp_last_step IS NULL OR totp_last_step < ?)",
                [step, clinician_id, step],
            ).rowcount
        )


def use_recovery_code(db: Database, clinician_id: int, code: str, method: str) -> int | None:
    """Spend a recovery code (as core.totp.typed_one_time_code gives it). Returns how many are
    left after it, or None if it is not one of this account's unused codes. A code whose hint
    matches none is checked against a dummy hash, so the time taken does not tell."""
    with writing(db):
        rows = db.execute(
            "SELECT id, code_hash FROM recovery_codes WHERE clinician_id = ? AND hint = ?"
            " AND used IS NULL",
            [clinician_id, code[:HINT]],
        ).fetchall()
        if not rows:
            check_password_hash(records.dummy_hash(method), code)
        match = next((id_ for id_, hashed in rows if check_password_hash(hashed, code)), None)
        if match is None:
            return None
        db.execute("UPDATE recovery_codes SET used = ? WHERE id = ?", [now(), match])
    return recovery_codes_left(db, clinician_id)


def recovery_codes_left(db: Database, clinician_id: int) -> int:
    return db.execute(
        "SELECT count(*) FROM recovery_codes WHERE clinician_id = ? AND used IS NULL",
        [clinician_id],
    ).fetchone()[0]


def reset(db: Database, email: str, method: str) -> tuple[records.Clinician, str]:
    """Forget an account's second factor, so its next sign-in enrols again; its sessions end.
    Returns the account and its new set-up code, to be shown once."""
    found = records.update_clinician(
        db, email, totp_secret=None, totp_enrolled=None, totp_last_step=None
    )
    with writing(db):
        db.execute("DELETE FROM recovery_codes WHERE clinician_id = ?", [found.id])
    return found, new_setup_code(db, found.id, method)


def _hash(code: str, method: str) -> str:
    return generate_password_hash(code, method=method)
