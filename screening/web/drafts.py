"""Answers in progress, kept only in an encrypted, authenticated cookie in the person's browser.

The server stores nothing: each request decrypts the cookie (Fernet: AES-128-CBC with an
HMAC-SHA256, carrying its own timestamp). A response encrypts it afresh when the answers changed,
or when the cookie is more than REFRESH_SECONDS old, so the answers expire after DRAFT_MINUTES
without activity and any worker can read them.
"""

from __future__ import annotations

import base64
import json
import time

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, Response, current_app, g, request

from ..core.flow import AnswerError, parse_answers
from .content import content
from .security import cookie_options

COOKIE = "answers"
REFRESH_SECONDS = 60  # an unchanged cookie is rewritten at most this often (its idle clock)


def cookie_name() -> str:
    """`__Host-answers` when cookies are Secure (production), `answers` in development."""
    return f"__Host-{COOKIE}" if current_app.config["SESSION_COOKIE_SECURE"] else COOKIE


class DraftUnreadable(Exception):
    """The cookie exists but is expired, tampered with, or from another bank version."""


def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"screening drafts").derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def init_app(app: Flask) -> None:
    app.extensions["drafts"] = _fernet(app.config["SECRET_KEY"])
    app.after_request(_write)


def _bank_version() -> str:
    bank = content().bank
    return f"{bank.id}@{bank.version}"


def load() -> dict[str, frozenset[str]] | None:
    """Return the answers in progress; None when no check has been started in this browser."""
    if "draft" in g:
        return g.draft
    g.draft_context = {}
    token = request.cookies.get(cookie_name())
    if token is None:
        return None
    fernet: Fernet = current_app.extensions["drafts"]
    try:
        data = json.loads(fernet.decrypt(token, ttl=current_app.config["DRAFT_MINUTES"] * 60))
        if data["bank"] != _bank_version():
            raise DraftUnreadable
        answers = parse_answers(content().bank, data["answers"])
        context = dict(data.get("context", {}))
        issued = fernet.extract_timestamp(token)
    except (InvalidToken, ValueError, KeyError, TypeError, AnswerError, DraftUnreadable):
        g.draft = None  # clear the unreadable cookie on the way out
        raise DraftUnreadable from None
    g.draft, g.draft_context = answers, context
    g.draft_issued, g.draft_changed = issued, False
    return answers


def context() -> dict:
    """What the check was opened with and what came of it: a referral link, a share made."""
    load()
    return dict(g.get("draft_context") or {})


def save(answers: dict[str, frozenset[str]], **context_changes: object) -> None:
    """Keep these answers (and context changes); the cookie is written with the response."""
    g.draft_context = {**(g.get("draft_context") or {}), **context_changes}
    g.draft, g.draft_changed = answers, True


def clear() -> None:
    g.draft, g.draft_context, g.draft_changed = None, {}, True


def encode(answers: dict[str, frozenset[str]], context: dict | None = None) -> str:
    """Encrypt answers and context, with the bank version and the time, into a cookie value."""
    payload = {
        "bank": _bank_version(),
        "answers": {q: sorted(a) for q, a in answers.items()},
        "context": {k: v for k, v in (context or {}).items() if v is not None},
    }
    return current_app.extensions["drafts"].encrypt(json.dumps(payload).encode()).decode()


def _write(response: Response) -> Response:
    if "draft" not in g:
        return response
    fresh = time.time() - g.get("draft_issued", 0) < REFRESH_SECONDS
    if g.draft is not None and not g.get("draft_changed", True) and fresh:
        return response  # unchanged and recently written: nothing to send
    options = cookie_options(current_app)
    if g.draft is None:
        response.delete_cookie(cookie_name(), **options)
        return response
    value = encode(g.draft, g.get("draft_context"))
    response.set_cookie(
        cookie_name(), value, max_age=current_app.config["DRAFT_MINUTES"] * 60, **options
    )
    return response
