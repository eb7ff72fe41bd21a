"""Shared results and the access log, in SQLite: stored once per check, withdrawn with their
code, purged after the retention period."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import asdict

from sqlite_utils import Database

from ..core.plan import Chosen
from ..core.shares import Share, SharedResult, new_code, new_secret, secret_digest, secret_matches
from . import once
from .connection import IntegrityError, now, writing
from .records import RecordError


class AlreadyShared(RecordError):
    """This check (its nonce) has been shared before, even if that share was withdrawn since."""


def add_share(db: Database, share: SharedResult, nonce: str) -> tuple[Share, str]:
    """Store a share under a fresh reference code, once per check (its nonce); return it with
    its withdrawal secret."""
    secret = new_secret()
    row = {
        "withdraw_digest": secret_digest(secret),
        "clinician_id": share.clinician_id,
        "link_id": share.link_id,
        "created": share.created.isoformat(timespec="seconds"),
        "bank_id": share.bank_id,
        "bank_version": share.bank_version,
        "mode": share.mode,
        "total": share.total,
        "band": share.band,
        "flags": json.dumps(list(share.flags)),
        "answers": json.dumps({q: list(a) for q, a in share.answers.items()}),
        "name": share.name,
        "score_band": share.score_band,
        "criteria": share.criteria,
        "domains": json.dumps(share.domains),
        "language": share.language,
        "plan": None if share.plan is None else json.dumps(asdict(share.plan)),
    }
    for _ in range(10):  # a clash among ~387 million codes is rare; try again if it happens
        code = new_code()
        try:
            with writing(db):  # the lock is taken first: two presses cannot both pass
                if once.is_spent(db, nonce, once.SHARE):
                    raise AlreadyShared("This result has already been shared.")
                db["shares"].insert({**row, "code": code})
                once.spend(db, nonce, once.SHARE)
            return _share({**row, "code": code}), secret
        except IntegrityError:
            continue
    raise RecordError("Could not make a reference code; please try again.")


def shares_since(db: Database, link_id: int, moment: datetime.datetime) -> int:
    """How many results were shared through a link since a moment (for the per-link limit)."""
    rows = db.execute(
        "SELECT count(*) FROM shares WHERE link_id = ? AND created >= ?",
        [link_id, moment.isoformat(timespec="seconds")],
    )
    return rows.fetchone()[0]


def _share(row: dict) -> Share:
    return Share(
        code=row["code"],
        clinician_id=row["clinician_id"],
        link_id=row["link_id"],
        created=datetime.datetime.fromisoformat(row["created"]),
        bank_id=row["bank_id"],
        bank_version=row["bank_version"],
        mode=row["mode"],
        total=row["total"],
        band=row["band"],
        flags=tuple(json.loads(row["flags"])),
        answers={q: tuple(a) for q, a in json.loads(row["answers"]).items()},
        name=row["name"],
        score_band=row.get("score_band"),
        language=row.get("language") or "en",
        criteria=row.get("criteria"),
        domains=json.loads(row.get("domains") or "{}"),
        plan=_plan(row.get("plan")),
    )


def _plan(stored: str | None) -> Chosen | None:
    if not stored:
        return None
    data = json.loads(stored)
    return Chosen(data["readiness"], tuple(data["options"]), tuple(data["reasons"]))


def shares_of(
    db: Database,
    clinician_id: int,
    link_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[Share]:
    """A clinician's shares (or one link's), newest first, read as they are used."""
    where, args = _of(clinician_id, link_id)
    rows = db["shares"].rows_where(
        where, args, order_by="created desc, id desc", limit=limit, offset=offset or None
    )
    return (_share(r) for r in rows)


def count_shares(db: Database, clinician_id: int, link_id: int | None = None) -> int:
    return db["shares"].count_where(*_of(clinician_id, link_id))


def _of(clinician_id: int, link_id: int | None) -> tuple[str, list[int]]:
    """The WHERE clause for one clinician's shares, or one of their links'."""
    if link_id is None:
        return "clinician_id = ?", [clinician_id]
    return "clinician_id = ? AND link_id = ?", [clinician_id, link_id]


def share_of(db: Database, clinician_id: int, code: str) -> Share | None:
    rows = db["shares"].rows_where("code = ? AND clinician_id = ?", [code, clinician_id])
    return next((_share(row) for row in rows), None)


def delete_share(db: Database, code: str) -> dict | None:
    """Delete a share; return what a count may say of it (link, mode, band, language), or None
    when there was none (deleted already)."""
    with writing(db):
        row = next(iter(db["shares"].rows_where("code = ?", [code])), None)
        db.execute("DELETE FROM shares WHERE code = ?", [code])
    return None if row is None else {k: row[k] for k in ("link_id", "mode", "band", "language")}


def withdraw(db: Database, code: str, secret: str) -> dict | None:
    """Delete a share if the secret matches; return it as `delete_share` does, else None."""
    row = next(iter(db["shares"].rows_where("code = ?", [code])), None)
    if row is None or not secret_matches(secret, row["withdraw_digest"]):
        return None
    return delete_share(db, code)


def purge(db: Database, days: int) -> int:
    """Delete shares older than `days`; return how many went."""
    cutoff = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
    with writing(db):
        cursor = db.execute(
            "DELETE FROM shares WHERE created < ?", [cutoff.isoformat(timespec="seconds")]
        )
    return cursor.rowcount


# Access log ----------------------------------------------------------------------------------


def log_access(db: Database, clinician_id: int, action: str, share_code: str | None = None) -> None:
    share_id = None
    if share_code is not None:
        share_id = next(iter(db["shares"].rows_where("code = ?", [share_code])), {}).get("id")
    with writing(db):
        db["access_log"].insert(
            {"clinician_id": clinician_id, "action": action, "share_id": share_id, "at": now()}
        )
