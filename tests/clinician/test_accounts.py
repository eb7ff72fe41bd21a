"""Clinician accounts, made and changed only from the command line."""

from __future__ import annotations

import pytest
from clinic import (
    AMIRA,
    BEN,
    FAST_HASH,
    PASSWORD,
    WRONG,
    add_clinician,
    clinician_rows,
    execute,
    query,
    shown_password,
    sign_in,
    signed_in,
)

from screening import create_app
from screening.settings import SETTINGS

# Accounts from the command line ---------------------------------------------------------------


def test_add_with_a_generated_password_that_signs_in(app, runner):
    result = runner.invoke(
        args=[
            "clinician",
            "add",
            "Amira@Example.org",
            "--name",
            "Dr Amira Shah",
            "--generate-password",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Account created for amira@example.org." in result.output
    password = shown_password(result.output)
    assert len(password) >= 12
    (row,) = clinician_rows(app)
    assert (row["email"], row["name"], row["active"]) == ("amira@example.org", "Dr Amira Shah", 1)
    assert password not in row["password_hash"]
    assert row["password_hash"].startswith(FAST_HASH + "$")

    response = sign_in(app.test_client(), "amira@example.org", password)
    assert response.status_code == 302
    assert response.location == "/clinician/enrol"  # a new account sets up two-factor first


def test_add_with_a_typed_password(app, runner):
    result = runner.invoke(
        args=["clinician", "add", "ben@example.org", "--name", "Dr Ben Okafor"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password (shown once)" not in result.output  # the typed password is not echoed
    assert PASSWORD not in result.output
    assert sign_in(app.test_client(), "ben@example.org", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("short pass", "at least 12 characters"),
        ("password1234", "very common password"),
        ("qwertyuiop123", "too easy to guess"),
        ("ben@example.org!", "too easy to guess"),  # the account's own email
        ("Dr Ben Okafor 1", "too easy to guess"),  # its name
    ],
)
def test_a_common_or_guessable_password_is_refused_and_says_why(app, runner, typed, why):
    result = runner.invoke(
        args=["clinician", "add", "ben@example.org", "--name", "Dr Ben Okafor"],
        input=f"{typed}\n{typed}\n",
    )
    assert result.exit_code != 0
    assert why in result.output
    assert clinician_rows(app) == []


def test_every_generated_password_passes_the_rule():
    from screening.cli.admin import _password
    from screening.core.passwords import password_problem

    for _ in range(50):
        password, shown = _password(generate=True)
        assert shown and password_problem(password, "amira@example.org", "Dr Amira Shah") is None


def test_a_reset_password_must_pass_the_rule_too(app, runner):
    add_clinician(app)
    result = runner.invoke(
        args=["clinician", "reset-password", AMIRA[0]], input="password1234\npassword1234\n"
    )
    assert result.exit_code != 0
    assert "very common password" in result.output
    assert sign_in(app.test_client()).status_code == 302  # the old password still works


def test_the_production_password_hash_is_slow_enough(tmp_path):
    (setting,) = [s for s in SETTINGS if s.name == "PASSWORD_HASH"]
    method, digest, rounds = setting.default.split(":")
    assert (method, digest) == ("pbkdf2", "sha256")
    assert int(rounds) >= 600_000

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough",
            "DATABASE": str(tmp_path / "production.sqlite3"),
        }
    )
    assert app.config["PASSWORD_HASH"] == setting.default
    result = app.test_cli_runner().invoke(
        args=["clinician", "add", "amira@example.org", "--name", "Dr A", "--generate-password"]
    )
    assert result.exit_code == 0, result.output
    (row,) = query(app, "SELECT password_hash FROM clinicians")
    method, digest, rounds = row["password_hash"].split("$")[0].split(":")
    assert (method, digest) == ("pbkdf2", "sha256")
    assert int(rounds) >= 600_000


def test_a_second_account_with_the_same_email_is_refused(app, runner):
    first = ["clinician", "add", "amira@example.org", "--name", "Dr A", "--generate-password"]
    assert runner.invoke(args=first).exit_code == 0
    again = ["clinician", "add", "AMIRA@example.org ", "--name", "Dr B", "--generate-password"]
    result = runner.invoke(args=again)
    assert result.exit_code != 0
    assert "There is already an account for amira@example.org." in result.output
    assert "Traceback" not in result.output
    assert [row["name"] for row in clinician_rows(app)] == ["Dr A"]


def test_a_short_password_is_refused(app, runner):
    result = runner.invoke(
        args=["clinician", "add", "amira@example.org", "--name", "Dr A"],
        input="short-pass\nshort-pass\n",
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert clinician_rows(app) == []


def test_list_shows_email_name_state_and_two_factor(app, runner):
    add_clinician(app, AMIRA)
    add_clinician(app, BEN, enrolled=False)
    assert runner.invoke(args=["clinician", "disable", BEN[0]]).exit_code == 0
    result = runner.invoke(args=["clinician", "list"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "amira@example.org\tDr Amira Shah\tactive\ttwo-factor on",
        "ben@example.org\tDr Ben Okafor\tdisabled\ttwo-factor not set up",
    ]


def test_disable_stops_sign_in_and_ends_open_sessions(app, runner, amira):
    browser = signed_in(app)
    assert browser.get("/clinician/").status_code == 200

    result = runner.invoke(args=["clinician", "disable", AMIRA[0]])
    assert result.exit_code == 0, result.output
    assert "disabled and signed out everywhere" in result.output

    ended = browser.get("/clinician/")
    assert ended.status_code == 302
    assert ended.location.startswith("/clinician/login")
    refused = sign_in(app.test_client())
    assert refused.status_code == 401
    assert WRONG in refused.text


def test_an_inactive_account_has_no_session_even_with_its_token(app, amira):
    browser = signed_in(app)
    execute(app, "UPDATE clinicians SET active = 0")  # the session token itself is unchanged
    assert browser.get("/clinician/").location.startswith("/clinician/login")


def test_reset_password_replaces_it_and_ends_sessions(app, runner, amira):
    browser = signed_in(app)
    result = runner.invoke(args=["clinician", "reset-password", AMIRA[0], "--generate-password"])
    assert result.exit_code == 0, result.output
    new_password = shown_password(result.output)
    assert new_password != PASSWORD

    assert browser.get("/clinician/").location.startswith("/clinician/login")
    old = sign_in(app.test_client(), AMIRA[0], PASSWORD)
    assert old.status_code == 401
    assert WRONG in old.text
    new = sign_in(app.test_client(), AMIRA[0], new_password)
    assert new.status_code == 302
    assert new.location == "/clinician/"


def test_reset_password_refuses_a_short_one(app, runner, amira):
    result = runner.invoke(
        args=["clinician", "reset-password", AMIRA[0]], input="short-pass\nshort-pass\n"
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert sign_in(app.test_client()).status_code == 302


@pytest.mark.parametrize(
    "args",
    [
        ["clinician", "disable", "nobody@example.org"],
        ["clinician", "reset-password", "nobody@example.org", "--generate-password"],
    ],
)
def test_an_unknown_email_is_an_error_without_a_traceback(runner, args):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit)
    assert "No account for nobody@example.org." in result.output
    assert "Traceback" not in result.output
    assert "shown once" not in result.output
