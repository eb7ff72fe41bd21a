"""Shared fixtures: an app on a temporary instance folder, its client and CLI runner."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from screening import create_app
from screening.bank import Bank, load_bank

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "questions.yaml"
ASSIST = Path(__file__).parent / "banks" / "assist.yaml"


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


def csrf_token(html: str) -> str:
    """Read the CSRF token from a page's form, as a browser would submit it."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


class Respondent:
    """Drives the flow through the test client the way a browser would: GET, then POST the form."""

    def __init__(self, client):
        self.client = client

    def start(self):
        page = self.client.get("/")
        return self.client.post("/start", data={"csrf_token": csrf_token(page.text)})

    def answer(self, question_id: str, *options: str, query: str = ""):
        url = f"/questions/{question_id}{query}"
        page = self.client.get(url)
        assert page.status_code == 200, (question_id, page.status_code, page.location)
        data = {"csrf_token": csrf_token(page.text), question_id: list(options)}
        return self.client.post(url, data=data)

    def answer_all(self, answers: dict[str, str | list[str]]):
        """Answer questions in the order the flow asks them, until check-answers."""
        response = self.start()
        while response.location and response.location.startswith("/questions/"):
            question_id = response.location.split("/")[-1].split("?")[0]
            chosen = answers[question_id]
            response = self.answer(question_id, *([chosen] if isinstance(chosen, str) else chosen))
        return response

    def finish(self):
        page = self.client.get("/check-answers")
        assert page.status_code == 200
        self.client.post("/check-answers", data={"csrf_token": csrf_token(page.text)})
        return self.client.get("/result")


@pytest.fixture
def respondent(client):
    return Respondent(client)
