"""`make bench` is not run in CI: the helpers its scripts drive the app with are tested here, so a
change to the app cannot leave a benchmark broken unnoticed."""

from __future__ import annotations

import sys

from helpers import ROOT
from personas import PERSONAS

from screening.core.flow import parse_answers

sys.path.insert(0, str(ROOT / "bench"))

import inprocess
import result_height


def test_result_height_s_cookie_opens_each_persona_s_result(app):
    bank = app.extensions["screening"].bank
    for name, persona in PERSONAS.items():
        client = app.test_client()
        client.set_cookie("answers", result_height.cookie_for(app, persona.answers))
        page = client.get("/result")
        assert page.status_code == 200, name
        mode = bank.mode_of(parse_answers(bank, persona.answers))
        assert bank.band(persona.band).title.get(mode) in page.text, name


def test_inprocess_reaches_a_late_question_and_its_empty_page(tmp_path):
    client, url = inprocess.question_client(tmp_path, empty_page=True)
    assert url.startswith("/questions/")
    late, answer = inprocess.answered_to(client, url, inprocess.LATE - 2)
    page = client.get(late)
    assert page.status_code == 200
    assert f"Question {inprocess.LATE} of about" in page.text
    assert client.post(late, data=answer).status_code == 302
    assert client.get("/bench-empty").status_code == 200
