"""Shared test helpers: bank paths, a base set of answers, and a browser-like respondent.

Kept out of conftest.py so test modules in any folder can import them by one unambiguous name.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from screening.core.loading import load_bank

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "questions.yaml"
ASSIST = Path(__file__).parent / "banks" / "assist.yaml"

# Answers to the shipped bank by someone who used ketamine in the past 3 months, not as a
# treatment, with the lowest-scoring option to every question on their path: only `frequency`
# (once or twice) scores, so the total is 2. `time_spent` is asked only after weekly or daily
# use, so it is not here: add it wherever `frequency` becomes weekly or daily.
ALL_CLEAR = {
    "respondent": "self",
    "last_use": "past_3_months",
    "treatment": "no",
    "frequency": "once_twice",
    "tolerance": "no",
    "craving": "never",
    "more_than_intended": "never",
    "cut_down": "no",
    "responsibilities": "never",
    "relationships": "no",
    "gave_up": "no",
    "others_concern": "no",
    "hazardous": "no",
    "coping": "never",
    "alone": "never",
    "k_hole": "no",
    "mixing": ["none"],
    "urinary": ["none"],
    "abdominal": "no",
    "memory": "no",
    "self_harm": "no",
}


def as_sets(answers: dict[str, str | list[str]]) -> dict[str, frozenset[str]]:
    """Answers as the engine takes them: each question's option id, or ids, as a frozenset."""
    return {q: frozenset([v] if isinstance(v, str) else v) for q, v in answers.items()}


@cache
def _question_ids() -> list[str]:
    return [q.id for q in load_bank(BANK).questions]


def in_bank_order(answers: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
    """The same answers, keyed in the order the shipped bank asks its questions.

    `{**ALL_CLEAR, "time_spent": ...}` puts `time_spent` last; tests that walk the answers in
    order, or compare with what the engine reports in bank order, need it back in its place.
    """
    return {q: answers[q] for q in sorted(answers, key=_question_ids().index)}


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


def result_in(client, answers: dict, language: str = "en") -> str:
    """A whole check answered in a language (chosen with the switch), and its result page."""
    client.get(f"/language/{language}?next=/")
    person = Respondent(client)
    person.answer_all(answers)
    return person.finish().text
