"""The plan after the result, through the pages: readiness, the menu, "My plan"; kept with
the answers and cleared with them; refused when tampered with; never on the server."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from helpers import ALL_CLEAR, csrf_token, result_in
from personas import PERSONAS, SCENARIOS, UNKNOWN_PROXY
from web.test_language import _visible, _vocabularies, _words

WEEKLY = SCENARIOS["weekly_mild"].answers


def finished(client, answers=WEEKLY, language="en") -> str:
    return result_in(client, answers, language)


def post(client, url, **data):
    token = csrf_token(client.get(url).text)
    return client.post(url, data={"csrf_token": token, **data})


def make_plan(client, readiness="6", option=("cut_down", "safer"), reason=("health",)):
    assert post(client, "/plan", readiness=readiness).location == "/plan/choices"
    response = post(client, "/plan/choices", option=list(option), reason=list(reason))
    assert response.location == "/my-plan"
    return client.get("/my-plan").text


def words(page: str) -> str:
    return " ".join(_visible(page[page.index("<main") : page.index("</main>")]).split())


def test_the_result_offers_a_plan_and_the_plan_keeps_what_was_chosen(client):
    assert 'href="/plan"' in finished(client)
    page = words(make_plan(client))
    assert "How ready I feel: 6 out of 10." in page
    assert "Use less ketamine Choose days each week when you won't use" in page
    assert "Lower the risks while I still use Don't mix ketamine with alcohol" in page
    assert "My health, such as my bladder or my memory" in page
    assert "Stop using ketamine" not in page  # not chosen
    who = page.index("Who can help")
    assert page.index("988 Suicide & Crisis Lifeline") > who  # the crisis line first there
    assert page.index("988 Suicide & Crisis Lifeline") < page.index("SAMHSA")
    # the result now leads back to it, and the choices page shows what was chosen
    assert 'href="/my-plan"' in client.get("/result").text
    choices = client.get("/plan/choices").text
    assert re.search(r'value="cut_down" checked', choices)
    assert not re.search(r'value="stop" checked', choices)


def test_the_readiness_is_optional(client):
    finished(client)
    assert post(client, "/plan").location == "/plan/choices"  # nothing chosen: fine
    page = words(make_plan(client, readiness=None, option=("not_now",), reason=()))
    assert "How ready I feel" not in page and "Nothing for now" in page
    assert 'href="/plan/choices"' in client.get("/plan").text  # and it can be skipped


def test_someone_else_plans_how_to_support_them_and_look_after_themselves(client):
    finished(client, {**UNKNOWN_PROXY, "self_harm": "no"})
    choices = client.get("/plan/choices").text
    assert "How ready do you feel to talk with them" in client.get("/plan").text
    assert {"support_them", "look_after_me", "not_now"} == set(
        re.findall(r'name="option" type="checkbox" value="(\w+)"', choices)
    )
    chosen = {"option": ("support_them", "look_after_me"), "reason": ("my_wellbeing",)}
    page = words(make_plan(client, **chosen))
    assert "Notice the times when they have not used" in page
    assert "If you ever feel unsafe with them, put your own safety first." in page


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/plan", {"readiness": "11"}),
        ("/plan", {"readiness": "-1"}),
        ("/plan", {"readiness": "\u0665"}),  # another script's 5
        ("/plan", {"readiness": "5", "extra": "x"}),
        ("/plan/choices", {"option": ["support_them"]}),  # not offered for one's own use
        ("/plan/choices", {"option": ["nonsense"]}),
        ("/plan/choices", {"reason": ["their_health"]}),
        ("/plan/choices", {"option": ["safer"], "answers": "x"}),
    ],
)
def test_a_tampered_plan_is_refused_and_loses_nothing(client, url, data):
    finished(client)
    kept = words(make_plan(client))
    response = post(client, url, **data)
    assert response.status_code == 400
    assert "Traceback" not in response.text
    assert words(client.get("/my-plan").text) == kept


def test_the_plan_is_cleared_with_the_answers_and_by_quick_exit(client):
    finished(client)
    make_plan(client)
    token = csrf_token(client.get("/result").text)
    client.post("/clear", data={"csrf_token": token})
    assert client.get("/my-plan").location == "/"
    finished(client)
    make_plan(client)
    client.get("/exit")
    assert client.get("/my-plan").location == "/"


def test_no_plan_after_a_treatment_taken_as_directed(client):
    page = finished(client, PERSONAS["esketamine_as_directed"].answers)
    assert 'href="/plan"' not in page
    assert client.get("/plan").status_code == 404


def test_a_plan_in_the_cookie_that_the_bank_does_not_offer_is_not_read(app, client):
    finished(client)
    make_plan(client)
    fernet = app.extensions["drafts"]
    data = json.loads(fernet.decrypt(client.get_cookie("answers").value))
    data["context"]["plan"]["options"] = ["nonsense"]
    client.set_cookie("answers", fernet.encrypt(json.dumps(data).encode()).decode())
    assert client.get("/my-plan").location == "/"  # cleared, with a plain message


def test_nothing_of_the_plan_reaches_the_database_or_the_logs(app, client, caplog):
    path = Path(app.config["DATABASE"])
    finished(client)
    before = {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}
    with caplog.at_level(logging.DEBUG):
        make_plan(client, option=("cut_down", "tell_someone"), reason=("money", "control"))
    after = {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}
    assert after == before
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert not {"tell_someone", "money", "control", "readiness"} & set(re.findall(r"\w+", logged))


def test_the_plan_in_spanish_shows_no_english_word(app, client):
    english, spanish = _vocabularies(app)
    finished(client, WEEKLY, "es")
    pages = {
        "readiness": client.get("/plan").text,
        "choices": client.get("/plan/choices").text,
        "plan": make_plan(client, option=("cut_down", "safer", "get_help")),
    }
    for name, page in pages.items():
        assert '<html lang="es">' in page
        found = sorted(_words(_visible(page)) & (english - spanish))
        assert found == [], (name, found)
    assert "Qué tan listo o lista me siento: 6 de 10." in words(pages["plan"])


def test_after_a_crisis_answer_the_plan_comes_after_the_crisis_help(client, bank):
    page = finished(client, {**ALL_CLEAR, "self_harm": "often"})  # the crisis-first result
    assert page.index('id="flag-crisis"') < page.index('href="/plan"')
    assert "988" in words(make_plan(client)).split("Who can help")[1][:200]
