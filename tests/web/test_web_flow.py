"""The respondent's journey through the web pages, driven like a browser by the test client."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from helpers import csrf_token
from personas import SCENARIOS

VOID = {"input", "meta", "link", "img", "br", "hr"}

WEEKLY = SCENARIOS["weekly_every_question"].answers
# Between 3 and 12 months ago, so `frequency` and `time_spent` are skipped.
PAST_YEAR = {**WEEKLY, "last_use": "past_year"}


class Doc(HTMLParser):
    """Every element of a page with its attributes, its ancestors' tags and its text."""

    def __init__(self, html: str):
        super().__init__()
        self.stack: list[dict] = []
        self.elements: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "path": [e["tag"] for e in self.stack]}
        element["text"] = ""
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()["tag"] != tag:
            pass

    def handle_data(self, data):
        for element in self.stack:
            element["text"] += data

    def all(self, tag: str, **attrs: str) -> list[dict]:
        return [
            e
            for e in self.elements
            if e["tag"] == tag and all(e["attrs"].get(k) == v for k, v in attrs.items())
        ]

    def one(self, tag: str, **attrs: str) -> dict:
        found = self.all(tag, **attrs)
        assert len(found) == 1, (tag, attrs, found)
        return found[0]

    def checked(self) -> set[str]:
        return {e["attrs"]["value"] for e in self.all("input") if "checked" in e["attrs"]}

    def back(self) -> str:
        return self.one("a", **{"class": "back-link"})["attrs"]["href"]


def text(html: str) -> str:
    return " ".join(Doc(html).one("body")["text"].split())


def saved(app, client) -> dict:
    """The answers the browser holds, decrypted with the app's own key."""
    token = client.get_cookie("answers").value
    return json.loads(app.extensions["drafts"].decrypt(token))["answers"]


def test_start_page(client):
    page = client.get("/")
    assert page.status_code == 200
    doc = Doc(page.text)
    assert "Start now" in doc.one("button")["text"]
    footer = " ".join(doc.one("footer")["text"].split())
    assert "988 Suicide & Crisis Lifeline: call 988" in footer
    assert doc.all("a", href="/privacy")


def test_start_goes_to_the_first_question(respondent):
    response = respondent.start()
    assert response.status_code == 302
    assert response.location == "/questions/respondent"


def test_weekly_user_happy_path(respondent, client):
    response = respondent.answer_all(WEEKLY)
    assert response.location == "/check-answers"
    result = respondent.finish()
    assert result.status_code == 200
    words = text(result.text)
    assert "Your answers suggest some signs of risk" in words
    assert words.index("What to do now") < words.index("Your answers suggest some signs of risk")
    assert "What your answers show" in words
    assert "Advice that fits your answers" in words
    assert "Mixing ketamine with alcohol, benzos or GHB" in words
    assert "Mixing ketamine with cocaine or other uppers" in words
    assert "Who to contact" in words
    assert "988" in words and "1-800-662-4357" in words
    assert "This check is a screening aid, not a diagnosis" in words
    clear = Doc(result.text).one("form", action="/clear")
    assert clear["attrs"]["method"] == "post"
    assert "Clear my answers and start again" in clear["text"]


def test_never_used_path_has_three_questions(respondent):
    respondent.start()
    assert respondent.answer("respondent", "self").location == "/questions/last_use"
    assert respondent.answer("last_use", "never").location == "/questions/self_harm"
    assert respondent.answer("self_harm", "no").location == "/check-answers"
    rows = Doc(respondent.client.get("/check-answers").text).all("div", **{"class": "summary__row"})
    assert len(rows) == 3
    words = text(respondent.finish().text)
    assert "You have never used ketamine" in words
    assert "signs of risk" not in words


def test_question_page_markup(respondent, client):
    respondent.start()
    assert "Question 1 of about 27" in text(client.get("/questions/respondent").text)
    respondent.answer("respondent", "self")
    page = client.get("/questions/last_use")
    doc = Doc(page.text)
    h1 = doc.one("h1")
    assert h1["text"].strip() == "When did you last use ketamine?"
    assert h1["path"][-2:] == ["fieldset", "legend"]
    radios = doc.all("input", type="radio")
    assert [r["attrs"]["value"] for r in radios] == [
        "past_3_months",
        "past_year",
        "over_year",
        "never",
    ]
    for radio in radios:
        assert radio["attrs"]["name"] == "last_use"
        assert doc.all("label", **{"for": radio["attrs"]["id"]})
    assert doc.checked() == set()
    assert "Continue" in doc.one("button", type="submit")["text"]
    assert "Question 2 of about 24" in text(page.text)
    assert "novalidate" in doc.one("form")["attrs"]


def test_checkbox_question_labels(respondent, client):
    respondent.answer_all(WEEKLY)
    doc = Doc(client.get("/questions/mixing").text)
    boxes = doc.all("input", type="checkbox")
    assert len(boxes) == 7
    for box in boxes:
        assert doc.all("label", **{"for": box["attrs"]["id"]})


def test_back_links(respondent, client):
    respondent.start()
    assert Doc(client.get("/questions/respondent").text).back() == "/"
    respondent.answer("respondent", "self")
    assert Doc(client.get("/questions/last_use").text).back() == "/questions/respondent"
    respondent.answer("last_use", "past_year")
    respondent.answer("treatment", "no")
    assert Doc(client.get("/questions/tolerance").text).back() == "/questions/treatment"
    assert Doc(client.get("/questions/tolerance?change=1").text).back() == "/check-answers"


def test_revisit_shows_previous_answer(respondent, client):
    respondent.start()
    respondent.answer("respondent", "self")
    respondent.answer("last_use", "past_year")
    assert Doc(client.get("/questions/respondent").text).checked() == {"self"}
    assert Doc(client.get("/questions/last_use").text).checked() == {"past_year"}


def test_check_answers_lists_every_answer_with_change_links(respondent, client):
    respondent.answer_all(WEEKLY)
    doc = Doc(client.get("/check-answers").text)
    links = {a["attrs"]["href"] for a in doc.all("a") if a["text"].startswith("Change")}
    assert links == {f"/questions/{q}?change=1" for q in WEEKLY}
    words = text(client.get("/check-answers").text)
    assert "Weekly (1 to 4 times a week)" in words and "Cocaine, MDMA or other uppers" in words


def test_change_that_keeps_the_path_returns_to_check_answers(respondent, client):
    respondent.answer_all(WEEKLY)
    assert respondent.answer("tolerance", "much", query="?change=1").location == "/check-answers"
    assert "Yes, much more (twice as much or more)" in text(client.get("/check-answers").text)


def test_change_to_treatment_asks_new_question_and_drops_the_rest(respondent, client, app):
    respondent.answer_all(WEEKLY)
    response = respondent.answer("treatment", "as_directed", query="?change=1")
    assert response.location == "/questions/treatment_signs?change=1"
    response = respondent.answer("treatment_signs", "none", query="?change=1")
    assert response.location == "/check-answers"
    words = text(client.get("/check-answers").text)
    assert "Noticed since treatment started" in words
    assert "Strong urges to use" not in words and "How often in the past 3 months" not in words
    assert set(saved(app, client)) == {
        "respondent",
        "last_use",
        "treatment",
        "treatment_signs",
        "self_harm",
    }
    result = text(respondent.finish().text)
    assert "Your ketamine or esketamine treatment" in result  # was 'some signs'
    assert "signs of risk" not in result
    assert "What your answers show" not in result


def test_change_to_recent_use_asks_frequency_then_returns(respondent, client):
    respondent.answer_all(PAST_YEAR)
    assert "How often in the past 3 months" not in text(client.get("/check-answers").text)
    response = respondent.answer("last_use", "past_3_months", query="?change=1")
    assert response.location == "/questions/frequency?change=1"
    response = respondent.answer("frequency", "weekly", query="?change=1")
    assert response.location == "/questions/time_spent?change=1"
    response = respondent.answer("time_spent", "little", query="?change=1")
    assert response.location == "/check-answers"
    words = text(client.get("/check-answers").text)
    assert "How often in the past 3 months Weekly (1 to 4 times a week)" in words


def test_missing_answer_shows_errors_and_keeps_earlier_answers(respondent, client):
    respondent.start()
    respondent.answer("respondent", "self")
    respondent.answer("last_use", "past_3_months")
    page = respondent.answer("treatment")
    assert page.status_code == 200
    doc = Doc(page.text)
    assert doc.one("title")["text"].startswith("Error: ")
    summary = doc.one("div", **{"class": "error-summary"})
    assert "There is a problem" in summary["text"]
    assert doc.one("a", href="#treatment-no")["path"][-2:] == ["ul", "li"]
    assert doc.all("input", id="treatment-no")
    inline = doc.one("p", id="treatment-error")["text"]
    assert "Select whether ketamine is part of a treatment" in inline
    assert respondent.answer("treatment", "no").location == "/questions/frequency"


def test_none_of_these_with_another_option(respondent, client, app):
    before_mixing = list(WEEKLY)[: list(WEEKLY).index("mixing")]
    respondent.start()
    for question_id in before_mixing:
        respondent.answer(question_id, WEEKLY[question_id])
    page = respondent.answer("mixing", "alcohol", "none")
    assert page.status_code == 200
    expected = "Select 'None of these' on its own, or select the answers that apply"
    assert expected in Doc(page.text).one("p", id="mixing-error")["text"]
    assert Doc(page.text).checked() == {"alcohol", "none"}
    assert "mixing" not in saved(app, client)


def test_unreachable_question_redirects_to_first_unanswered(respondent, client):
    respondent.start()
    assert client.get("/questions/memory").location == "/questions/respondent"
    assert client.get("/questions/last_use").location == "/questions/respondent"
    respondent.answer("respondent", "self")
    assert client.get("/questions/memory").location == "/questions/last_use"
    respondent.answer("last_use", "past_3_months")
    assert client.get("/questions/craving").location == "/questions/treatment"


def test_result_before_finishing_redirects_to_next_question(respondent, client):
    respondent.start()
    respondent.answer("respondent", "self")
    respondent.answer("last_use", "past_3_months")
    assert client.get("/result").location == "/questions/treatment"
    assert client.get("/check-answers").location == "/questions/treatment"


def test_clear_deletes_answers(respondent, client):
    respondent.answer_all(WEEKLY)
    page = client.get("/result")
    response = client.post("/clear", data={"csrf_token": csrf_token(page.text)})
    assert response.location == "/"
    assert any(h.startswith("answers=;") for h in response.headers.getlist("Set-Cookie"))
    assert client.get_cookie("answers") is None
    assert "Your answers have been cleared." in text(client.get("/").text)
    assert client.get("/questions/last_use").location == "/"


def test_privacy_page(client):
    page = client.get("/privacy")
    assert page.status_code == 200
    words = text(page.text)
    assert "Privacy: what we keep" in words
    assert "Your answers are not stored on our server" in words


# The warning before idle answers are cleared (WCAG 2.2.1) ------------------------------------


def test_each_question_says_how_long_answers_are_kept_and_when_the_warning_comes(
    respondent, client, app
):
    respondent.start()
    page = client.get("/questions/respondent").text
    minutes = app.config["DRAFT_MINUTES"]
    assert f"your answers are cleared if this page is left for {minutes} minutes" in page
    idle = int(re.search(r'data-idle-seconds="(\d+)"', page).group(1))
    assert minutes * 60 - 5 <= idle <= minutes * 60  # just written: the whole idle time
    assert 'id="idle-warning"' in page and "/static/idle.js" in page
    assert 'data-idle-keep-url="/still-here"' in page and 'data-idle-end-url="/"' in page


def test_the_start_page_with_no_answers_has_no_idle_warning(client):
    page = client.get("/").text
    assert "data-idle-seconds" not in page and "idle.js" not in page


def test_keep_going_writes_the_answers_afresh(respondent, client, app):
    respondent.start()
    page = client.get("/questions/respondent").text
    token = re.search(r'data-csrf="([^"]+)"', page).group(1)
    before = client.get_cookie("answers").value
    response = client.post("/still-here", headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.json == {"seconds": app.config["DRAFT_MINUTES"] * 60}
    assert client.get_cookie("answers").value != before  # a new cookie, its idle clock restarted
    assert response.headers["Cache-Control"].startswith("no-store")


def test_keep_going_needs_the_token_and_answers(respondent, client):
    assert client.post("/still-here").status_code == 400  # no token
    fresh = client.application.test_client()
    page = fresh.get("/").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    response = fresh.post("/still-here", headers={"X-CSRFToken": token.group(1)})
    assert response.status_code == 302 and response.location == "/"  # nothing to keep


def test_a_flash_message_takes_focus_so_it_is_read_first(respondent, client):
    respondent.answer_all(WEEKLY)
    client.post("/clear", data={"csrf_token": csrf_token(client.get("/result").text)})
    page = client.get("/").text
    assert "Your answers have been cleared." in page
    notices = re.findall(r'<div class="notice"[^>]*>', page)
    assert notices and 'tabindex="-1" autofocus' in notices[0]


def _left_too_long(client) -> None:
    """What the browser does when the answers cookie reaches its max-age: it forgets it."""
    client.delete_cookie("answers")


def test_an_answer_posted_after_the_answers_were_cleared_is_kept_until_its_question(
    app, client, respondent
):
    respondent.start()
    respondent.answer("respondent", "self")
    page = client.get("/questions/last_use")
    _left_too_long(client)
    posted = client.post(
        "/questions/last_use",
        data={"csrf_token": csrf_token(page.text), "last_use": "past_year"},
    )
    # Back to the first question, saying what happened and what was kept.
    assert (posted.status_code, posted.location) == (302, "/questions/respondent")
    first = client.get(posted.location)
    assert "cleared after 30 minutes without activity" in text(first.text)
    assert "We kept the answer you just gave" in text(first.text)
    assert saved(app, client) == {}
    respondent.answer("respondent", "self")
    again = client.get("/questions/last_use")
    assert Doc(again.text).checked() == {"past_year"}
    assert "the answer you gave before your answers were cleared" in text(again.text)
    # Once it is answered, it is an answer like any other, and no longer kept aside.
    respondent.answer("last_use", "past_year")
    assert saved(app, client) == {"respondent": ["self"], "last_use": ["past_year"]}
    token = client.get_cookie("answers").value
    assert "kept" not in json.loads(app.extensions["drafts"].decrypt(token))["context"]
    assert "before your answers were cleared" not in text(client.get("/questions/last_use").text)


def test_the_first_question_posted_after_the_answers_were_cleared_is_recorded(
    app, client, respondent
):
    respondent.start()
    page = client.get("/questions/respondent")
    _left_too_long(client)
    posted = client.post(
        "/questions/respondent", data={"csrf_token": csrf_token(page.text), "respondent": "other"}
    )
    assert (posted.status_code, posted.location) == (302, "/questions/relationship")
    assert saved(app, client) == {"respondent": ["other"]}
    assert "Please answer the next questions again" in text(client.get(posted.location).text)


def test_a_kept_answer_is_filled_in_only_as_far_as_the_mode_offers_it(app, client, respondent):
    """'I don't know' kept from someone else's check is not put in a check of one's own use."""
    respondent.start()
    respondent.answer("respondent", "other")
    respondent.answer("relationship", "friend")
    respondent.answer("contact", "weekly")
    page = client.get("/questions/last_use")
    _left_too_long(client)
    client.post(
        "/questions/last_use", data={"csrf_token": csrf_token(page.text), "last_use": "dont_know"}
    )
    respondent.answer("respondent", "self")
    assert Doc(client.get("/questions/last_use").text).checked() == set()
    respondent.answer("respondent", "other")
    respondent.answer("relationship", "friend")
    respondent.answer("contact", "weekly")
    assert Doc(client.get("/questions/last_use").text).checked() == {"dont_know"}


def test_an_unreadable_cookie_under_a_posted_answer_says_so_and_keeps_it(app, client, respondent):
    respondent.start()
    respondent.answer("respondent", "self")
    page = client.get("/questions/last_use")
    client.set_cookie("answers", "not-a-fernet-token")
    posted = client.post(
        "/questions/last_use", data={"csrf_token": csrf_token(page.text), "last_use": "never"}
    )
    assert posted.location == "/questions/respondent"
    first = text(client.get(posted.location).text)
    assert "could not be read, so they were cleared" in first
    assert "We kept the answer you just gave" in first


def test_a_post_no_page_could_send_after_the_answers_were_cleared_is_refused(client, respondent):
    respondent.start()
    page = client.get("/questions/respondent")
    _left_too_long(client)
    data = {"csrf_token": csrf_token(page.text), "last_use": "made_up"}
    assert client.post("/questions/last_use", data=data).status_code == 400
    assert client.get_cookie("answers") is None
