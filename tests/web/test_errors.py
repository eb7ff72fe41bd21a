"""Error pages send people somewhere that works; settings from the environment are robust."""

from __future__ import annotations

import pytest
from helpers import csrf_token

from screening import create_app


def test_expired_form_shows_the_same_question_again(respondent, client):
    respondent.start()
    response = client.post("/questions/respondent?change=1", data={"respondent": "self"})
    assert response.status_code == 303
    assert response.location == "/questions/respondent?change=1"
    page = client.get(response.location)
    assert "your last choice was not saved" in page.text


def test_refused_answer_links_back_to_its_question(respondent, client):
    start = respondent.start()
    page = client.get(start.location)
    bad = {"csrf_token": csrf_token(page.text), "respondent": "made_up"}
    response = client.post("/questions/respondent?change=1", data=bad)
    assert response.status_code == 400
    assert 'href="/questions/respondent?change=1"' in response.text


@pytest.mark.parametrize("path", ["/start", "/clear"])
def test_refused_post_to_an_action_offers_no_dead_back_link(client, path):
    response = client.post(path)  # no CSRF token
    assert response.status_code == 400
    assert f'href="{path}"' not in response.text
    assert 'href="/"' in response.text


def test_numeric_secret_key_from_environment_works(monkeypatch, tmp_path):
    monkeypatch.setenv("SCREENING_SECRET_KEY", "1234567890123456789012345678901234567890")
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "db.sqlite3")})
    assert app.config["SECRET_KEY"] == "1234567890123456789012345678901234567890"
    client = app.test_client()
    page = client.get("/")
    started = client.post("/start", data={"csrf_token": csrf_token(page.text)})
    assert started.status_code == 302
    assert client.get(started.location).status_code == 200


def test_question_ids_used_by_exports_are_reserved(tmp_path):
    from helpers import ASSIST

    from screening.core.loading import load_bank
    from screening.core.source import SourceError

    path = tmp_path / "bank.yaml"
    path.write_text(ASSIST.read_text().replace("id: q7", "id: total"))
    with pytest.raises(SourceError, match="'total' is reserved for the score in exports"):
        load_bank(path)


def test_rate_limits_are_on_in_every_app_whatever_an_earlier_app_chose(tmp_path):
    base = {"TESTING": True, "SECRET_KEY": "k" * 32, "DATABASE": str(tmp_path / "db.sqlite3")}
    create_app({**base, "RATELIMIT_ENABLED": False})
    app = create_app(base)
    assert app.config["RATELIMIT_ENABLED"] is True
    client = app.test_client()
    token = csrf_token(client.get("/clinician/login").text)
    wrong = {"csrf_token": token, "email": "nobody@example.org", "password": "wrong password"}
    statuses = [client.post("/clinician/login", data=wrong).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
