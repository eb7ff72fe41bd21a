"""Two-factor sign-in: the code after the password, enrolment, recovery codes and resets."""

from __future__ import annotations

import html
import re
import time

import pyotp
import pytest
from clinic import (
    AMIRA,
    BEN,
    FAST_HASH,
    PASSWORD,
    RECOVERY_CODES,
    add_clinician,
    clinician_rows,
    code_step,
    error_summary,
    execute,
    forget_last_code,
    make_app,
    password_step,
    post_form,
    query,
    setup_code,
    sign_in,
    signed_in,
    totp_code,
    totp_secret,
)

from screening.core import totp
from screening.storage import connection, records
from screening.web.clinician import twofactor as pages

STEP = totp.STEP_SECONDS


def at_step(offset: int) -> float:
    """A moment `offset` steps from now, in the middle of its step."""
    return (totp.step_at(time.time()) + offset) * STEP + STEP / 2


def actions(app) -> list[str]:
    """What the access log holds about signing in (not the pages looked at after)."""
    rows = query(app, "SELECT action FROM access_log WHERE action != 'list_results' ORDER BY id")
    return [row["action"] for row in rows]


# The code after the password ------------------------------------------------------------------


def test_the_password_alone_signs_nobody_in(app, amira):
    client = app.test_client()
    response = password_step(client)
    assert response.status_code == 302 and response.location == "/clinician/code"
    assert client.get("/clinician/").location.startswith("/clinician/login")
    page = client.get("/clinician/code")
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.text and 'inputmode="numeric"' in page.text
    assert "login" not in actions(app)


def test_the_right_code_signs_in(app, amira):
    client = app.test_client()
    password_step(client)
    forget_last_code(app)
    response = code_step(client, totp_code(AMIRA[0]))
    assert response.status_code == 302 and response.location == "/clinician/"
    assert client.get("/clinician/").status_code == 200
    assert actions(app) == ["login"]


def test_a_code_works_once(app, amira):
    forget_last_code(app)
    code = totp_code(AMIRA[0])
    first, second = app.test_client(), app.test_client()
    password_step(first)
    password_step(second)
    assert code_step(first, code).location == "/clinician/"
    replayed = code_step(second, code)
    assert replayed.status_code == 401
    assert pages.WRONG_CODE in error_summary(replayed.text)
    assert second.get("/clinician/").location.startswith("/clinician/login")


def test_a_code_from_before_the_last_one_used_is_refused(app, amira):
    client = app.test_client()
    password_step(client)
    forget_last_code(app)
    assert code_step(client, totp_code(AMIRA[0], at_step(1))).location == "/clinician/"
    other = app.test_client()
    password_step(other)
    assert code_step(other, totp_code(AMIRA[0])).status_code == 401  # now's step is older


@pytest.mark.parametrize(("offset", "accepted"), [(-2, False), (-1, True), (1, True), (2, False)])
def test_a_little_clock_drift_is_allowed(app, amira, offset, accepted):
    client = app.test_client()
    password_step(client)
    forget_last_code(app)
    response = code_step(client, totp_code(AMIRA[0], at_step(offset)))
    assert (response.status_code == 302) is accepted, response.status_code


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", pages.NO_CODE), ("000000", pages.WRONG_CODE), ("12345", pages.WRONG_CODE)],
)
def test_a_wrong_code_says_so_at_the_field(app, amira, typed, message):
    client = app.test_client()
    password_step(client)
    response = code_step(client, typed)
    assert response.status_code == 401
    assert message in error_summary(response.text)
    assert 'aria-describedby="code-hint code-error"' in response.text
    assert response.text.count(message) == 2  # in the summary and at the field
    assert "<title>Error: " in response.text


def test_the_code_may_be_typed_with_a_space(app, amira):
    client = app.test_client()
    password_step(client)
    forget_last_code(app)
    code = totp_code(AMIRA[0])
    assert code_step(client, f" {code[:3]} {code[3:]} ").location == "/clinician/"


def from_address(app, n: int):
    """A browser of its own address, so the per-address rate limits never apply."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.9.0.{n}"
    return client


def test_wrong_codes_count_against_the_account_like_wrong_passwords(app, amira):
    waiting = from_address(app, 99)
    password_step(waiting)  # past the password before the wrong codes
    for n in range(5):
        client = from_address(app, n)
        password_step(client)
        assert code_step(client, "000000").status_code == 401
    refused = code_step(waiting, totp_code(AMIRA[0]))
    assert refused.status_code == 429, "the right code waits too"
    assert "too many wrong tries for this account. Wait 1 minute" in error_summary(refused.text)
    assert password_step(from_address(app, 98)).status_code == 429  # and so does the password
    # ... until the wait is over, when the right password and code work, and the tries are told
    execute(app, "UPDATE sign_in_failures SET wait_until = '2000-01-01T00:00:00+00:00'")
    fresh = from_address(app, 97)
    assert sign_in(fresh).location == "/clinician/"
    assert "there were 5 wrong sign-in tries" in fresh.get("/clinician/").text


def test_the_right_password_does_not_clear_the_count_of_wrong_codes(app, amira):
    """Else someone with the password could try codes for ever, a few at a time."""
    for n in range(5):
        client = from_address(app, n)
        assert password_step(client).location == "/clinician/code"
        assert code_step(client, "000000").status_code == 401
    assert password_step(from_address(app, 50)).status_code == 429


def test_an_over_long_code_is_a_wrong_code(app, amira):
    client = app.test_client()
    password_step(client)
    response = code_step(client, "1" * 500)
    assert response.status_code == 401
    assert pages.WRONG_CODE in error_summary(response.text)


def test_the_code_page_without_a_password_first(app, amira):
    client = app.test_client()
    response = client.get("/clinician/code")
    assert response.location == "/clinician/login"
    assert "Sign in first." in client.get("/clinician/login").text


def test_the_second_step_when_already_signed_in_goes_to_the_results(app, amira):
    client = signed_in(app)
    assert client.get("/clinician/code").location == "/clinician/"
    assert client.get("/clinician/enrol").location == "/clinician/"


def test_a_pending_sign_in_lasts_five_minutes(app, amira):
    client = app.test_client()
    password_step(client)
    with client.session_transaction() as session:
        session["pending"] = {**session["pending"], "at": int(time.time()) - 5 * 60 - 1}
    response = client.get("/clinician/code")
    assert response.location == "/clinician/login"
    assert pages.EXPIRED in client.get("/clinician/login").text
    assert client.get("/clinician/code").location == "/clinician/login"  # it is gone


def test_disabling_between_password_and_code_stops_the_sign_in(app, amira, runner):
    client = app.test_client()
    password_step(client)
    assert runner.invoke(args=["clinician", "disable", AMIRA[0]]).exit_code == 0
    assert client.get("/clinician/code").location == "/clinician/login"


@pytest.mark.parametrize("tampered", ["not a dict", {"session": 5, "at": 0}, {"at": 1}])
def test_a_tampered_pending_sign_in_is_no_sign_in(app, amira, tampered):
    client = app.test_client()
    password_step(client)
    with client.session_transaction() as session:
        session["pending"] = tampered
    assert client.get("/clinician/code").location == "/clinician/login"


# Recovery codes -------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(app, amira):
    client = app.test_client()
    password_step(client)
    response = code_step(client, RECOVERY_CODES[3].upper()[:5] + " - " + RECOVERY_CODES[3][5:])
    assert response.location == "/clinician/"
    assert "You signed in with a recovery code. You have 9 left." in client.get("/clinician/").text
    assert actions(app) == ["login", "recovery_code"]
    again = app.test_client()
    password_step(again)
    assert code_step(again, RECOVERY_CODES[3]).status_code == 401


def test_the_last_recovery_codes_say_how_to_get_more(app, amira):
    execute(app, "UPDATE recovery_codes SET used = 'earlier' WHERE id > 2")
    client = app.test_client()
    password_step(client)
    code_step(client, RECOVERY_CODES[0])
    page = client.get("/clinician/").text
    assert "You have 1 left. Ask the service that runs this site to reset" in page


def test_recovery_codes_are_kept_hashed(app, amira):
    rows = query(app, "SELECT hint, code_hash FROM recovery_codes ORDER BY id")
    assert len(rows) == 10
    for row, code in zip(rows, RECOVERY_CODES, strict=True):
        assert row["hint"] == code[:2]
        assert row["code_hash"].startswith(FAST_HASH + "$") and code not in row["code_hash"]


# Enrolment ------------------------------------------------------------------------------------


def enrolling(app, who=BEN, client=None):
    """A new account, past its password, on the enrolment page; returns the client, the page,
    the secret the page shows and the account's set-up code."""
    if client is None:
        add_clinician(app, who, enrolled=False)
    setup = setup_code(app, who[0])
    client = client or app.test_client()
    response = password_step(client, who[0])
    assert response.location == "/clinician/enrol"
    page = client.get("/clinician/enrol")
    return client, page, shown_key(page.text), setup


def shown_key(page: str) -> str:
    key = re.search(r'<p class="code code--small secret-key">([A-Z2-7 ]+)</p>', page)
    assert key, page
    return key.group(1).replace(" ", "")


def confirm(client, setup: str, code: str):
    return post_form(client, "/clinician/enrol", "/clinician/enrol", setup=setup, code=code)


def test_enrolment_shows_a_qr_code_and_the_key_as_text(app):
    client, page, secret, _ = enrolling(app)
    assert page.status_code == 200
    assert len(secret) == 32
    svg = re.search(r"<svg [^>]*>", page.text).group(0)
    assert 'role="img"' in svg and 'aria-label="QR code to scan' in svg
    uri = totp.setup_uri(secret, BEN[0], "Ketamine self-check")
    assert str(pages._qr(uri)) in page.text  # the QR code carries this secret for this account
    assert pyotp.parse_uri(uri).secret == secret
    assert "<script" not in page.text.split("</main>")[0].split('<main id="main"')[1]
    assert client.get("/clinician/enrol").text.count(totp.grouped(secret)) == 1  # same on reload


def test_each_pending_sign_in_is_shown_its_own_secret(app):
    """Else someone else with the password, on the page at the same time, would see the key the
    clinician is about to confirm, and keep a working second factor."""
    _, _, first, _ = enrolling(app)
    _, _, second, _ = enrolling(app, client=app.test_client())
    assert first != second


def test_the_secret_is_kept_sealed_never_in_clear(app):
    client, _, secret, setup = enrolling(app)
    cookies = " ".join(cookie.value for cookie in client._cookies.values())
    assert secret not in cookies  # sealed in the session until confirmed
    (row,) = [row for row in clinician_rows(app) if row["email"] == BEN[0]]
    assert row["totp_secret"] is None  # nothing in the database before it is confirmed
    assert setup not in (row["totp_setup_hash"] or "") and row["totp_setup_hash"]
    confirm(client, setup, pyotp.TOTP(secret).now())
    (row,) = [row for row in clinician_rows(app) if row["email"] == BEN[0]]
    assert row["totp_secret"] and secret not in row["totp_secret"]
    with app.app_context():
        assert pages._opened(row["totp_secret"]) == secret


def test_confirming_enrolment_shows_ten_recovery_codes_once_and_signs_in(app):
    client, _, secret, setup = enrolling(app)
    code = pyotp.TOTP(secret).now()
    response = confirm(client, setup, code)
    assert response.status_code == 200
    shown = re.findall(
        r'<li class="code code--small">([a-z2-9]{5}-[a-z2-9]{5})</li>', response.text
    )
    assert len(set(shown)) == 10
    assert client.get("/clinician/").status_code == 200
    assert actions(app) == ["enrol_two_factor", "login"]
    (row,) = [row for row in clinician_rows(app) if row["email"] == BEN[0]]
    assert row["totp_enrolled"] and row["totp_setup_hash"] is None  # the set-up code is spent
    stored = " ".join(r["code_hash"] for r in query(app, "SELECT code_hash FROM recovery_codes"))
    assert not any(code.replace("-", "") in stored for code in shown)
    # from now on a sign-in asks for the code, and the enrolment's code is spent
    again = app.test_client()
    assert password_step(again, BEN[0]).location == "/clinician/code"
    assert again.get("/clinician/enrol").location == "/clinician/code"
    assert code_step(again, code).status_code == 401
    # and a shown recovery code works
    assert code_step(again, shown[0]).location == "/clinician/"


@pytest.mark.parametrize(
    ("wrong_setup", "wrong_code", "messages"),
    [
        (True, False, [pages.WRONG_SETUP]),
        (False, True, [pages.WRONG_CODE]),
        (True, True, [pages.WRONG_SETUP, pages.WRONG_CODE]),
    ],
)
def test_enrolment_needs_both_the_set_up_code_and_the_apps_code(
    app, wrong_setup, wrong_code, messages
):
    client, _, secret, setup = enrolling(app)
    response = confirm(
        client,
        "zzzzz-zzzzz" if wrong_setup else setup,
        "000000" if wrong_code else pyotp.TOTP(secret).now(),
    )
    assert response.status_code == 401
    summary = html.unescape(error_summary(response.text))
    assert [m for m in (pages.WRONG_SETUP, pages.WRONG_CODE) if m in summary] == messages
    assert totp.grouped(secret) in response.text  # the same key, to try again
    kept = f'value="{setup}"' in response.text
    assert kept is (not wrong_setup)  # a right set-up code stays typed in
    (row,) = [row for row in clinician_rows(app) if row["email"] == BEN[0]]
    assert row["totp_enrolled"] is None
    assert client.get("/clinician/").location.startswith("/clinician/login")


def test_an_expired_set_up_code_is_refused(app):
    client, _, secret, setup = enrolling(app)
    execute(app, "UPDATE clinicians SET totp_setup_until = '2000-01-01T00:00:00+00:00'")
    assert confirm(client, setup, pyotp.TOTP(secret).now()).status_code == 401


def test_wrong_enrolment_tries_count_against_the_account(app):
    client, _, secret, setup = enrolling(app)
    for n in range(5):
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = f"10.8.0.{n}"
        password_step(other, BEN[0])
        assert confirm(other, "zzzzz-zzzzz", "000000").status_code == 401
    assert confirm(client, setup, pyotp.TOTP(secret).now()).status_code == 429


def test_an_enrolled_account_cannot_enrol_again_from_the_password_alone(app, amira):
    client = app.test_client()
    password_step(client)
    assert client.get("/clinician/enrol").location == "/clinician/code"
    before = query(app, "SELECT totp_secret FROM clinicians")
    assert (
        post_form(client, "/clinician/code", "/clinician/enrol", code="000000").status_code == 302
    )
    assert query(app, "SELECT totp_secret FROM clinicians") == before


# When the secret key changes, and resets --------------------------------------------------------


def test_a_new_secret_key_asks_for_a_reset_in_plain_words(tmp_path):
    first = make_app(tmp_path)
    add_clinician(first, AMIRA)
    later = make_app(tmp_path, SECRET_KEY="another-secret-key-that-is-long-enough")
    client = later.test_client()
    password_step(client)
    response = code_step(client, totp_code(AMIRA[0]))
    assert response.status_code == 401
    assert pages.UNREADABLE in error_summary(response.text)


def test_reset_2fa_ends_sessions_and_the_next_sign_in_enrols_again(app, amira, runner):
    browser = signed_in(app)
    result = runner.invoke(args=["clinician", "reset-2fa", AMIRA[0]])
    assert result.exit_code == 0, result.output
    assert "reset" in result.output and "sessions have ended" in result.output
    assert browser.get("/clinician/").location.startswith("/clinician/login")
    (row,) = clinician_rows(app)
    assert (row["totp_secret"], row["totp_enrolled"], row["totp_last_step"]) == (None,) * 3
    assert query(app, "SELECT * FROM recovery_codes") == []
    client = app.test_client()
    assert password_step(client).location == "/clinician/enrol"
    page = client.get("/clinician/enrol").text
    assert totp.grouped(totp_secret(AMIRA[0])) not in page  # a new secret, not the old one
    # the command printed the set-up code to enrol with, once
    setup = re.search(r"works for 7 days\): ([a-z2-9]{5}-[a-z2-9]{5})", result.output).group(1)
    secret = shown_key(page)
    assert confirm(client, setup, pyotp.TOTP(secret).now()).status_code == 200


def test_clinician_add_prints_a_set_up_code_that_enrols(app, runner):
    result = runner.invoke(
        args=["clinician", "add", BEN[0], "--name", BEN[1]], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    setup = re.search(r"works for 7 days\): ([a-z2-9]{5}-[a-z2-9]{5})", result.output).group(1)
    client = app.test_client()
    password_step(client, BEN[0])
    secret = shown_key(client.get("/clinician/enrol").text)
    assert confirm(client, setup, pyotp.TOTP(secret).now()).status_code == 200
    assert client.get("/clinician/").status_code == 200


def test_the_upgrade_ends_older_sessions_and_enrolments(tmp_path):
    """Sessions signed in with the password alone, and enrolments made without a set-up code,
    from before set-up codes, are not trusted after the upgrade."""
    db = connection.connect(tmp_path / "old.sqlite3")
    connection.migrations.apply(db, stop_before="add_two_factor_setup_codes")
    old = records.add_clinician(db, AMIRA[0], AMIRA[1], PASSWORD, FAST_HASH)
    db.execute(
        "UPDATE clinicians SET totp_secret = 'sealed', totp_enrolled = '2026-12-01', "
        "totp_last_step = 5"
    )
    db.execute("INSERT INTO recovery_codes (clinician_id, hint, code_hash) VALUES (1, 'ab', 'x')")
    connection.migrations.apply(db)
    assert records.clinician_by_session(db, old.session_id) is None
    now = records.clinician_by_email(db, AMIRA[0])
    assert now.session_token != old.session_token and now.totp_enrolled is None
    row = db.execute("SELECT totp_secret, totp_last_step FROM clinicians").fetchone()
    assert tuple(row) == (None, None)
    assert db.execute("SELECT count(*) FROM recovery_codes").fetchone()[0] == 0
    db.close()


def test_reset_2fa_of_an_unknown_account(app, runner):
    result = runner.invoke(args=["clinician", "reset-2fa", "nobody@example.org"])
    assert result.exit_code != 0
    assert "No account for nobody@example.org." in result.output


def test_the_code_page_needs_its_form_token(app, amira):
    client = app.test_client()
    password_step(client)
    client.get("/clinician/code")
    response = client.post("/clinician/code", data={"code": totp_code(AMIRA[0])})
    assert response.status_code == 303 and response.location == "/clinician/code"
    assert "your last choice was not saved" in client.get("/clinician/code").text
    assert client.get("/clinician/").location.startswith("/clinician/login")


@pytest.mark.parametrize("typed", ["١٢٣٤٥٦", "\uff11\uff12\uff13\uff14\uff15\uff16", "12345\x00"])
def test_digits_of_other_scripts_are_a_wrong_code_not_a_server_error(app, amira, typed):
    client = app.test_client()
    password_step(client)
    assert code_step(client, typed).status_code == 401
    client, _, _, setup = enrolling(app)
    assert confirm(client, setup, typed).status_code == 401
