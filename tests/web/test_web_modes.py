"""Both modes end to end through the pages: wording, 'I don't know', and the result's framing."""

from __future__ import annotations

import html
import re

import pytest
from helpers import ALL_CLEAR, csrf_token
from personas import FULL_PATH, SCENARIOS

from screening.core.bank import DONT_KNOW

PROXY = SCENARIOS["proxy_partner_every_question"].answers


def heading(page: str) -> str:
    return html.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)).strip()


def walk(client, bank, answers: dict, mode: str) -> list[str]:
    """Answer every question the flow asks, checking each page's wording and options."""
    page = client.get("/")
    response = client.post("/start", data={"csrf_token": csrf_token(page.text)})
    asked = []
    while response.location.startswith("/questions/"):
        question = bank.by_id[response.location.split("/")[-1]]
        page = client.get(response.location)
        asked.append(question.id)
        shown = page.text if question.id != "respondent" else ""
        if shown:
            assert heading(page.text) == question.text.get(mode), question.id
            assert (f'value="{DONT_KNOW}"' in shown) == (
                question.option(DONT_KNOW) is not None and mode == "other"
            )
        chosen = answers[question.id]
        data = {"csrf_token": csrf_token(page.text), question.id: chosen}
        response = client.post(response.location, data=data)
        assert response.status_code == 302, (question.id, response.status_code)
    assert response.location == "/check-answers"
    return asked


@pytest.mark.parametrize("mode", ["self", "other"])
def test_every_question_answerable_in_each_mode(client, bank, mode):
    answers = PROXY if mode == "other" else {**ALL_CLEAR, **FULL_PATH}
    asked = walk(client, bank, answers, mode)
    expected = 26 if mode == "other" else 23
    assert len(asked) == expected
    assert client.get("/result").status_code == 200


def test_proxy_with_every_answer_unknown(client, bank):
    answers = {q: DONT_KNOW for q in bank.by_id} | {
        "respondent": "other",
        "relationship": "rather_not_say",
        "contact": "monthly",
        "confidence": "not_sure",
        "mixing": [DONT_KNOW],
        "urinary": [DONT_KNOW],
    }
    asked = walk(client, bank, answers, "other")
    page = client.get("/result").text
    unknown = len(asked) - 4  # all but the questions about the respondent
    assert f"You answered 'I don't know' to {unknown} of the {unknown}" in html.unescape(page)
    # The "not enough to say" band explains the unknowns itself: the general note is not repeated.
    assert "It means this check can't judge the risk" in html.unescape(page)
    assert "the less this result can tell you" not in html.unescape(page)
    assert "There is not enough to go on to say more" in page
    assert "You are not sure of what is going on" in html.unescape(page)


def test_proxy_result_is_framed_as_concern_and_helps_the_family_member(client, bank):
    walk(client, bank, PROXY, "other")
    page = html.unescape(client.get("/result").text)
    assert "Your answers suggest some reasons for concern" in page
    assert "signs of risk" not in page
    for section in ("How to talk with the person", "If something goes wrong", "Support for you"):
        assert section in page
    assert "Nar-Anon Family Groups" in page and "SMART Recovery Family &amp; Friends" in (
        client.get("/result").text
    )
    assert "Answers you didn't know" not in page  # shown only when some answers were unknown
    assert "You answered 'I don't know'" not in page
    assert "This check is about your level of concern" in page
    # Every listed help resource of the region, family support too, each once: with a flag or in
    # the list; naloxone and one's own doctor only where a flag asks for them (none does here).
    names = [html.unescape(n) for n in re.findall(r'"contact__name">([^<]+)<', page)]
    region = client.application.extensions["screening"].region
    assert sorted(names) == sorted(r.name.get() for r in region.resources if r.listed)
    assert len(names) == len(region.resources) - 2


def test_self_result_has_no_proxy_sections(client, bank):
    walk(client, bank, {**ALL_CLEAR, **FULL_PATH}, "self")
    page = html.unescape(client.get("/result").text)
    assert "Your answers suggest some signs of risk" in page
    for section in ("How to talk with the person", "Support for you", "'I don't know'"):
        assert section not in page
    assert "Nar-Anon Family Groups" not in page  # support for family and friends only in 'other'


def test_proxy_crisis_comes_first_and_speaks_to_the_family_member(client, bank):
    walk(client, bank, {**PROXY, "self_harm": "often"}, "other")
    page = html.unescape(client.get("/result").text)
    crisis = page.index("If you think the person might harm themselves")
    assert crisis < page.index("reasons for concern")
    assert "stay with them" in page[crisis:]


def test_changing_whose_use_it_is_asks_the_new_questions(client, bank):
    walk(client, bank, {**ALL_CLEAR, **FULL_PATH}, "self")
    page = client.get("/questions/respondent?change=1")
    response = client.post(
        "/questions/respondent?change=1",
        data={"csrf_token": csrf_token(page.text), "respondent": "other"},
    )
    assert response.location == "/questions/relationship?change=1"
    assert client.get("/check-answers").location == "/questions/relationship"


def test_every_help_listed_with_advice_can_be_reached(client, bank):
    walk(client, bank, PROXY, "other")
    page = client.get("/result").text
    start = page.index('id="flag-support_for_you"')
    support = page[start : page.index("</details>", start)]
    contacts = support.split('<div class="contact">')[1:]
    names = [html.unescape(re.search(r'"contact__name">([^<]+)<', c).group(1)) for c in contacts]
    family = client.application.extensions["screening"].region.tagged("family")
    assert names == [r.name.get() for r in family] and len(names) == 4
    for name, contact in zip(names, contacts, strict=True):
        links = re.findall(r'<a href="([^"]+)"', contact)
        assert links and all(link.startswith(("tel:", "sms:", "https://")) for link in links), name
