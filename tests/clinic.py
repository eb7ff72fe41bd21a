"""Helpers for the clinician tests: an app with fast password hashing, clinician accounts,
signed-in clients, referral links, and respondents who finish a check through a link.

Plain functions (no fixtures) so any test module can build the state it needs in a few lines.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from helpers import ALL_CLEAR, BANK, Respondent, csrf_token
from personas import SCENARIOS

from screening import create_app
from screening.core import totp
from screening.core.flow import parse_answers
from screening.core.loading import load_bank
from screening.core.scoring import Result, score
from screening.core.sealing import fernet
from screening.storage import connection, counts, postgres, records, twofactor
from screening.web.clinician import twofactor as twofactor_pages

FAST_HASH = "pbkdf2:sha256:1000"  # the production default (600,000 rounds) is far too slow here
PASSWORD = "correct horse battery staple"
AMIRA = ("amira@example.org", "Dr Amira Shah")
BEN = ("ben@example.org", "Dr Ben Okafor")
CONTACT = "Call the Riverside clinic on 555-0100"
USER_AGENT = "RespondentBrowser/9.9 (unique-agent-7f3q)"
ALPHABET = set("2346789ABCDEFGHJKMNPQRTWXYZ")
REFERENCE = re.compile(r"\b([2-9A-Z]{3})-([2-9A-Z]{3})\b")
SECRET = re.compile(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}\b")


def make_app(tmp_path: Path, **overrides: Any) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough",
            "DATABASE": str(tmp_path / "clinic.sqlite3"),
            "PASSWORD_HASH": FAST_HASH,
            **overrides,
        }
    )


# The database, opened and closed around each use -----------------------------------------------


def query(app: Flask, sql: str, params: tuple | list = ()) -> list[dict]:
    """Rows as dicts, from the app's database (SQLite or PostgreSQL: `?` placeholders)."""
    db = connection.connect(app.config["DATABASE"])
    try:
        return [dict(row) for row in db.query(sql, params)]
    finally:
        db.close()


def execute(app: Flask, sql: str, params: tuple | list = ()) -> int:
    db = connection.connect(app.config["DATABASE"])
    try:
        return db.execute(sql, params).rowcount
    finally:
        db.close()


def add_counts(app: Flask, *rows: tuple) -> None:
    """Made-up counts, each (day, event, mode, band, link, n[, language]: English unless
    given), into the days' and the weeks' and months' sums, as counting one by one would."""
    db = connection.connect(app.config["DATABASE"])
    try:
        with connection.writing(db):
            for day, event, mode, band, link, n, *language in rows:
                counts.add(
                    db, day, event, n, mode=mode, band=band, link=link,
                    language=language[0] if language else "en",
                )  # fmt: skip
    finally:
        db.close()


def columns(app: Flask, table: str) -> list[str]:
    if postgres.is_url(app.config["DATABASE"]):
        sql = (
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
            " ORDER BY ordinal_position"
        )
        return [row["column_name"] for row in query(app, sql, [table])]
    return [row["name"] for row in query(app, f"PRAGMA table_info({table})")]


def everything_stored(app: Flask) -> bytes:
    """All that the database holds: the SQLite file and its companions, byte for byte, or
    with PostgreSQL every row of every table, as text."""
    target = app.config["DATABASE"]
    if postgres.is_url(target):
        tables = query(app, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        rows = [query(app, f"SELECT * FROM {t['tablename']}") for t in tables]
        return repr(rows).encode()
    path = Path(target)
    return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name))


def shares(app: Flask) -> list[dict]:
    return query(app, "SELECT * FROM shares ORDER BY id")


def add_clinician(
    app: Flask, who: tuple[str, str] = AMIRA, password: str = PASSWORD, enrolled: bool = True
):
    """An account, with two-factor sign-in already set up (its secret: totp_secret(email))
    unless `enrolled` is False."""
    database = connection.connect(app.config["DATABASE"])
    try:
        clinician = records.add_clinician(database, who[0], who[1], password, FAST_HASH)
        if enrolled:
            enrol(database, app.config["SECRET_KEY"], clinician.id, clinician.email)
        return records.clinician_by_email(database, clinician.email)
    finally:
        database.close()


# Two-factor sign-in, as an authenticator app with a known secret does it ------------------------

RECOVERY_CODES = [f"{n}bcdefghjk" for n in range(2, 10)] + ["mnpqrstuvw", "xyz2345678"]


def totp_secret(email: str) -> str:
    """A fixed secret per test account, so a test can compute its codes."""
    return base64.b32encode(hashlib.sha256(email.encode()).digest()[:20]).decode()


def enrol(database, secret_key: str, clinician_id: int, email: str) -> None:
    """Set up two-factor sign-in as a finished enrolment would, with RECOVERY_CODES."""
    sealed = fernet(secret_key, twofactor_pages.PURPOSE).encrypt(totp_secret(email).encode())
    assert twofactor.enrol(database, clinician_id, sealed.decode(), 0, RECOVERY_CODES, FAST_HASH)


def setup_code(app: Flask, email: str) -> str:
    """A new set-up code for an account not enrolled, as `clinician add` gives one."""
    database = connection.connect(app.config["DATABASE"])
    try:
        found = records.clinician_by_email(database, email)
        return twofactor.new_setup_code(database, found.id, FAST_HASH)
    finally:
        database.close()


def totp_code(email: str, at: float | None = None) -> str:
    return totp.code_for(totp_secret(email), totp.step_at(time.time() if at is None else at))


def forget_last_code(app: Flask, email: str = AMIRA[0]) -> None:
    """As if the step of the last code used had passed, so a test may sign in again at once
    (a code works once: tests/clinician/test_two_factor.py shows the app refusing it)."""
    execute(app, "UPDATE clinicians SET totp_last_step = 0 WHERE email = ?", [email])


def add_link(app: Flask, clinician_id: int, label: str = "Tuesday clinic") -> records.Link:
    database = connection.connect(app.config["DATABASE"])
    try:
        return records.add_link(database, clinician_id, label, CONTACT, app.config["SECRET_KEY"])
    finally:
        database.close()


# Clinicians' browsers -------------------------------------------------------------------------


def password_step(client: FlaskClient, email: str = AMIRA[0], password: str = PASSWORD):
    """The first step of signing in: the email and password."""
    page = client.get("/clinician/login")
    data = {"csrf_token": csrf_token(page.text), "email": email, "password": password}
    return client.post("/clinician/login", data=data)


def code_step(client: FlaskClient, code: str):
    """The second step: a code typed on the page that asks for it."""
    return post_form(client, "/clinician/code", "/clinician/code", code=code)


def sign_in(client: FlaskClient, email: str = AMIRA[0], password: str = PASSWORD):
    """Both steps, as the clinician with the app would: the password, then the current code.
    Returns the password step's response if it did not lead to the code."""
    response = password_step(client, email, password)
    if response.status_code != 302 or response.location != "/clinician/code":
        return response
    forget_last_code(client.application, email)
    return code_step(client, totp_code(email))


def signed_in(app: Flask, who: tuple[str, str] = AMIRA) -> FlaskClient:
    client = app.test_client()
    response = sign_in(client, who[0])
    assert response.status_code == 302, response.text
    assert response.location == "/clinician/"
    return client


def post_form(client: FlaskClient, page_url: str, url: str, **data: Any):
    """Post to `url` with the CSRF token from `page_url`, as the browser showing it would."""
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data})


def create_link(client: FlaskClient, label: str = "Tuesday clinic", contact: str = CONTACT):
    """Make a link through the page; return its URL as the page shows it for copying."""
    before = set(_link_urls(client))
    response = post_form(
        client, "/clinician/links", "/clinician/links", label=label, contact=contact
    )
    assert response.status_code == 302, response.text
    (url,) = set(_link_urls(client)) - before
    return url


def _link_urls(client: FlaskClient) -> list[str]:
    page = client.get("/clinician/links").text
    return re.findall(r'readonly value="(http://localhost/r/[^"]+)"', page)


# Respondents' browsers ------------------------------------------------------------------------


def respondent_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = USER_AGENT
    return client


def finish_through(
    app: Flask, link_url: str | None, answers: dict | None = None
) -> tuple[FlaskClient, Any]:
    """A fresh browser that opens the link (if any), answers every question and sees the result."""
    client = respondent_client(app)
    if link_url is not None:
        opened = client.get(link_url.removeprefix("http://localhost"))
        assert opened.status_code == 302, opened.status_code
    person = Respondent(client)
    person.answer_all(answers or ALL_CLEAR)
    result = person.finish()
    assert result.status_code == 200
    return client, result


def share(client: FlaskClient, name: str = ""):
    return post_form(client, "/result", "/share", name=name)


def shared_through(app: Flask, link_url: str, answers: dict | None = None, name: str = ""):
    """Finish a check through a link and share it; return the browser and the stored row."""
    before = {row["id"] for row in shares(app)}
    client, _ = finish_through(app, link_url, answers)
    response = share(client, name)
    assert response.status_code == 302 and response.location == "/shared", response.status_code
    (row,) = [row for row in shares(app) if row["id"] not in before]
    return client, row


def reference(row: dict) -> str:
    return f"{row['code'][:3]}-{row['code'][3:]}"


@cache
def bank():
    return load_bank(BANK)


def scored(answers: dict) -> Result:
    return score(bank(), parse_answers(bank(), answers))


WRONG = "Email or password is wrong."
FLAGGED = SCENARIOS["weekly_bladder_and_alcohol"].answers
PROXY = SCENARIOS["proxy_partner"].answers


def clinician_rows(app) -> list[dict]:
    return query(app, "SELECT * FROM clinicians ORDER BY email")


def error_summary(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary"
    return match.group(0)


def shown_password(output: str) -> str:
    match = re.search(r"Password \(shown once\): (\S+)", output)
    assert match, output
    return match.group(1)
