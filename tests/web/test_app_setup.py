"""Setting the app up: bank errors, the secret key, environment variables and the database."""

from __future__ import annotations

import logging
import re
import sqlite3
import stat

import pytest
from flask import Flask
from helpers import ASSIST, Respondent

from screening import create_app
from screening.settings import _development_secret

KEY = "test-secret-key-that-is-long-enough"
TINY_BANK = """\
id: tiny
version: "1"
language: en
title: Tiny
about: A tiny bank.
result_note: Not a diagnosis.
domains:
  - { id: use, title: Use, about: Use. }
questions:
  - id: how_often
    domain: use
    text: How often?
    source: Made up for a test.
    options:
      - { id: never, label: Never, score: 0 }
      - { id: daily, label: Daily, score: 2 }
bands:
  - { id: low, min: 0, max: 1, title: Low, body: Low. }
  - { id: high, min: 2, title: High, body: High. }
"""


@pytest.fixture
def no_env(monkeypatch, tmp_path):
    """No SCREENING_* variables from the shell, and an instance folder under tmp_path."""
    for name in ("SECRET_KEY", "DEVELOPMENT", "TESTING", "BANK", "SITE", "DATABASE"):
        monkeypatch.delenv(f"SCREENING_{name}", raising=False)
    instance = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(instance))
    return instance


def test_broken_bank_stops_start_up_with_file_line_and_question(tmp_path, no_env):
    good = tmp_path / "good.yaml"
    good.write_text(TINY_BANK)
    config = {"TESTING": True, "SECRET_KEY": KEY, "DATABASE": str(tmp_path / "db.sqlite3")}
    assert create_app({**config, "BANK": str(good)}).extensions["screening"].bank.id == "tiny"

    broken = tmp_path / "broken.yaml"
    broken.write_text(TINY_BANK.replace("score: 2", "score: lots"))
    with pytest.raises(SystemExit) as raised:
        create_app({**config, "BANK": str(broken)})
    message = str(raised.value.code)
    assert message.startswith("Cannot start: ")
    line = next(i for i, t in enumerate(TINY_BANK.splitlines(), 1) if "score: 2" in t)
    assert f"{broken}:{line}: question 'how_often', option 'daily', score" in message
    assert "Traceback" not in message
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_missing_secret_key_outside_development(tmp_path, no_env):
    with pytest.raises(SystemExit) as raised:
        create_app({"SECRET_KEY": None, "DATABASE": str(tmp_path / "db.sqlite3")})
    assert "SCREENING_SECRET_KEY" in str(raised.value.code)
    assert not (no_env / "secret_key").exists()


def test_several_servers_need_one_database_and_shared_rate_limits(tmp_path, no_env):
    """Each machine would keep its own SQLite file and count its own tries: refused."""
    config = {"TESTING": True, "SECRET_KEY": KEY, "SERVERS": 2}
    with pytest.raises(SystemExit) as raised:
        create_app({**config, "DATABASE": str(tmp_path / "db.sqlite3")})
    assert "SCREENING_DATABASE" in str(raised.value.code) and "PostgreSQL" in str(raised.value.code)
    shared = {**config, "DATABASE": "postgresql://screening@127.0.0.1:1/screening"}
    with pytest.raises(SystemExit) as raised:
        create_app(shared)  # limits in memory, the default
    assert "SCREENING_RATELIMIT_STORAGE_URI" in str(raised.value.code)
    app = create_app({**shared, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"})
    assert app.config["SERVERS"] == 2  # starts: a database that is down is a warning, as ever
    assert create_app({**config, "SERVERS": 1, "DATABASE": str(tmp_path / "one.sqlite3")})


def test_development_secret_is_generated_once_and_reused(tmp_path, no_env):
    config = {"DEVELOPMENT": True, "DATABASE": str(tmp_path / "db.sqlite3")}
    first = create_app(config)
    secret_file = no_env / "secret_key"
    assert first.instance_path == str(no_env)
    assert re.fullmatch(r"[0-9a-f]{64}", first.config["SECRET_KEY"])
    assert secret_file.read_text().strip() == first.config["SECRET_KEY"]
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert create_app(config).config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_development_secret_helper(tmp_path):
    instance = tmp_path / "new" / "instance"
    secret = _development_secret(instance)
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600
    assert _development_secret(instance) == secret
    assert _development_secret(tmp_path / "other") != secret


def test_prefixed_environment_variables_are_read(monkeypatch, tmp_path, no_env):
    monkeypatch.setenv("SCREENING_BANK", str(ASSIST))
    monkeypatch.setenv("SCREENING_DRAFT_MINUTES", "7")
    app = create_app({"TESTING": True, "SECRET_KEY": KEY, "DATABASE": str(tmp_path / "db")})
    assert app.config["DRAFT_MINUTES"] == 7
    client = app.test_client()
    assert Respondent(client).start().location == "/questions/q1"
    page = client.get("/questions/q1")
    assert page.status_code == 200
    assert "In your life, have you ever used hallucinogens" in page.text


def test_database_is_created_in_wal_mode(app):
    with sqlite3.connect(app.config["DATABASE"]) as db:
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
    assert mode == "wal"
    assert "daily_counts" in tables


def test_check_still_works_when_the_database_cannot_be_created(tmp_path, no_env, caplog):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    database = blocker / "sub" / "db.sqlite3"
    with caplog.at_level(logging.WARNING, logger="screening.web.store"):
        app = create_app({"TESTING": True, "SECRET_KEY": KEY, "DATABASE": str(database)})
        respondent = Respondent(app.test_client())
        response = respondent.answer_all(
            {"respondent": "self", "last_use": "never", "self_harm": "no"}
        )
        assert response.location == "/check-answers"
        result = respondent.finish()
    assert result.status_code == 200
    assert "You have never used ketamine" in result.text
    warnings = [r.getMessage() for r in caplog.records if r.name == "screening.web.store"]
    assert any("cannot be used" in w and "the check works" in w for w in warnings)
    assert any("Could not count a completed check" in w for w in warnings)
    assert not database.exists()


def test_a_database_that_is_down_is_logged_without_its_password(tmp_path, no_env, caplog):
    url = "postgresql://screening:not-for-logs@127.0.0.1:1/screening"
    create_app({"TESTING": True, "SECRET_KEY": KEY, "DATABASE": url})
    assert "postgresql://screening:***@127.0.0.1:1/screening cannot be used" in caplog.text
    assert "not-for-logs" not in caplog.text
