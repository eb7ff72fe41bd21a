"""The logs keep nothing private: no answer, no question a person reached, no link token, no
reference or withdrawal code, no password, no cookie; and an unexpected error is logged by its
type and place, never by its message.

Every record from every logger is captured at DEBUG, so a library that starts logging request
details would be caught too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from clinic import (
    AMIRA,
    REFERENCE,
    SECRET,
    add_clinician,
    create_link,
    make_app,
    post_form,
    reference,
    share,
    shared_through,
    sign_in,
    signed_in,
)
from flask import Flask
from flask.testing import FlaskClient
from helpers import ALL_CLEAR, Respondent, csrf_token
from personas import SCENARIOS

from screening.core import exports, flow
from screening.storage import records

PASSWORD = "sentinel-Pa55word-Qz7!"  # the clinician's real password
WRONG_PASSWORD = "sentinel-WrongPass-Jx4?"  # a mistyped one: not to be logged either
NAME = "Sentinel Initials ZQX"  # what the patient typed as their name
LABEL = "Sentinel label Kw8"  # the link's label, seen only by the clinician
CONTACT = "Sentinel contact 555-0199"
# Answers chosen to be distinctive where the bank allows, on a path through every question.
SELF = SCENARIOS["distinctive_self"].answers
PROXY = SCENARIOS["proxy_distinctive"].answers


class Logs:
    """Every record logged while a test runs, from every logger, as the text a handler writes."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog

    def lines(self) -> list[str]:
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        return [formatter.format(record) for record in self.caplog.records]

    def leaks(self, secrets: dict[str, str], words: dict[str, str] | None = None) -> list[str]:
        """Say which of the secrets (anywhere) and words (as whole words) a log line holds."""
        text = "\n".join(self.lines())
        found = [f"{what}: {s!r}" for what, s in secrets.items() if s and s in text]
        for what, word in (words or {}).items():
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
                found.append(f"{what}: {word!r}")
        return found


@pytest.fixture
def logs(caplog) -> Iterator[Logs]:
    caplog.set_level(logging.DEBUG)  # the root logger: every logger that propagates
    # A logger that does not propagate to the root would slip past: give it the handler too.
    quiet = [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in quiet:
        logger.addHandler(caplog.handler)
    try:
        yield Logs(caplog)
    finally:
        for logger in quiet:
            logger.removeHandler(caplog.handler)


@pytest.fixture
def app(tmp_path, logs) -> Flask:
    """Rate limits on, as in production; the app is made while the logs are being captured."""
    app = make_app(tmp_path)
    app.logger.setLevel(logging.DEBUG)  # the audit lines, and anything else the app logs itself
    return app


def recording(app: Flask) -> set[str]:
    """Make every test client of the app remember each cookie value it is sent."""
    seen: set[str] = set()

    class Recording(FlaskClient):
        def open(self, *args, **kwargs):
            response = super().open(*args, **kwargs)
            for header in response.headers.getlist("Set-Cookie"):
                value = header.partition("=")[2].partition(";")[0].strip('"')
                if value:
                    seen.add(value)
            return response

    app.test_client_class = Recording
    return seen


def walk(client: FlaskClient, answers: dict) -> tuple[list[str], set[str]]:
    """Answer every question the flow asks; return the questions asked and the options chosen."""
    person = Respondent(client)
    response = person.start()
    asked, chosen = [], set()
    while response.location.startswith("/questions/"):
        question_id = response.location.split("/")[-1].split("?")[0]
        options = answers[question_id]
        options = [options] if isinstance(options, str) else options
        response = person.answer(question_id, *options)
        assert response.status_code == 302, (question_id, response.status_code)
        asked.append(question_id)
        chosen |= set(options)
    assert response.location == "/check-answers"
    assert person.finish().status_code == 200
    return asked, chosen


def shared_codes(client: FlaskClient, name: str = "") -> tuple[str, str]:
    response = share(client, name)
    assert response.location == "/shared", response.status_code
    page = client.get("/shared").text
    return REFERENCE.search(page).group(0), SECRET.search(page).group(0)


def test_a_whole_journey_logs_no_answer_code_token_password_or_cookie(app, logs):
    cookies = recording(app)
    add_clinician(app, AMIRA, password=PASSWORD)
    clinician = app.test_client()
    assert sign_in(clinician, AMIRA[0], WRONG_PASSWORD).status_code == 401
    assert sign_in(clinician, AMIRA[0], PASSWORD).status_code == 302
    token = create_link(clinician, label=LABEL, contact=CONTACT).rsplit("/", 1)[-1]

    # A person checks their own use from the link and shares it with their initials.
    person = app.test_client()
    assert person.get(f"/r/{token}").status_code == 302
    asked, chosen = walk(person, SELF)
    reference, secret = shared_codes(person, NAME)

    # A family member does a check about someone else from the same link, and shares it too.
    relative = app.test_client()
    assert relative.get(f"/r/{token}").status_code == 302
    asked_other, chosen_other = walk(relative, PROXY)
    reference_other, secret_other = shared_codes(relative)

    # The clinician lists, opens, exports and prints what was shared.
    for url in (
        "/clinician/",
        f"/clinician/results/{reference}",
        f"/clinician/results/{reference_other}",
        f"/clinician/results/{reference}/fhir",
        "/clinician/export.csv",
        "/clinician/questionnaire.json",
    ):
        assert clinician.get(url).status_code == 200, url

    # Both shares are withdrawn: by the codes, from another browser; and from the sharing one.
    elsewhere = app.test_client()
    data = {"reference": reference, "secret": secret}
    assert post_form(elsewhere, "/withdraw", "/withdraw", **data).status_code == 302
    assert post_form(relative, "/withdraw", "/withdraw", this_browser="1").status_code == 302
    assert post_form(person, "/result", "/clear").status_code == 302
    assert post_form(clinician, "/clinician/", "/clinician/logout").status_code == 302

    secrets = {
        "link token": token,
        "password": PASSWORD,
        "mistyped password": WRONG_PASSWORD,
        "name": NAME,
        "link label": LABEL,
        "link contact": CONTACT,
        "withdrawal secret": secret,
        "other withdrawal secret": secret_other,
    }
    for what, code in (("reference", reference), ("other reference", reference_other)):
        secrets |= {what: code, f"{what} without dash": code.replace("-", "")}
    secrets |= {f"cookie {i}": value for i, value in enumerate(sorted(cookies))}
    # Option and question ids that are ordinary words ("often", "alone") are looked for as whole
    # words; the distinctive ones ("also_outside", "pelvic_pain") anywhere, by being in both lists.
    words = {f"answer {o}": o for o in chosen | chosen_other}
    words |= {f"question {q}": q for q in {*asked, *asked_other}}
    secrets |= {what: word for what, word in words.items() if "_" in word or len(word) >= 8}
    assert {"also_outside", "benzodiazepines", "pelvic_pain", "dont_know"} <= chosen | chosen_other
    assert {"gave_up", "hazardous", "despite_harm"} <= {*asked, *asked_other}
    assert len(cookies) > 10  # session and answers cookies, each time they changed

    assert not logs.leaks(secrets, words), logs.lines()
    # The capture is live: the audit lines (who did what, never to what) are there.
    lines = logs.lines()
    for action in ("login", "create_link", "view_result", "export_fhir", "export_csv", "logout"):
        assert any(line.endswith(f": {action}") for line in lines), (action, lines)


def test_refused_sign_ins_log_neither_email_nor_password(app, logs):
    add_clinician(app, AMIRA, password=PASSWORD)
    client = app.test_client()
    email = "sentinel-nobody@example.org"
    statuses = [sign_in(client, email, WRONG_PASSWORD).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    leaks = logs.leaks({"email": email, "password": WRONG_PASSWORD, "real password": PASSWORD})
    assert not leaks, logs.lines()


# Unexpected errors ------------------------------------------------------------------------------

MESSAGE = "sentinel-secret-xyz"


def _fail():
    raise RuntimeError(MESSAGE)


FAIL_LINE = _fail.__code__.co_firstlineno + 1


def test_an_unexpected_error_is_generic_and_logged_by_type_and_place(app, logs):
    app.add_url_rule("/test-only/fail", view_func=_fail, methods=["POST"])  # before any request
    client = app.test_client()
    data = {"csrf_token": csrf_token(client.get("/").text), "answer": "sentinel-body"}
    response = client.post("/test-only/fail?q=sentinel-query", data=data)
    assert response.status_code == 500
    page = response.text
    assert "Sorry, there is a problem with the service" in page
    for private in ("Traceback", MESSAGE, "RuntimeError", "test_logs.py", "sentinel-"):
        assert private not in page, private

    errors = [r for r in logs.caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, logs.lines()
    (error,) = errors
    assert error.name == "screening.web.errors"
    line = error.getMessage()
    assert "RuntimeError" in line and f"test_logs.py:{FAIL_LINE}" in line, line
    assert error.exc_info is None and error.exc_text is None and error.stack_info is None
    assert not any("sentinel-" in text for text in logs.lines()), logs.lines()


# The address of a request that failed can hold a secret, or the question a person reached ----


def _raiser(*args, **kwargs):
    raise RuntimeError(MESSAGE)


def _failing_link(app: Flask, monkeypatch) -> tuple[FlaskClient, str, str]:
    token = "sentinelTokenQ7x2Lk9Wd3"
    monkeypatch.setattr(records, "link_by_token", _raiser)
    return app.test_client(), f"/r/{token}", token


def _failing_question(app: Flask, monkeypatch) -> tuple[FlaskClient, str, str]:
    client = app.test_client()
    Respondent(client).answer_all(ALL_CLEAR)
    monkeypatch.setattr(flow.Route, "progress", _raiser)
    return client, "/questions/self_harm", "self_harm"


def _failing_export(app: Flask, monkeypatch) -> tuple[FlaskClient, str, str]:
    add_clinician(app, AMIRA)
    clinician = signed_in(app)
    _, row = shared_through(app, create_link(clinician))
    monkeypatch.setattr(exports, "questionnaire_response", _raiser)
    return clinician, f"/clinician/results/{reference(row)}/fhir", reference(row)


@pytest.mark.parametrize(
    "failing",
    [_failing_link, _failing_question, _failing_export],
    ids=["link-token", "question-id", "reference-code"],
)
def test_a_failed_request_does_not_log_what_its_address_holds(app, logs, monkeypatch, failing):
    client, path, private = failing(app, monkeypatch)
    assert client.get(path).status_code == 500
    assert [r for r in logs.caplog.records if r.name == "screening.web.errors"]
    assert not logs.leaks({"what the address holds": private}), logs.lines()
