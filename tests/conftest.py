"""Shared fixtures: an app on a temporary instance folder, its client, CLI runner and respondent."""

from __future__ import annotations

import pytest
from helpers import ASSIST, BANK, Respondent

from screening import create_app
from screening.core.bank import Bank
from screening.core.loading import load_bank


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank(BANK)


@pytest.fixture(scope="session")
def assist() -> Bank:
    return load_bank(ASSIST)


@pytest.fixture
def app(tmp_path):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough",
            "DATABASE": str(tmp_path / "test.sqlite3"),
        }
    )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def respondent(client):
    return Respondent(client)
