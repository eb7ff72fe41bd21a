"""The language of the pages: the browser's by default, the person's choice for the visit,
switched on any page without losing an answer."""

from __future__ import annotations

import html
import json
import re

import pytest
from helpers import ALL_CLEAR, Respondent, csrf_token

SPANISH_TITLE = "Revisión del consumo de ketamina"
ENGLISH_TITLE = "Ketamine use check"


def lang(page) -> str:
    return re.search(r'<html lang="([^"]+)">', page.text).group(1)


def switch_link(page, code: str) -> str:
    """The address of the page's switch to a language, with its hreflang and lang checked."""
    found = re.search(rf'<a href="([^"]+)" hreflang="{code}" lang="{code}"', page.text)
    assert found, f"no switch to {code}"
    return found.group(1).replace("&amp;", "&")


def answers(app, client) -> dict:
    token = client.get_cookie("answers").value
    return json.loads(app.extensions["drafts"].decrypt(token))["answers"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("es-US,es;q=0.9,en;q=0.5", "es"),
        ("es", "es"),
        ("en-US", "en"),
        ("fr, de", "en"),
        ("", "en"),
    ],
)
def test_the_browser_language_picks_the_default(client, accept, expected):
    page = client.get("/", headers={"Accept-Language": accept} if accept else {})
    assert lang(page) == expected
    assert (SPANISH_TITLE if expected == "es" else ENGLISH_TITLE) in page.text


def test_every_page_offers_the_other_language_in_its_own_words(client):
    english = client.get("/")
    assert '<li aria-current="true" lang="en">English</li>' in english.text
    assert switch_link(english, "es").startswith("/language/es?next=")
    spanish = client.get("/", headers={"Accept-Language": "es"})
    assert '<li aria-current="true" lang="es">Español</li>' in spanish.text
    assert ">English</a>" in spanish.text and switch_link(spanish, "en")


def test_switching_mid_check_keeps_every_answer_and_stays_on_the_question(app, client, respondent):
    respondent.start()
    respondent.answer("respondent", "self")
    before = answers(app, client)
    question = client.get("/questions/last_use")
    assert "When did you last use ketamine?" in question.text
    switched = client.get(switch_link(question, "es"))
    assert (switched.status_code, switched.location) == (303, "/questions/last_use")
    again = client.get(switched.location)
    assert lang(again) == "es" and "¿Cuándo consumió ketamina por última vez?" in again.text
    assert answers(app, client) == before
    # The choice holds for the visit, whatever the browser asks for, and the check goes on.
    page = client.get("/questions/last_use", headers={"Accept-Language": "en"})
    assert lang(page) == "es"
    data = {"csrf_token": csrf_token(page.text), "last_use": "past_year"}
    following = client.post("/questions/last_use", data=data).location
    assert answers(app, client) == {**before, "last_use": ["past_year"]}
    back = client.get(switch_link(client.get(following), "en"))
    assert back.location == following and lang(client.get(following)) == "en"


def test_a_question_being_changed_keeps_its_place_in_the_switch(client, respondent):
    respondent.start()
    respondent.answer("respondent", "self")
    page = client.get("/questions/respondent?change=1")
    assert client.get(switch_link(page, "es")).location == "/questions/respondent?change=1"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/nope",
        "",
        "relative",
    ],
)
def test_the_switch_goes_back_only_to_a_page_of_this_site(client, target):
    response = client.get("/language/es", query_string={"next": target})
    assert (response.status_code, response.location) == (303, "/")


def test_a_language_the_bank_is_not_written_in_changes_nothing(client):
    client.get("/language/fr", query_string={"next": "/privacy"})
    assert lang(client.get("/")) == "en"


def test_the_answers_never_go_into_the_switch(client, respondent):
    """The switch carries the page's address only: no answer is in a URL."""
    respondent.start()
    respondent.answer("respondent", "other")
    page = client.get("/questions/relationship")
    link = switch_link(page, "es")
    assert link == "/language/es?next=/questions/relationship"


# --- a whole check in Spanish: no English word on any page -------------------------------------

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def _vocabularies(app) -> tuple[set[str], set[str]]:
    """The words of every English text (catalog ids, bank, help) and of every Spanish one (and
    the names Spanish pages keep as they are)."""
    from babel.messages.pofile import read_po

    from screening.core.text import texts_in

    content = app.extensions["screening"]
    english, spanish = set(), set()
    with open("translations/es/LC_MESSAGES/messages.po", "rb") as po:
        for message in read_po(po):
            if message.id:
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strs = message.string if isinstance(message.string, tuple) else (message.string,)
                english |= set().union(*(_words(re.sub(r"<[^>]+>|%\(\w+\)s", " ", i)) for i in ids))
                spanish |= set().union(
                    *(_words(re.sub(r"<[^>]+>|%\(\w+\)s", " ", s)) for s in strs)
                )
    region = content.region
    texts = [
        text for _, text in [*texts_in(content.bank), *texts_in(region), *texts_in(content.site)]
    ]
    for text in [*texts, *region.terms.values()]:
        for wording in text.by_mode.values():
            english |= _words(wording.get("en", ""))
            spanish |= _words(wording.get("es", "") + " " + wording.get("", ""))
    for resource in region.resources:  # email addresses are the same in every language
        spanish |= _words(resource.email or "")
    return english, spanish


def _visible(html_text: str) -> str:
    html_text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html_text)
    html_text = re.sub(r'(?s)<a [^>]*hreflang="en"[^>]*>.*?</a>', " ", html_text)  # "English"
    html_text = re.sub(r'(?s)<li aria-current="true" lang="en">.*?</li>', " ", html_text)
    # a paper's own title and journal, in the language they were published in
    html_text = re.sub(r'(?s)<(cite|i) lang="en">.*?</\1>', " ", html_text)
    return html.unescape(re.sub(r"<[^>]+>", " ", html_text))


SPANISH_JOURNEYS = {
    "self, no signs": "all_clear",
    "self, many signs in crisis": "many_signs_in_crisis",
    "someone else, crisis and unknowns": "proxy_crisis_unknowns",
}


@pytest.mark.parametrize("scenario", SPANISH_JOURNEYS.values(), ids=SPANISH_JOURNEYS.keys())
def test_a_whole_check_in_spanish_shows_no_english_word(app, client, scenario):
    """Every page of a check in Spanish, in both modes and without JavaScript (a test client
    runs none): start, each question (and one with an error), check answers, the result,
    privacy, a page not found."""
    from personas import SCENARIOS

    english, spanish = _vocabularies(app)
    english_only = english - spanish
    chosen = SCENARIOS[scenario].answers if scenario in SCENARIOS else ALL_CLEAR
    client.get("/language/es?next=/")
    pages = {"start": client.get("/")}
    person = Respondent(client)
    response = person.start()
    pages["question error"] = client.post(
        response.location, data={"csrf_token": csrf_token(pages["start"].text)}
    )
    while response.location and response.location.startswith("/questions/"):
        question_id = response.location.split("/")[-1].split("?")[0]
        pages[question_id] = client.get(response.location)
        answer = chosen[question_id]
        response = person.answer(question_id, *([answer] if isinstance(answer, str) else answer))
    pages["check answers"] = client.get("/check-answers")
    pages["result"] = person.finish()
    pages["privacy"] = client.get("/privacy")
    pages["not found"] = client.get("/no-such-page")
    found = {}
    for name, page in pages.items():
        assert lang(page) == "es", name
        left = sorted(_words(_visible(page.text)) & english_only)
        if left:
            found[name] = left
    assert found == {}


def test_the_english_word_check_finds_english(app):
    english, spanish = _vocabularies(app)
    assert {"your", "answers", "the", "continue"} <= english - spanish
    assert not {"respuestas", "continuar"} & (english - spanish)


def test_a_crisis_result_in_spanish_says_how_to_reach_988_in_spanish(client):
    """988 answers in Spanish when the caller presses 2 (or texts AYUDA): the crisis help, which
    comes first, says so."""
    from personas import SCENARIOS

    client.get("/language/es?next=/")
    person = Respondent(client)
    person.answer_all(SCENARIOS["many_signs_in_crisis"].answers)
    result = person.finish().text
    page = _visible(result)
    first = page.index("llame al 988 y oprima el 2 para español, o envíe AYUDA")
    assert first < page.index("Sus respuestas sugieren")  # before the result's own words
    # and its site is the Spanish one (988lineadevida.org, with chat in Spanish)
    assert 'href="https://988lineadevida.org"' in result and "988lifeline.org" not in result


def test_every_page_says_how_to_reach_988_in_the_page_s_language(client):
    """The footer names the crisis line on every page: in Spanish with how to reach it in
    Spanish, and its Spanish site; in English, where to press for Spanish (a family member
    may be reading for someone)."""

    def footer(code: str) -> str:
        page = client.get("/", headers={"Accept-Language": code}).text
        return " ".join(_visible(page).split())

    assert "al 988 (para español, oprima el 2 o escriba AYUDA)." in footer("es")
    assert "text 988 (for Spanish, press 2 or text AYUDA)." in footer("en")


def test_every_interface_message_has_spanish_in_every_plural_form():
    """An empty form (Spanish has three) would show English on a Spanish page."""
    from babel.messages.pofile import read_po

    with open("translations/es/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    missing = [
        m.id
        for m in catalog
        if m.id
        and (
            "fuzzy" in m.flags
            or not all(m.string if isinstance(m.string, tuple) else (m.string,))
            or (isinstance(m.id, tuple) and len(m.string) != catalog.num_plurals)
        )
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("territory", "language", "written"),
    [
        ("US", "en", "4,477"),
        ("US", "es", "4,477"),
        ("GB", "en", "4,477"),
        ("ES", "es", "4.477"),
        ("GB", "es", "4.477"),
        (None, "es", "4.477"),
        (None, "en", "4,477"),
    ],
)
def test_numbers_are_written_as_in_the_region_else_as_the_language_writes_them(
    app, territory, language, written
):
    """Spanish in Spain, or with no region's way known (es_GB is no locale): "4.477"."""
    from dataclasses import replace

    from screening.web import i18n

    content = app.extensions["screening"]
    region = content.region.model_copy(update={"territory": territory})
    app.extensions["screening"] = replace(content, region=region)
    with app.test_request_context(headers={"Accept-Language": language}):
        assert i18n.count(4477) == written
