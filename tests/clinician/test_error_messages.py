"""Every page with an error says so in the same way (GOV.UK's pattern): "Error: " first in the
title, an error summary announced as an alert, and the message at the field it is about, tied to
it by aria-describedby with aria-invalid on every field it concerns."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from clinic import AMIRA, code_step, password_step, post_form, signed_in
from helpers import Respondent, csrf_token


def question_error(app, amira):
    client = app.test_client()
    Respondent(client).start()
    page = client.get("/questions/respondent")
    return client.post("/questions/respondent", data={"csrf_token": csrf_token(page.text)})


def login_error(app, amira):
    return password_step(app.test_client(), AMIRA[0], "not the password at all")


def code_error(app, amira):
    client = app.test_client()
    password_step(client)
    return code_step(client, "000000")


def withdraw_error(app, amira):
    client = app.test_client()
    return post_form(
        client, "/withdraw", "/withdraw", reference="AAA-AAA", secret="AAAA-AAAA-AAAA-AAAA"
    )


def links_error(app, amira):
    return post_form(signed_in(app), "/clinician/links", "/clinician/links", label="", contact="")


def password_error(app, amira):
    client = signed_in(app)
    return post_form(
        client, "/clinician/password", "/clinician/password", current="wrong", new="x", again="x"
    )


# page -> (how to reach it with an error, {field: its message, or None: invalid, no message})
STATES: dict[str, tuple[Callable, dict[str, str | None]]] = {
    "sign-in": (login_error, {"email": "Email or password is wrong.", "password": None}),
    "code": (code_error, {"code": "The code is wrong"}),
    "withdraw": (withdraw_error, {"reference": "The codes do not match", "secret": None}),
    "links": (
        links_error,
        {"label": "Enter a label for the link", "contact": "Enter how patients can contact"},
    ),
    "password": (password_error, {"current": "Your current password is wrong."}),
}


def field_tag(page: str, field_id: str) -> str:
    match = re.search(rf'<input [^>]*id="{field_id}"[^>]*>', page)
    assert match, field_id
    return match.group(0)


def test_a_question_error_is_in_the_title_summary_and_fieldset(app, amira):
    page = question_error(app, amira).text
    assert re.search(r"<title>Error: ", page)
    assert '<div role="alert">' in page and 'href="#respondent-self"' in page
    fieldset = re.search(r'<fieldset class="fieldset" aria-describedby="([^"]+)"', page).group(1)
    assert "respondent-error" in fieldset.split()
    assert re.search(r'<p id="respondent-error" class="error-message">', page)


@pytest.mark.parametrize("name", STATES)
def test_an_error_page_says_so_in_title_summary_and_field(app, amira, name):
    reach, fields = STATES[name]
    response = reach(app, amira)
    assert 400 <= response.status_code < 500, response.status_code
    page = response.text
    assert re.search(r"<title>Error: ", page), "the title starts with Error:"
    summary = re.search(r'<div class="error-summary".*?</ul>\s*</div>\s*</div>', page, re.S)
    assert summary, "an error summary"
    assert '<div role="alert">' in summary.group(0)
    for field_id, message in fields.items():
        tag = field_tag(page, field_id)
        assert 'aria-invalid="true"' in tag, field_id
        described = re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()
        said = [
            html.unescape(re.sub(r"<[^>]+>", "", found))
            for target in described
            for found in re.findall(rf'<[^>]+id="{target}"[^>]*>(.*?)</p>', page, re.S)
            if target.endswith("-error")
        ]
        assert said, f"{field_id} is described by no error message"
        if message:
            assert any(message in text for text in said), (field_id, said)
    assert f'href="#{next(iter(fields))}"' in summary.group(0)  # the summary links to the field
