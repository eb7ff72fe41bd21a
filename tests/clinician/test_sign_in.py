"""Signing in and out: sessions, idle time-outs and rate limits."""

from __future__ import annotations

import datetime
import re

import pytest
from clinic import (
    AMIRA,
    BEN,
    PASSWORD,
    WRONG,
    add_clinician,
    code_step,
    error_summary,
    post_form,
    query,
    sign_in,
    signed_in,
    totp_code,
)
from helpers import csrf_token

from screening.storage import connection, records, throttle
from screening.web.clinician import auth

# Signing in and out ---------------------------------------------------------------------------


def test_the_same_words_whatever_was_wrong(app, amira):
    add_clinician(app, BEN)
    database = connection.connect(app.config["DATABASE"])
    records.update_clinician(database, BEN[0], active=0)
    database.close()
    attempts = {
        "wrong password": (AMIRA[0], "not the password at all"),
        "unknown email": ("nobody@example.org", PASSWORD),
        "disabled account": (BEN[0], PASSWORD),
    }
    summaries = set()
    for why, (email, password) in attempts.items():
        response = sign_in(app.test_client(), email, password)
        assert response.status_code == 401, why
        assert WRONG in response.text, why
        summaries.add(error_summary(response.text))
        for hint in ("disabled", "no account", "not found", "unknown"):
            assert hint not in response.text.lower(), (why, hint)
    assert len(summaries) == 1


def test_signing_in_goes_to_the_dashboard(app, amira):
    client = app.test_client()
    response = sign_in(client)
    assert response.status_code == 302
    assert response.location == "/clinician/"
    page = client.get("/clinician/")
    assert page.status_code == 200
    assert "Results shared with you" in page.text


def test_signing_in_starts_a_fresh_session(app, amira):
    client = app.test_client()
    page = client.get("/clinician/login")
    with client.session_transaction() as session:
        session["carried"] = "planted before sign-in"
        session["_flashes"] = [("message", "A note left before sign-in")]
        before_csrf = session["csrf_token"]
    before = client.get_cookie("session").value

    data = {"csrf_token": csrf_token(page.text), "email": AMIRA[0], "password": PASSWORD}
    assert client.post("/clinician/login", data=data).location == "/clinician/code"

    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "carried" not in session
        assert "_flashes" not in session
        assert session.get("csrf_token") != before_csrf
        assert "_user_id" not in session  # the password alone signs nobody in
        assert session["pending"]["session"] == amira.session_id
        session["carried"] = "planted between the password and the code"

    assert code_step(client, totp_code(AMIRA[0])).location == "/clinician/"
    with client.session_transaction() as session:
        assert "carried" not in session and "pending" not in session
        assert "csrf_token" not in session  # the code page's token is gone too
        assert session["_user_id"].startswith(f"{amira.id}:")
    assert "A note left before sign-in" not in client.get("/clinician/").text


def test_signing_out_ends_the_session_even_for_a_copied_cookie(app, amira):
    browser = signed_in(app)
    copied = browser.get_cookie("session").value
    out = post_form(browser, "/clinician/", "/clinician/logout")
    assert out.status_code == 302
    assert out.location == "/clinician/login"
    assert "You have signed out." in browser.get(out.location).text

    replay = app.test_client()
    replay.set_cookie("session", copied)
    response = replay.get("/clinician/")
    assert response.status_code == 302
    assert response.location.startswith("/clinician/login")
    assert browser.get("/clinician/").location.startswith("/clinician/login")


def test_signing_out_ends_the_accounts_other_sessions(app, amira):
    here, elsewhere = signed_in(app), signed_in(app)
    assert elsewhere.get("/clinician/").status_code == 200
    post_form(here, "/clinician/", "/clinician/logout")
    assert elsewhere.get("/clinician/").location.startswith("/clinician/login")


class Clock:
    """Stands in for the `time` module in screening.web.clinician.auth."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock(monkeypatch):
    fake = Clock(1_900_000_000.0)
    monkeypatch.setattr(auth, "time", fake)
    return fake


def test_idle_for_31_minutes_signs_out_with_a_message(app, amira, clock):
    browser = signed_in(app)
    clock.advance(31)
    response = browser.get("/clinician/")
    assert response.status_code == 302
    assert response.location == "/clinician/login"
    assert "signed out after 30 minutes without activity" in browser.get(response.location).text
    clock.advance(-31)  # the session is gone for good, not just too old
    assert browser.get("/clinician/").location.startswith("/clinician/login")


def test_idle_for_29_minutes_stays_signed_in(app, amira, clock):
    browser = signed_in(app)
    clock.advance(29)
    assert browser.get("/clinician/").status_code == 200


def test_idle_time_counts_from_the_last_request(app, amira, clock):
    browser = signed_in(app)
    for _ in range(3):  # 87 minutes after sign-in, but never 30 idle
        clock.advance(29)
        assert browser.get("/clinician/links").status_code == 200
    clock.advance(31)
    assert browser.get("/clinician/links").location == "/clinician/login"


def test_a_session_ends_after_its_absolute_lifetime_however_active(app, amira, clock):
    assert app.config["SESSION_HOURS"] == 12
    browser = signed_in(app)
    for _ in range(12 * 60 // 25):  # active every 25 minutes for 12 hours
        clock.advance(25)
        assert browser.get("/clinician/links").status_code == 200
    clock.advance(25)
    response = browser.get("/clinician/links")
    assert response.location == "/clinician/login"
    assert "a session lasts at most 12 hours" in browser.get(response.location).text
    assert browser.get("/clinician/").location.startswith("/clinician/login")


def test_the_sixth_wrong_sign_in_within_a_minute_is_refused(app, amira):
    client = app.test_client()
    token = csrf_token(client.get("/clinician/login").text)
    wrong = {"csrf_token": token, "email": AMIRA[0], "password": "not the password at all"}
    for attempt in range(5):
        assert client.post("/clinician/login", data=wrong).status_code == 401, attempt
    refused = client.post("/clinician/login", data=wrong)
    assert refused.status_code == 429
    assert "Too many tries" in refused.text
    assert "Please wait a few minutes" in refused.text
    assert "Traceback" not in refused.text
    right = {**wrong, "password": PASSWORD}
    assert client.post("/clinician/login", data=right).status_code == 429
    assert client.get("/clinician/login").status_code == 200  # the page itself still shows

    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.7"  # another address has its own count
    add_clinician(app, BEN)
    assert sign_in(other, BEN[0]).status_code == 302  # (Amira's account now waits: see below)


# Per-account throttling, whatever the address ---------------------------------------------


class Later:
    """Stands in for the clock of screening.storage.throttle."""

    def __init__(self):
        self.now = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture
def later(monkeypatch):
    fake = Later()
    monkeypatch.setattr(throttle, "_now", fake)
    return fake


def try_from(app, address: str, email: str = AMIRA[0], password: str = "not the password at all"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client, sign_in(client, email, password)


def test_wrong_tries_from_many_addresses_make_the_account_wait(app, amira, later):
    for n in range(5):  # each from its own address: the per-address limit never applies
        assert try_from(app, f"10.1.0.{n}")[1].status_code == 401
    client, waiting = try_from(app, "10.1.0.99", password=PASSWORD)  # even the right password
    assert waiting.status_code == 429
    assert "too many wrong tries for this account. Wait 1 minute," in error_summary(waiting.text)
    later.advance(61)
    client, signed = try_from(app, "10.1.0.99", password=PASSWORD)  # the wait is over
    assert signed.status_code == 302
    assert "there were 5 wrong sign-in tries for your account" in client.get("/clinician/").text
    assert try_from(app, "10.1.0.98", password=PASSWORD)[1].status_code == 302  # count cleared


def test_each_wait_doubles_up_to_15_minutes(app, amira, later):
    waits = []
    for n in range(12):
        try_from(app, f"10.2.0.{n}")
        _, refused = try_from(app, f"10.3.0.{n}")
        if refused.status_code == 429:
            waits.append(re.search(r"Wait (\d+) minute", refused.text).group(1))
        later.advance(15 * 60 + 1)  # past any wait, so the next wrong try is counted
    assert waits[:6] == ["1", "2", "4", "8", "15", "15"]
    assert sign_in(app.test_client()).status_code == 302  # never locked out for good


def test_an_unknown_email_is_throttled_alike(app, amira, later):
    for n in range(5):
        try_from(app, f"10.4.0.{n}", email="nobody@example.org")
    _, unknown = try_from(app, "10.4.0.99", email="nobody@example.org")
    for n in range(5):
        try_from(app, f"10.5.0.{n}")
    _, known = try_from(app, "10.5.0.99")
    assert unknown.status_code == known.status_code == 429
    assert error_summary(unknown.text) == error_summary(known.text)  # nothing tells them apart
    assert "nobody@example.org" not in str(query(app, "SELECT * FROM sign_in_failures"))


@pytest.mark.parametrize(
    "url",
    [
        "/clinician/",
        "/clinician/?link=1",
        "/clinician/links",
        "/clinician/results/K7F-3QD",
        "/clinician/results/K7F-3QD/fhir",
        "/clinician/export.csv",
        "/clinician/questionnaire.json",
    ],
)
def test_clinician_pages_need_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.location.startswith("/clinician/login")
    assert "Sign in to see this page." in client.get(response.location).text


# Changing one's own password ------------------------------------------------------------------


def change_password(browser, current: str, new: str, again: str | None = None):
    return post_form(
        browser, "/clinician/password", "/clinician/password",
        current=current, new=new, again=new if again is None else again,
    )  # fmt: skip


def test_a_clinician_changes_their_password_and_signs_in_again(app, amira):
    browser = signed_in(app)
    other = signed_in(app)  # another device, signed in too
    response = change_password(browser, PASSWORD, "a brand new passphrase here")
    assert response.location == "/clinician/login"
    assert "Your password was changed" in browser.get(response.location).text
    for device in (browser, other):  # every session ended
        assert device.get("/clinician/").location.startswith("/clinician/login")
    assert sign_in(app.test_client()).status_code == 401  # the old password no longer works
    assert sign_in(app.test_client(), password="a brand new passphrase here").status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        (
            "not my password at all",
            "a brand new passphrase here",
            None,
            "current password is wrong",
        ),
        (PASSWORD, "a brand new passphrase here", "a different one", "are not the same"),
        (PASSWORD, "password1234", None, "very common password"),
        (PASSWORD, "short", None, "at least 12 characters"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(app, amira, current, new, again, message):
    browser = signed_in(app)
    response = change_password(browser, current, new, again)
    assert response.status_code == 400
    assert message in error_summary(response.text)
    assert browser.get("/clinician/").status_code == 200  # still signed in
    assert sign_in(app.test_client()).status_code == 302  # the password is unchanged
