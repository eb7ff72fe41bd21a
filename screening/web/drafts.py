"""Answers in progress, kept only in an encrypted, authenticated cookie in the person's browser.

The server stores nothing: each request decrypts the cookie (Fernet: AES-128-CBC with an
HMAC-SHA256, carrying its own timestamp). A response encrypts it afresh when the answers changed,
or when the cookie is more than REFRESH_SECONDS old, so the answers expire after DRAFT_MINUTES
without activity and any worker can read them.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property

from flask import Flask, Response, current_app, g, request

from ..core import flow
from ..core.bank import Bank
from ..core.flow import AnswerError, parse_answers
from ..core.plan import Chosen, choose
from ..core.sealing import Fernet, InvalidToken, fernet
from .content import content
from .security import cookie_options

COOKIE = "answers"
REFRESH_SECONDS = 60  # an unchanged cookie is rewritten at most this often (its idle clock)
MAX_AGE_HOURS = 24  # however active, a check is not read a day after it began (its nonce, too)


def cookie_name() -> str:
    """`__Host-answers` when cookies are Secure (production), `answers` in development."""
    return f"__Host-{COOKIE}" if current_app.config["SESSION_COOKIE_SECURE"] else COOKIE


class DraftUnreadable(Exception):
    """The cookie exists but is expired, tampered with, or from another bank version."""


def init_app(app: Flask) -> None:
    app.extensions["drafts"] = fernet(app.config["SECRET_KEY"], "screening drafts")
    app.after_request(_write)


def _bank_version(bank: Bank) -> str:
    """Which bank a cookie's answers belong to: answers to another version are not read."""
    return f"{bank.id}@{bank.version}"


@dataclass(frozen=True)
class Draft:
    """A check in progress: the answers so far, whose use they are about, and what the check was
    opened with or led to. Made only by `begin` and `Draft.answering`, so `mode` always follows
    the answers."""

    answers: Mapping[str, frozenset[str]]
    mode: str  # whose use the answers are about: the wording of every page follows it
    nonce: str  # this check's own random id: it is counted, and shared, once (storage/once.py)
    begun: int  # when it began (Unix time): a check is not read after MAX_AGE_HOURS
    link: int | None = None  # the clinician's referral link the check was opened from
    share: str | None = None  # the reference code of a result shared from this browser
    secret: str | None = None  # its withdrawal code, kept only until it has been shown once
    # An answer posted after the answers before it were cleared: filled in, not yet recorded,
    # when the person reaches its question again (check.answer_after_expiry).
    kept: tuple[str, frozenset[str]] | None = None
    plan: Chosen | None = None  # the person's plan after the result (core/plan.py)

    @cached_property
    def route(self) -> flow.Route:
        """The path through the bank for these answers, walked once per request."""
        return flow.Route.of(content().bank, self.answers)

    def answering(self, answers: Mapping[str, frozenset[str]]) -> Draft:
        """The same check with these answers (a kept answer goes once its question is answered)."""
        kept = None if self.kept is None or self.kept[0] in answers else self.kept
        return replace(self, answers=answers, mode=content().bank.mode_of(answers), kept=kept)

    def kept_for(self, question_id: str) -> frozenset[str]:
        """The kept answer to this question, as far as its options are offered in this mode."""
        if self.kept is None or self.kept[0] != question_id:
            return frozenset()
        return self.kept[1] & content().bank.by_id[question_id].offered_ids(self.mode)


def begin(link: int | None = None) -> Draft:
    """A fresh check, opened from a referral link or not."""
    nonce, begun = secrets.token_urlsafe(16), int(time.time())
    return Draft({}, content().bank.mode_of({}), nonce, begun, link=link)


def load() -> Draft | None:
    """Return the check in progress; None when no check has been started in this browser."""
    if "draft" in g:
        return g.draft
    token = request.cookies.get(cookie_name())
    if token is None:
        g.draft = None
        return None
    fernet: Fernet = current_app.extensions["drafts"]
    bank = content().bank
    try:
        data = json.loads(fernet.decrypt(token, ttl=current_app.config["DRAFT_MINUTES"] * 60))
        if data["bank"] != _bank_version(bank):
            raise ValueError("from another version of the bank")
        answers = parse_answers(bank, data["answers"])
        made = data.get("context", {})
        nonce, begun = made["nonce"], made["begun"]
        if not isinstance(nonce, str) or len(nonce) < 16 or type(begun) is not int:
            raise TypeError("no nonce, or no time it began")
        if time.time() - begun > MAX_AGE_HOURS * 3600:
            raise ValueError("begun too long ago")
        draft = Draft(
            answers,
            bank.mode_of(answers),
            nonce,
            begun,
            link=_link(made.get("link")),
            share=_text(made.get("share")),
            secret=_text(made.get("secret")),
            kept=_kept(bank, made.get("kept")),
            plan=_plan(bank, made.get("plan")),
        )
        issued = fernet.extract_timestamp(token)
    except (InvalidToken, ValueError, KeyError, TypeError, AttributeError, AnswerError):
        g.draft, g.draft_changed = None, True  # clear the unreadable cookie on the way out
        raise DraftUnreadable from None
    g.draft, g.draft_issued = draft, issued
    return draft


def seconds_left() -> int:
    """How long the answers will last without another request, once this response is sent: the
    whole idle time when it writes the cookie afresh, else what is left of the cookie's."""
    if g.get("draft") is None:
        return 0
    idle = current_app.config["DRAFT_MINUTES"] * 60
    age = time.time() - g.draft_issued if "draft_issued" in g else 0
    if g.get("draft_changed") or age >= REFRESH_SECONDS:
        return idle
    return max(0, int(idle - age))


def _link(value: object) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise TypeError(value)


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError(value)


def _kept(bank: Bank, value: object) -> tuple[str, frozenset[str]] | None:
    if value is None:
        return None
    question, answer = value["question"], value["answer"]
    if question not in bank.by_id or not isinstance(answer, list):
        raise ValueError("a kept answer to no question")
    if not answer or not set(answer) <= bank.by_id[question].options_by_id.keys():
        raise ValueError("a kept answer the question does not offer")
    return question, frozenset(answer)


def _plan(bank: Bank, value: object) -> Chosen | None:
    if value is None:
        return None
    return choose(bank, value.get("readiness"), value["options"], value["reasons"])


def keep(draft: Draft) -> None:
    """Keep this check in progress; the cookie is written with the response."""
    g.draft, g.draft_changed = draft, True


def clear() -> None:
    """Forget the check in progress; the cookie is deleted with the response."""
    g.draft, g.draft_changed = None, True


def encode(draft: Draft) -> str:
    """Encrypt a draft, with the bank version and the time, into a cookie value."""
    context = {"nonce": draft.nonce, "begun": draft.begun, "link": draft.link}
    context |= {"share": draft.share, "secret": draft.secret}
    if draft.kept is not None:
        context["kept"] = {"question": draft.kept[0], "answer": sorted(draft.kept[1])}
    if draft.plan is not None:
        plan = draft.plan
        context["plan"] = {
            "readiness": plan.readiness,
            "options": list(plan.options),
            "reasons": list(plan.reasons),
        }
    payload = {
        "bank": _bank_version(content().bank),
        "answers": {q: sorted(a) for q, a in draft.answers.items()},
        "context": {k: v for k, v in context.items() if v is not None},
    }
    return current_app.extensions["drafts"].encrypt(json.dumps(payload).encode()).decode()


def _write(response: Response) -> Response:
    unchanged = not g.get("draft_changed")
    if unchanged and (g.get("draft") is None or time.time() - g.draft_issued < REFRESH_SECONDS):
        return response  # unchanged, and recently written: nothing to send
    options = cookie_options(current_app)
    if g.draft is None:
        response.delete_cookie(cookie_name(), **options)
        return response
    max_age = current_app.config["DRAFT_MINUTES"] * 60
    response.set_cookie(cookie_name(), encode(g.draft), max_age=max_age, **options)
    return response
