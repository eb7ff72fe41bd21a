"""Safety and privacy of the web pages: bad input, bad cookies, caching, storage and errors."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import sqlite3
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask.testing import FlaskClient
from helpers import ALL_CLEAR, Respondent, csrf_token, in_bank_order

from screening.web import drafts

# A weekly user whose answers include option and question ids that cannot appear by chance. Six of
# the bank's criteria score (giving up things among them), so the result is 'many signs'.
ANSWERS = in_bank_order(
    {
        **ALL_CLEAR,
        "frequency": "weekly",
        "gave_up": "many",
        "tolerance": "somewhat",
        "craving": "sometimes",
        "more_than_intended": "sometimes",
        "time_spent": "some",
        "responsibilities": "once_twice",
        "coping": "sometimes",
        "mixing": ["benzodiazepines", "gabapentinoids"],
        "urinary": ["pelvic_pain"],
        "memory": "a_little",
        "despite_harm": "no",  # asked because of the urinary, coping and memory answers
    }
)
SECRETS = [
    "past_3_months",
    "gave_up",
    "despite_harm",
    "benzodiazepines",
    "gabapentinoids",
    "pelvic_pain",
    "more_than_intended",
    "others_concern",
    "responsibilities",
    "self_harm",
    "last_use",
    "respondent",
]
UNREADABLE = "We could not continue your check"


class Tags(HTMLParser):
    """The start tags of a page, as (tag, attributes)."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


class Recording(FlaskClient):
    """A test client that keeps every response it receives."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses = []

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        self.responses.append(response)
        return response


def fernet(secret: str) -> Fernet:
    """The drafts key, derived from the secret as screening/drafts.py does."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"screening drafts")
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(secret.encode())))


def payload(app, bank_version: str | None = None, **context) -> bytes:
    """A draft as the app writes it; `context` replaces (None: leaves out) its nonce or start."""
    bank = app.extensions["screening"].bank
    version = bank_version or f"{bank.id}@{bank.version}"
    answers = {"respondent": ["self"], "last_use": ["past_year"]}
    made = {"nonce": "a-nonce-of-sixteen-or-more", "begun": int(time.time()), **context}
    made = {k: v for k, v in made.items() if v is not None}
    return json.dumps({"bank": version, "answers": answers, "context": made}).encode()


def saved(app, client) -> dict:
    token = client.get_cookie("answers").value
    return json.loads(app.extensions["drafts"].decrypt(token))["answers"]


def heading(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.text, re.S).group(1).strip()


def cookie_deleted(response) -> bool:
    return any(
        h.startswith("answers=;") and ("Max-Age=0" in h or "1970" in h)
        for h in response.headers.getlist("Set-Cookie")
    )


@pytest.fixture
def journey(app):
    """A complete check by a weekly user, then the privacy page; returns the recording client."""
    app.test_client_class = Recording
    client = app.test_client()
    respondent = Respondent(client)
    assert respondent.answer_all(ANSWERS).location == "/check-answers"
    assert respondent.finish().status_code == 200
    client.get("/privacy")
    return client


@pytest.fixture
def on_treatment(respondent, client):
    """A check started with the first questions answered; the client is on `treatment`."""
    respondent.start()
    respondent.answer("respondent", "self")
    respondent.answer("last_use", "past_3_months")
    return csrf_token(client.get("/questions/treatment").text)


@pytest.mark.parametrize(
    "extra",
    [{"treatment": "maybe"}, {"treatment": ["no", "as_directed"]}, {"treatment": "no", "x": "1"}],
    ids=["unknown-option", "two-radio-values", "extra-field"],
)
def test_dishonest_posts_are_refused(app, client, on_treatment, extra):
    before = saved(app, client)
    response = client.post("/questions/treatment", data={"csrf_token": on_treatment, **extra})
    assert response.status_code == 400
    assert heading(response) == "Something was wrong with what was sent"
    assert "Traceback" not in response.text
    assert saved(app, client) == before == {"respondent": ["self"], "last_use": ["past_3_months"]}


def test_post_without_csrf_token_keeps_answers(app, client, on_treatment):
    response = client.post("/questions/treatment", data={"treatment": "no"})
    assert response.status_code == 303  # shown again, with a plain message
    assert response.location == "/questions/treatment"
    assert saved(app, client) == {"respondent": ["self"], "last_use": ["past_3_months"]}
    page = client.get("/questions/treatment")
    assert page.status_code == 200 and "Your earlier answers are safe" in page.text


def test_oversized_body_is_refused(client, on_treatment):
    data = {"csrf_token": on_treatment, "treatment": "x" * (65 * 1024)}
    response = client.post("/questions/treatment", data=data)
    assert response.status_code == 413
    assert heading(response) == "Too much was sent"


def test_unknown_question_and_wrong_method(client):
    response = client.get("/questions/not_a_question")
    assert (response.status_code, heading(response)) == (404, "Page not found")
    response = client.get("/start")
    assert (response.status_code, heading(response)) == (405, "That did not work")


BAD_COOKIES = {
    "garbage": lambda app, good: "not-a-fernet-token",
    "one-byte-flipped": lambda app, good: good[:60] + ("A" if good[60] != "A" else "B") + good[61:],
    "other-key": lambda app, good: fernet("another-secret-key-entirely").encrypt(payload(app)),
    "expired": lambda app, good: fernet(app.config["SECRET_KEY"]).encrypt_at_time(
        payload(app), int(time.time()) - app.config["DRAFT_MINUTES"] * 60 - 120
    ),
    "other-bank-version": lambda app, good: fernet(app.config["SECRET_KEY"]).encrypt(
        payload(app, "ketamine_self_check@0.0.1")
    ),
    "no-nonce": lambda app, good: fernet(app.config["SECRET_KEY"]).encrypt(
        payload(app, nonce=None)
    ),
    "short-nonce": lambda app, good: fernet(app.config["SECRET_KEY"]).encrypt(
        payload(app, nonce="short")
    ),
    "kept-for-no-question": lambda app, good: fernet(app.config["SECRET_KEY"]).encrypt(
        payload(app, kept={"question": "no_such", "answer": ["no"]})
    ),
    "kept-answer-not-offered": lambda app, good: fernet(app.config["SECRET_KEY"]).encrypt(
        payload(app, kept={"question": "treatment", "answer": ["made_up"]})
    ),
    "kept-answer-not-a-list": lambda app, good: fernet(app.config["SECRET_KEY"]).encrypt(
        payload(app, kept={"question": "treatment", "answer": [["no"]]})
    ),
    "begun-over-a-day-ago": lambda app, good: fernet(app.config["SECRET_KEY"]).encrypt(
        payload(app, begun=int(time.time()) - drafts.MAX_AGE_HOURS * 3600 - 60)
    ),
}


@pytest.mark.parametrize("make", BAD_COOKIES.values(), ids=BAD_COOKIES.keys())
def test_unreadable_cookie_restarts_plainly(app, client, make):
    good = fernet(app.config["SECRET_KEY"]).encrypt(payload(app)).decode()
    token = make(app, good)
    client.set_cookie("answers", token if isinstance(token, str) else token.decode())
    response = client.get("/questions/treatment")
    assert (response.status_code, response.location) == (302, "/")
    assert cookie_deleted(response)
    assert client.get_cookie("answers") is None
    assert UNREADABLE in client.get("/").text


@pytest.mark.parametrize("age_minutes", [0, 29])
def test_a_good_cookie_is_accepted(app, client, age_minutes):
    """The cookies built above fail for the reason named, not because they are built wrongly."""
    assert app.config["DRAFT_MINUTES"] == 30
    token = fernet(app.config["SECRET_KEY"]).encrypt_at_time(
        payload(app), int(time.time()) - age_minutes * 60
    )
    client.set_cookie("answers", token.decode())
    response = client.get("/questions/treatment")
    assert response.status_code == 200
    assert saved(app, client) == {"respondent": ["self"], "last_use": ["past_year"]}


@pytest.mark.parametrize(
    ("age_seconds", "rewritten"), [(5, False), (drafts.REFRESH_SECONDS + 5, True)]
)
def test_an_unchanged_cookie_is_rewritten_only_when_its_refresh_is_due(
    app, client, age_seconds, rewritten
):
    token = fernet(app.config["SECRET_KEY"]).encrypt_at_time(
        payload(app), int(time.time()) - age_seconds
    )
    client.set_cookie("answers", token.decode())
    response = client.get("/questions/treatment")
    assert response.status_code == 200
    assert (
        any(h.startswith("answers=") for h in response.headers.getlist("Set-Cookie")) is rewritten
    )
    # An answer always writes the cookie, however fresh.
    posted = client.post(
        "/questions/treatment", data={"csrf_token": csrf_token(response.text), "treatment": "no"}
    )
    assert posted.status_code == 302
    assert any(h.startswith("answers=") for h in posted.headers.getlist("Set-Cookie"))


def test_no_answer_in_clear_text_in_cookies(app, journey):
    client = journey
    raw = client.get_cookie("answers").value
    try:
        decoded = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except binascii.Error:
        decoded = b""
    session = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    session_data = json.dumps(app.session_interface.get_signing_serializer(app).loads(session))
    for secret in SECRETS:
        assert secret not in raw and secret.encode() not in decoded
        assert secret not in session and secret not in session_data
    assert len(saved(app, client)) == len(ANSWERS)  # the answers are in there, encrypted


def test_answers_cookie_flags(journey):
    written = [
        h
        for r in journey.responses
        for h in r.headers.getlist("Set-Cookie")
        if h.startswith("answers=")
    ]
    assert written
    for header in written:
        assert "HttpOnly" in header and "SameSite=Lax" in header


def test_pages_are_not_cached(journey):
    pages = [r for r in journey.responses if r.status_code == 200 and r.request.method == "GET"]
    paths = {r.request.path for r in pages}
    assert {
        "/",
        "/questions/respondent",
        "/questions/last_use",
        "/check-answers",
        "/result",
    } <= paths
    for response in pages:
        assert response.headers["Cache-Control"] == "no-store", response.request.path


def test_no_other_origin_and_no_answers_in_urls(app, journey):
    help_sites = {  # in every language
        address
        for r in app.extensions["screening"].region.resources
        if r.web
        for wording in r.web.by_mode.values()
        for address in wording.values()
    }
    bank = app.extensions["screening"].bank
    allowed_paths = {"/", "/check-answers", "/result"} | {
        f"/questions/{q.id}" for q in bank.questions
    }
    external = []
    for response in journey.responses:
        if response.location:
            url = urlsplit(response.location)
            assert url.path in allowed_paths and url.query in ("", "change=1"), response.location
        for tag, attrs in Tags(response.text).tags:
            if tag == "form":
                assert attrs.get("method") == "post"
            for name in ("src", "href", "action", "srcset"):
                value = attrs.get(name, "")
                if not re.match(r"(https?:)?//", value):
                    continue
                assert tag == "a", (tag, value)
                assert value in help_sites and "noreferrer" in attrs.get("rel", "").split()
                external.append(value)
    assert "https://988lifeline.org" in external  # the check above did look at help links


def test_database_holds_counts_only(app, journey):
    path = Path(app.config["DATABASE"])
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    stored = b"".join(p.read_bytes() for p in files)
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT event, mode, band, link, language, n FROM daily_counts ORDER BY event"
        ).fetchall()
        dump = "\n".join(db.iterdump())
    db.close()
    assert rows == [
        ("completed", "self", "many_signs", "", "en", 1),
        ("started", "", "", "", "en", 1),
    ]
    for secret in SECRETS:
        assert secret.encode() not in stored and secret not in dump


def test_unexpected_error_is_generic_and_not_logged_verbatim(app, client, caplog):
    def broken():
        raise RuntimeError("benzodiazepines-in-the-message")

    app.add_url_rule("/broken", "broken", broken)
    with caplog.at_level(logging.ERROR, logger="screening.web.errors"):
        response = client.get("/broken")
    assert response.status_code == 500
    assert heading(response) == "Sorry, there is a problem with the service"
    assert "Traceback" not in response.text and "benzodiazepines" not in response.text
    assert "RuntimeError" not in response.text
    logged = [r for r in caplog.records if r.name == "screening.web.errors"]
    assert logged and "RuntimeError" in logged[0].getMessage()
    assert all(r.exc_info is None for r in logged)
    assert "benzodiazepines" not in caplog.text


def completed(app) -> int:
    with sqlite3.connect(app.config["DATABASE"]) as db:
        total = db.execute(
            "SELECT coalesce(sum(n), 0) FROM daily_counts WHERE event = 'completed'"
        ).fetchone()[0]
    db.close()
    return total


def test_a_check_is_counted_once_however_often_it_is_finished(app, client):
    person = Respondent(client)
    person.answer_all(ALL_CLEAR)
    before_finishing = client.get_cookie("answers").value
    person.finish()
    person.finish()  # Continue pressed again, or the form sent again from the back button
    client.set_cookie("answers", before_finishing)  # a copy of the cookie, sent again
    person.finish()
    assert completed(app) == 1
    person.answer_all(ALL_CLEAR)  # a new check in the same browser counts
    person.finish()
    assert completed(app) == 2
