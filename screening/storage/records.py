"""Clinicians and their referral links, in SQLite (shared results: storage/shares.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.passwords import password_problem
from ..core.shares import (
    link_token,
    token_digest,
)
from .connection import IntegrityError, now, writing


@cache
def dummy_hash(method: str) -> str:
    """A hash to check against for unknown emails, so they take as long as known ones."""
    return generate_password_hash(secrets.token_hex(16), method=method)


class RecordError(ValueError):
    """A request that the records cannot honour, in words fit for the person who asked."""


@dataclass(frozen=True)
class Clinician:
    id: int
    email: str
    name: str
    active: int
    session_token: str
    totp_enrolled: str | None = None  # when two-factor sign-in was set up; None: not yet
    admin: int = 0  # the deployer's role: sees the whole site's statistics too

    @property
    def session_id(self) -> str:  # the session names the token too, so old sessions can be ended
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return bool(self.active)


@dataclass(frozen=True)
class Link:
    id: int
    clinician_id: int
    nonce: str | None  # None: made before tokens were kept as digests; its token is not known
    label: str
    contact: str
    active: int
    created: str
    token: str | None = None  # never stored: made from the secret key and the nonce when asked


def _link(row: dict, secret_key: str | None = None) -> Link:
    fields = {k: row[k] for k in ("id", "clinician_id", "nonce", "label", "contact", "active")}
    token = link_token(secret_key, row["nonce"]) if secret_key and row["nonce"] else None
    return Link(**fields, created=row["created"], token=token)


def _clinician(row: dict | None) -> Clinician | None:
    fields = Clinician.__annotations__  # a field an older database lacks takes its default
    return None if row is None else Clinician(**{k: row[k] for k in fields if k in row})


# Clinicians -----------------------------------------------------------------------------------


def check_password(password: str, *about: str) -> None:
    """The one rule for a new password (core.passwords); raise RecordError saying why not."""
    problem = password_problem(password, *about)
    if problem:
        raise RecordError(problem)


def set_password(db: Database, email: str, password: str, method: str) -> Clinician:
    """Give an account a new password (checked by the rule above); its sessions end."""
    row = next(iter(db["clinicians"].rows_where("email = ?", [email.strip().lower()])), None)
    check_password(password, email, *([row["name"]] if row else []))
    return update_clinician(db, email, password_hash=generate_password_hash(password, method))


def add_clinician(
    db: Database, email: str, name: str, password: str, method: str, admin: bool = False
) -> Clinician:
    email = email.strip().lower()
    if "@" not in email or not name.strip():
        raise RecordError("Give an email address and a name.")
    check_password(password, email, name)
    row = {
        "email": email,
        "name": name.strip(),
        "password_hash": generate_password_hash(password, method=method),
        "session_token": secrets.token_hex(16),
        "active": 1,
        "created": now(),
        **({"admin": 1} if admin else {}),  # else the column's default, 0
    }
    try:
        with writing(db):
            db["clinicians"].insert(row)
    except IntegrityError:
        raise RecordError(f"There is already an account for {email}.") from None
    return clinician_by_email(db, email)


def clinician_by_email(db: Database, email: str) -> Clinician | None:
    rows = db["clinicians"].rows_where("email = ?", [email.strip().lower()])
    return _clinician(next(iter(rows), None))


def clinician_by_session(db: Database, session_id: str) -> Clinician | None:
    """Find the clinician a session names, if the session is still theirs and they are active."""
    clinician_id, _, token = session_id.partition(":")
    if not clinician_id.isdigit():
        return None
    rows = db["clinicians"].rows_where("id = ? AND active = 1", [int(clinician_id)])
    found = _clinician(next(iter(rows), None))
    return found if found and secrets.compare_digest(found.session_token, token) else None


def check_login(db: Database, email: str, password: str, method: str) -> Clinician | None:
    row = next(iter(db["clinicians"].rows_where("email = ?", [email.strip().lower()])), None)
    if row is None:
        check_password_hash(dummy_hash(method), password)
        return None
    if not check_password_hash(row["password_hash"], password) or not row["active"]:
        return None
    return _clinician(row)


def list_clinicians(db: Database) -> list[Clinician]:
    return [_clinician(row) for row in db["clinicians"].rows_where(order_by="email")]


def update_clinician(db: Database, email: str, **changes: object) -> Clinician:
    """Change an account (active, password_hash); any change also ends its open sessions."""
    found = clinician_by_email(db, email)
    if found is None:
        raise RecordError(f"No account for {email}.")
    with writing(db):
        db["clinicians"].update(found.id, {**changes, "session_token": secrets.token_hex(16)})
    return clinician_by_email(db, email)


def end_sessions(db: Database, clinician_id: int) -> None:
    with writing(db):
        db["clinicians"].update(clinician_id, {"session_token": secrets.token_hex(16)})


# Links ----------------------------------------------------------------------------------------


def add_link(db: Database, clinician_id: int, label: str, contact: str, secret_key: str) -> Link:
    """A new link; its token is made from the secret key and a random nonce, and only the nonce
    and the token's digest are stored."""
    nonce = secrets.token_urlsafe(16)
    token = link_token(secret_key, nonce)
    row = {
        "clinician_id": clinician_id,
        "nonce": nonce,
        "token_digest": token_digest(token),
        "label": label.strip()[:100],
        "contact": contact.strip()[:200],
        "active": 1,
        "created": now(),
    }
    with writing(db):
        link_id = db["links"].insert(row).last_pk
    return _link({**row, "id": link_id}, secret_key)


def links_of(db: Database, clinician_id: int, secret_key: str | None = None) -> list[Link]:
    """A clinician's links, newest first; with the secret key, each with its token."""
    rows = db["links"].rows_where("clinician_id = ?", [clinician_id], order_by="created desc")
    return [_link(row, secret_key) for row in rows]


def all_links(db: Database) -> list[tuple[Link, str]]:
    """Every link with its clinician's name, by clinician then newest first (for the deployer)."""
    query = (
        "SELECT links.*, clinicians.name AS clinician FROM links JOIN clinicians "
        "ON clinicians.id = links.clinician_id ORDER BY clinicians.name, links.created DESC"
    )
    return [(_link(row), row["clinician"]) for row in db.query(query)]


def link_of(db: Database, clinician_id: int, link_id: int) -> Link | None:
    rows = db["links"].rows_where("id = ? AND clinician_id = ?", [link_id, clinician_id])
    return next((_link(row) for row in rows), None)


def link_by_token(db: Database, token: str) -> Link | None:
    rows = db["links"].rows_where("token_digest = ?", [token_digest(token)])
    return next((_link(row) for row in rows), None)


def set_link_active(db: Database, link: Link, active: bool) -> None:
    with writing(db):
        db["links"].update(link.id, {"active": int(active)})


def delete_link(db: Database, link: Link) -> None:
    with writing(db):  # results shared through it stay with the clinician
        db.execute("UPDATE shares SET link_id = NULL WHERE link_id = ?", [link.id])
        db["links"].delete(link.id)


def clinician_of_link(db: Database, link_id: int) -> tuple[Link, Clinician] | None:
    """The active link and active clinician a check was opened from, if both still are."""
    rows = db["links"].rows_where("id = ? AND active = 1", [link_id])
    link = next((_link(row) for row in rows), None)
    if link is None:
        return None
    clinician = _clinician(db["clinicians"].get(link.clinician_id))
    return (link, clinician) if clinician.active else None
