"""Clinicians' second factor: a TOTP secret (sealed, never in clear), the last step a code was
used for (so each code works once), and ten one-time recovery codes (hashed).

The core (core/totp.py) knows codes and steps; this module only keeps what they need. Sealing
and opening the secret is the caller's, with the key from the secret key (core/sealing.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from . import records
from .connection import now, writing

HINT = 2  # characters of a recovery code kept in clear, so one hash is checked, not ten


@dataclass(frozen=True)
class SecondFactor:
    sealed_secret: str | None  # None: enrolment has not begun
    enrolled: str | None  # when enrolment was confirmed; None: not yet
    last_step: int | None  # the last TOTP step used; a code for it or before is refused


def second_factor(db: Database, clinician_id: int) -> SecondFactor:
    row = db.execute(
        "SELECT totp_secret, totp_enrolled, totp_last_step FROM clinicians WHERE id = ?",
        [clinician_id],
    ).fetchone()
    return SecondFactor(*row) if row else SecondFactor(None, None, None)


def begin(db: Database, clinician_id: int, sealed_secret: str, instead_of: str | None) -> str:
    """Keep a new secret for an account not yet enrolled, in place of `instead_of` (None, or one
    that no longer opens). If another page kept a different one meanwhile, that one stays: the
    page can be reloaded, or open twice, after the code was scanned. Returns the one kept."""
    with writing(db):
        db.execute(
            "UPDATE clinicians SET totp_secret = ? WHERE id = ? AND totp_enrolled IS NULL"
            " AND totp_secret IS ?",
            [sealed_secret, clinician_id, instead_of],
        )
    return second_factor(db, clinician_id).sealed_secret


def enrol(db: Database, clinician_id: int, step: int, codes: list[str], method: str) -> bool:
    """Confirm enrolment with the step of the first code, and keep these recovery codes (any
    earlier ones stop working). False if the account was enrolled meanwhile."""
    hashed = [
        {"clinician_id": clinician_id, "hint": code[:HINT], "code_hash": _hash(code, method)}
        for code in codes
    ]
    with writing(db):
        done = db.execute(
            "UPDATE clinicians SET totp_enrolled = ?, totp_last_step = ? WHERE id = ?"
            " AND totp_enrolled IS NULL AND totp_secret IS NOT NULL",
            [now(), step, clinician_id],
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


def use_recovery_code(db: Database, clinician_id: int, code: str) -> int | None:
    """Spend a recovery code (as core.totp.typed_recovery_code gives it). Returns how many are
    left after it, or None if it is not one of this account's unused codes."""
    with writing(db):
        rows = db.execute(
            "SELECT id, code_hash FROM recovery_codes WHERE clinician_id = ? AND hint = ?"
            " AND used IS NULL",
            [clinician_id, code[:HINT]],
        ).fetchall()
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


def reset(db: Database, email: str) -> records.Clinician:
    """Forget an account's second factor, so its next sign-in enrols again; its sessions end."""
    found = records.update_clinician(
        db, email, totp_secret=None, totp_enrolled=None, totp_last_step=None
    )
    with writing(db):
        db.execute("DELETE FROM recovery_codes WHERE clinician_id = ?", [found.id])
    return found


def _hash(code: str, method: str) -> str:
    return generate_password_hash(code, method=method)
