"""Clinicians: accounts from the command line, signing in and out, referral links, the results
shared with them, their exports, the access log and purging old results."""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re

import pytest
from clinic import (
    AMIRA,
    BEN,
    CONTACT,
    FAST_HASH,
    PASSWORD,
    add_clinician,
    add_link,
    bank,
    columns,
    create_link,
    execute,
    finish_through,
    make_app,
    post_form,
    query,
    reference,
    scored,
    shared_through,
    shares,
    sign_in,
    signed_in,
)
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from helpers import ALL_CLEAR, csrf_token, in_bank_order

from screening import create_app
from screening.settings import SETTINGS
from screening.storage import connection, records
from screening.web import store
from screening.web.clinician import auth

WRONG = "Email or password is wrong."
# Answers that raise two flags (mixing, bladder) and reach the middle band, through time_spent.
FLAGGED = in_bank_order(
    {
        **ALL_CLEAR,
        "frequency": "weekly",
        "time_spent": "some",
        "mixing": ["alcohol"],
        "urinary": ["pain"],
        "despite_harm": "no",
    }
)
PROXY = in_bank_order(
    {
        **ALL_CLEAR,
        "respondent": "other",
        "relationship": "partner",
        "contact": "daily",
        "confidence": "fairly_sure",
        "gave_up": "dont_know",
    }
)


@pytest.fixture
def app(tmp_path):
    """Overrides conftest's app (and so its client and runner): fast password hashing."""
    return make_app(tmp_path)


@pytest.fixture
def amira(app):
    return add_clinician(app, AMIRA)


def clinician_rows(app) -> list[dict]:
    return query(app, "SELECT * FROM clinicians ORDER BY email")


def error_summary(page: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary"
    return match.group(0)


def shown_password(output: str) -> str:
    match = re.search(r"Password \(shown once\): (\S+)", output)
    assert match, output
    return match.group(1)


# Accounts from the command line ---------------------------------------------------------------


def test_add_with_a_generated_password_that_signs_in(app, runner):
    result = runner.invoke(
        args=[
            "clinician",
            "add",
            "Amira@Example.org",
            "--name",
            "Dr Amira Shah",
            "--generate-password",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Account created for amira@example.org." in result.output
    password = shown_password(result.output)
    assert len(password) >= 12
    (row,) = clinician_rows(app)
    assert (row["email"], row["name"], row["active"]) == ("amira@example.org", "Dr Amira Shah", 1)
    assert password not in row["password_hash"]
    assert row["password_hash"].startswith(FAST_HASH + "$")

    response = sign_in(app.test_client(), "amira@example.org", password)
    assert response.status_code == 302
    assert response.location == "/clinician/"


def test_add_with_a_typed_password(app, runner):
    result = runner.invoke(
        args=["clinician", "add", "ben@example.org", "--name", "Dr Ben Okafor"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "shown once" not in result.output
    assert sign_in(app.test_client(), "ben@example.org", PASSWORD).status_code == 302


def test_the_production_password_hash_is_slow_enough(tmp_path):
    (setting,) = [s for s in SETTINGS if s.name == "PASSWORD_HASH"]
    method, digest, rounds = setting.default.split(":")
    assert (method, digest) == ("pbkdf2", "sha256")
    assert int(rounds) >= 600_000

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough",
            "DATABASE": str(tmp_path / "production.sqlite3"),
        }
    )
    assert app.config["PASSWORD_HASH"] == setting.default
    result = app.test_cli_runner().invoke(
        args=["clinician", "add", "amira@example.org", "--name", "Dr A", "--generate-password"]
    )
    assert result.exit_code == 0, result.output
    (row,) = query(app, "SELECT password_hash FROM clinicians")
    method, digest, rounds = row["password_hash"].split("$")[0].split(":")
    assert (method, digest) == ("pbkdf2", "sha256")
    assert int(rounds) >= 600_000


def test_a_second_account_with_the_same_email_is_refused(app, runner):
    first = ["clinician", "add", "amira@example.org", "--name", "Dr A", "--generate-password"]
    assert runner.invoke(args=first).exit_code == 0
    again = ["clinician", "add", "AMIRA@example.org ", "--name", "Dr B", "--generate-password"]
    result = runner.invoke(args=again)
    assert result.exit_code != 0
    assert "There is already an account for amira@example.org." in result.output
    assert "Traceback" not in result.output
    assert [row["name"] for row in clinician_rows(app)] == ["Dr A"]


def test_a_short_password_is_refused(app, runner):
    result = runner.invoke(
        args=["clinician", "add", "amira@example.org", "--name", "Dr A"],
        input="short-pass\nshort-pass\n",
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert clinician_rows(app) == []


def test_list_shows_email_name_and_state(app, runner):
    add_clinician(app, AMIRA)
    add_clinician(app, BEN)
    assert runner.invoke(args=["clinician", "disable", BEN[0]]).exit_code == 0
    result = runner.invoke(args=["clinician", "list"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "amira@example.org\tDr Amira Shah\tactive",
        "ben@example.org\tDr Ben Okafor\tdisabled",
    ]


def test_disable_stops_sign_in_and_ends_open_sessions(app, runner, amira):
    browser = signed_in(app)
    assert browser.get("/clinician/").status_code == 200

    result = runner.invoke(args=["clinician", "disable", AMIRA[0]])
    assert result.exit_code == 0, result.output
    assert "disabled and signed out everywhere" in result.output

    ended = browser.get("/clinician/")
    assert ended.status_code == 302
    assert ended.location.startswith("/clinician/login")
    refused = sign_in(app.test_client())
    assert refused.status_code == 401
    assert WRONG in refused.text


def test_an_inactive_account_has_no_session_even_with_its_token(app, amira):
    browser = signed_in(app)
    execute(app, "UPDATE clinicians SET active = 0")  # the session token itself is unchanged
    assert browser.get("/clinician/").location.startswith("/clinician/login")


def test_reset_password_replaces_it_and_ends_sessions(app, runner, amira):
    browser = signed_in(app)
    result = runner.invoke(args=["clinician", "reset-password", AMIRA[0], "--generate-password"])
    assert result.exit_code == 0, result.output
    new_password = shown_password(result.output)
    assert new_password != PASSWORD

    assert browser.get("/clinician/").location.startswith("/clinician/login")
    old = sign_in(app.test_client(), AMIRA[0], PASSWORD)
    assert old.status_code == 401
    assert WRONG in old.text
    new = sign_in(app.test_client(), AMIRA[0], new_password)
    assert new.status_code == 302
    assert new.location == "/clinician/"


def test_reset_password_refuses_a_short_one(app, runner, amira):
    result = runner.invoke(
        args=["clinician", "reset-password", AMIRA[0]], input="short-pass\nshort-pass\n"
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert sign_in(app.test_client()).status_code == 302


@pytest.mark.parametrize(
    "args",
    [
        ["clinician", "disable", "nobody@example.org"],
        ["clinician", "reset-password", "nobody@example.org", "--generate-password"],
    ],
)
def test_an_unknown_email_is_an_error_without_a_traceback(runner, args):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit)
    assert "No account for nobody@example.org." in result.output
    assert "Traceback" not in result.output
    assert "shown once" not in result.output


# Signing in and out ---------------------------------------------------------------------------


def test_the_same_words_whatever_was_wrong(app, amira):
    add_clinician(app, BEN)
    database = connection.connect(app.config["DATABASE"])
    records.update_clinician(database, BEN[0], active=0)
    database.close()
    attempts = {
        "wrong password": (AMIRA[0], "not the password at all"),
        "unknown email": ("nobody@example.org", PASSWORD),
        "disabled account": (BEN[0], PASSWORD),
    }
    summaries = set()
    for why, (email, password) in attempts.items():
        response = sign_in(app.test_client(), email, password)
        assert response.status_code == 401, why
        assert WRONG in response.text, why
        summaries.add(error_summary(response.text))
        for hint in ("disabled", "no account", "not found", "unknown"):
            assert hint not in response.text.lower(), (why, hint)
    assert len(summaries) == 1


def test_signing_in_goes_to_the_dashboard(app, amira):
    client = app.test_client()
    response = sign_in(client)
    assert response.status_code == 302
    assert response.location == "/clinician/"
    page = client.get("/clinician/")
    assert page.status_code == 200
    assert "Results shared with you" in page.text


def test_signing_in_starts_a_fresh_session(app, amira):
    client = app.test_client()
    page = client.get("/clinician/login")
    with client.session_transaction() as session:
        session["carried"] = "planted before sign-in"
        session["_flashes"] = [("message", "A note left before sign-in")]
        before_csrf = session["csrf_token"]
    before = client.get_cookie("session").value

    data = {"csrf_token": csrf_token(page.text), "email": AMIRA[0], "password": PASSWORD}
    assert client.post("/clinician/login", data=data).status_code == 302

    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "carried" not in session
        assert "_flashes" not in session
        assert session.get("csrf_token") != before_csrf
        assert session["_user_id"].startswith(f"{amira.id}:")
    assert "A note left before sign-in" not in client.get("/clinician/").text


def test_signing_out_ends_the_session_even_for_a_copied_cookie(app, amira):
    browser = signed_in(app)
    copied = browser.get_cookie("session").value
    out = post_form(browser, "/clinician/", "/clinician/logout")
    assert out.status_code == 302
    assert out.location == "/clinician/login"
    assert "You have signed out." in browser.get(out.location).text

    replay = app.test_client()
    replay.set_cookie("session", copied)
    response = replay.get("/clinician/")
    assert response.status_code == 302
    assert response.location.startswith("/clinician/login")
    assert browser.get("/clinician/").location.startswith("/clinician/login")


def test_signing_out_ends_the_accounts_other_sessions(app, amira):
    here, elsewhere = signed_in(app), signed_in(app)
    assert elsewhere.get("/clinician/").status_code == 200
    post_form(here, "/clinician/", "/clinician/logout")
    assert elsewhere.get("/clinician/").location.startswith("/clinician/login")


class Clock:
    """Stands in for the `time` module in screening.web.clinician.auth."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


@pytest.fixture
def clock(monkeypatch):
    fake = Clock(1_900_000_000.0)
    monkeypatch.setattr(auth, "time", fake)
    return fake


def test_idle_for_31_minutes_signs_out_with_a_message(app, amira, clock):
    browser = signed_in(app)
    clock.advance(31)
    response = browser.get("/clinician/")
    assert response.status_code == 302
    assert response.location == "/clinician/login"
    assert "signed out after 30 minutes without activity" in browser.get(response.location).text
    clock.advance(-31)  # the session is gone for good, not just too old
    assert browser.get("/clinician/").location.startswith("/clinician/login")


def test_idle_for_29_minutes_stays_signed_in(app, amira, clock):
    browser = signed_in(app)
    clock.advance(29)
    assert browser.get("/clinician/").status_code == 200


def test_idle_time_counts_from_the_last_request(app, amira, clock):
    browser = signed_in(app)
    for _ in range(3):  # 87 minutes after sign-in, but never 30 idle
        clock.advance(29)
        assert browser.get("/clinician/links").status_code == 200
    clock.advance(31)
    assert browser.get("/clinician/links").location == "/clinician/login"


def test_the_sixth_wrong_sign_in_within_a_minute_is_refused(app, amira):
    client = app.test_client()
    token = csrf_token(client.get("/clinician/login").text)
    wrong = {"csrf_token": token, "email": AMIRA[0], "password": "not the password at all"}
    for attempt in range(5):
        assert client.post("/clinician/login", data=wrong).status_code == 401, attempt
    refused = client.post("/clinician/login", data=wrong)
    assert refused.status_code == 429
    assert "Too many tries" in refused.text
    assert "Please wait a few minutes" in refused.text
    assert "Traceback" not in refused.text
    right = {**wrong, "password": PASSWORD}
    assert client.post("/clinician/login", data=right).status_code == 429
    assert client.get("/clinician/login").status_code == 200  # the page itself still shows

    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.7"  # another address has its own count
    assert sign_in(other).status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/clinician/",
        "/clinician/?link=1",
        "/clinician/links",
        "/clinician/results/K7F-3QD",
        "/clinician/results/K7F-3QD/fhir",
        "/clinician/export.csv",
        "/clinician/questionnaire.json",
    ],
)
def test_clinician_pages_need_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.location.startswith("/clinician/login")
    assert "Sign in to see this page." in client.get(response.location).text


# Links ----------------------------------------------------------------------------------------


def link_row(app, url: str) -> dict:
    (row,) = query(app, "SELECT * FROM links WHERE token = ?", [url.rsplit("/", 1)[1]])
    return row


def test_a_new_link_shows_its_full_address_with_a_long_token(app, amira):
    browser = signed_in(app)
    url = create_link(browser, "Tuesday clinic", CONTACT)
    other = create_link(browser, "Thursday clinic", CONTACT)
    token = url.rsplit("/", 1)[1]
    assert url == f"http://localhost/r/{token}"
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,}", token)  # at least 128 bits, URL-safe
    assert other != url
    row = link_row(app, url)
    assert (row["clinician_id"], row["label"], row["contact"], row["active"]) == (
        amira.id,
        "Tuesday clinic",
        CONTACT,
        1,
    )
    page = browser.get("/clinician/links").text
    assert "Tuesday clinic" in page
    assert CONTACT in page


def test_a_link_needs_a_label_and_a_contact(app, amira):
    browser = signed_in(app)
    response = post_form(browser, "/clinician/links", "/clinician/links", label="", contact="")
    assert response.status_code == 400
    assert "Enter a label for the link" in response.text
    assert query(app, "SELECT * FROM links") == []


def test_pausing_a_link_stops_it_and_resuming_restarts_it(app, amira):
    browser = signed_in(app)
    url = create_link(browser)
    path = url.removeprefix("http://localhost")
    row = link_row(app, path)
    earlier = app.test_client()  # opened the link before it was paused
    earlier.get(path)
    assert AMIRA[1] in earlier.get("/").text

    paused = post_form(browser, "/clinician/links", f"/clinician/links/{row['id']}/pause")
    assert paused.status_code == 302
    assert link_row(app, path)["active"] == 0
    assert "Paused" in browser.get("/clinician/links").text

    fresh = app.test_client()
    response = fresh.get(path)
    assert response.status_code == 404
    assert "This link is not active" in response.text
    assert AMIRA[1] not in fresh.get("/").text
    assert AMIRA[1] not in earlier.get("/").text  # no referral any more

    resumed = post_form(browser, "/clinician/links", f"/clinician/links/{row['id']}/resume")
    assert resumed.status_code == 302
    assert link_row(app, path)["active"] == 1
    again = app.test_client()
    assert again.get(path).location == "/"
    assert AMIRA[1] in again.get("/").text


def test_deleting_a_link_keeps_the_results_shared_through_it(app, amira):
    browser = signed_in(app)
    url = create_link(browser)
    row = link_row(app, url)
    _, share = shared_through(app, url)
    assert share["link_id"] == row["id"]

    deleted = post_form(browser, "/clinician/links", f"/clinician/links/{row['id']}/delete")
    assert deleted.status_code == 302
    assert query(app, "SELECT * FROM links") == []
    (kept,) = shares(app)
    assert kept["code"] == share["code"]
    assert kept["link_id"] is None
    assert reference(share) in browser.get("/clinician/").text
    assert app.test_client().get(url.removeprefix("http://localhost")).status_code == 404


@pytest.mark.parametrize("action", ["pause", "resume", "delete"])
def test_another_clinicians_link_cannot_be_changed(app, amira, action):
    add_clinician(app, BEN)
    link = add_link(app, amira.id)
    ben = signed_in(app, BEN)
    response = post_form(ben, "/clinician/links", f"/clinician/links/{link.id}/{action}")
    assert response.status_code == 404
    (row,) = query(app, "SELECT * FROM links")
    assert (row["id"], row["active"]) == (link.id, 1)


def test_a_clinician_sees_only_their_own_links(app, amira):
    add_clinician(app, BEN)
    add_link(app, amira.id, "Amira's secret clinic")
    page = signed_in(app, BEN).get("/clinician/links").text
    assert "Amira&#39;s secret clinic" not in page
    assert "Amira's secret clinic" not in page
    assert "You have no links yet." in page


# Results shared with a clinician --------------------------------------------------------------


@pytest.fixture
def two_clinics(app, amira):
    """Amira and Ben, each with a link and a result shared through it."""
    ben = add_clinician(app, BEN)
    amira_link, ben_link = add_link(app, amira.id), add_link(app, ben.id)
    _, amira_share = shared_through(app, f"/r/{amira_link.token}", FLAGGED)
    _, ben_share = shared_through(app, f"/r/{ben_link.token}")
    return amira_share, ben_share


def test_a_clinician_lists_only_results_shared_with_them(app, two_clinics):
    amira_share, ben_share = two_clinics
    amira_page = signed_in(app, AMIRA).get("/clinician/").text
    ben_page = signed_in(app, BEN).get("/clinician/").text
    assert reference(amira_share) in amira_page
    assert reference(ben_share) not in amira_page
    assert reference(ben_share) in ben_page
    assert reference(amira_share) not in ben_page


def test_another_clinicians_result_is_not_found(app, two_clinics):
    amira_share, _ = two_clinics
    ben = signed_in(app, BEN)
    ref = reference(amira_share)
    assert ben.get(f"/clinician/results/{ref}").status_code == 404
    assert ben.get(f"/clinician/results/{ref}/fhir").status_code == 404
    deleted = post_form(ben, "/clinician/", f"/clinician/results/{ref}/delete")
    assert deleted.status_code == 404
    assert amira_share["code"] in [row["code"] for row in shares(app)]
    assert ref not in ben.get("/clinician/export.csv").text


def test_results_can_be_shown_for_one_link(app, amira):
    first, second = add_link(app, amira.id, "Mondays"), add_link(app, amira.id, "Fridays")
    _, one = shared_through(app, f"/r/{first.token}")
    _, two = shared_through(app, f"/r/{second.token}")
    browser = signed_in(app)
    everything = browser.get("/clinician/").text
    assert reference(one) in everything
    assert reference(two) in everything
    only_first = browser.get(f"/clinician/?link={first.id}").text
    assert reference(one) in only_first
    assert reference(two) not in only_first
    csv_first = browser.get(f"/clinician/export.csv?link={first.id}").text
    assert {row["reference"] for row in csv.DictReader(io.StringIO(csv_first))} == {reference(one)}


def test_a_result_shows_every_answer_the_thresholds_flags_and_bank_version(app, two_clinics):
    amira_share, _ = two_clinics
    page = html.unescape(signed_in(app).get(f"/clinician/results/{reference(amira_share)}").text)
    result = scored(FLAGGED)
    assert json.loads(amira_share["answers"]) == {
        c.question.id: [o.id for o in c.options] for c in result.counted
    }
    for counted in result.counted:
        assert counted.question.text.get("self", "en") in page, counted.question.id
        labels = "; ".join(o.label.get("self", "en") for o in counted.options)
        assert f"<td>{labels}</td>" in page, counted.question.id
    thresholds = page[page.index("Thresholds") :]
    for band in bank().score_bands:
        assert (
            f"{band.min}\N{EN DASH}{band.max}" if band.max is not None else f"{band.min}"
        ) in thresholds
        assert band.clinical.get("self", "en") in thresholds
    for band in bank().rule_bands:  # the rules that can replace the group, named
        assert band.clinical.get("self", "en") in thresholds
    assert [f.id for f in result.flags] == ["see_doctor", "mixing_depressants", "bladder"]
    for flag in result.flags:
        assert (flag.clinical or flag.title).get("self", "en") in page, flag.id
    assert f"{bank().id} version {bank().version}" in page
    assert f'<dd class="summary__value">{result.total}</dd>' in page


def test_a_result_shows_the_band_of_the_total_criteria_and_domain_scores(app, amira):
    # Low scores and thoughts of self-harm: the person saw no "fewer signs" headline; the
    # clinician sees what they saw, the band of the total, and the scoring behind it.
    link = add_link(app, amira.id)
    answers = in_bank_order({**ALL_CLEAR, "craving": "sometimes", "self_harm": "often"})
    _, row = shared_through(app, f"/r/{link.token}", answers)
    assert (row["band"], row["score_band"], row["criteria"]) == ("some_signs", None, 1)
    _, low = shared_through(app, f"/r/{link.token}", {**ALL_CLEAR, "self_harm": "often"})
    assert (low["band"], low["score_band"], low["criteria"]) == ("crisis_first", "fewer_signs", 0)
    assert json.loads(low["domains"]) == {"pattern": 2}
    page = html.unescape(signed_in(app).get(f"/clinician/results/{reference(low)}").text)
    assert "Fewer signs (0\N{EN DASH}3), shown without reassurance after a self-harm answer" in page
    assert 'Group of the total</dt><dd class="summary__value">Fewer signs (0\N{EN DASH}3)' in page
    assert 'DSM-5-style criteria with points</dt><dd class="summary__value">0 of 10' in page
    assert "How often: 2 of 8" in page  # the domain's score out of its highest on this path
    # Shared under another version of the bank: the stored domain scores, not a rescoring.
    execute(app, "UPDATE shares SET bank_version = '0.9', domains = ? WHERE id = ?",
            ('{"pattern": 5}', low["id"]))  # fmt: skip
    page = html.unescape(signed_in(app).get(f"/clinician/results/{reference(low)}").text)
    assert "How often: 5</li>" in page


def test_a_clinician_deletes_a_result(app, two_clinics):
    amira_share, ben_share = two_clinics
    browser = signed_in(app)
    ref = reference(amira_share)
    response = post_form(browser, f"/clinician/results/{ref}", f"/clinician/results/{ref}/delete")
    assert response.status_code == 302
    assert response.location == "/clinician/"
    assert [row["code"] for row in shares(app)] == [ben_share["code"]]
    assert f"Result {ref} was deleted." in browser.get("/clinician/").text
    assert browser.get(f"/clinician/results/{ref}").status_code == 404


def test_the_csv_export_has_a_row_per_answer(app, two_clinics):
    amira_share, _ = two_clinics
    response = signed_in(app).get("/clinician/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    result = scored(FLAGGED)
    assert [row["question_id"] for row in rows] == [c.question.id for c in result.counted]
    for row, counted in zip(rows, result.counted, strict=True):
        assert row["reference"] == reference(amira_share)
        assert row["question"] == counted.question.text.get("self", "en")
        assert row["answer_ids"] == "|".join(o.id for o in counted.options)
        assert row["answers"] == "; ".join(o.label.get("self", "en") for o in counted.options)
        assert row["total"] == str(result.total)
        assert row["band"] == result.band.id
        assert row["flags"] == "see_doctor|mixing_depressants|bladder"


def test_the_fhir_export_is_a_valid_questionnaire_response(app, two_clinics):
    amira_share, _ = two_clinics
    response = signed_in(app).get(f"/clinician/results/{reference(amira_share)}/fhir")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    resource = response.get_json(force=True)
    parsed = QuestionnaireResponse.model_validate(resource)
    assert parsed.status == "completed"
    assert parsed.source.type == "Patient"
    linked = [item.linkId for item in parsed.item]
    assert linked == [
        *json.loads(amira_share["answers"]),
        *("total", "band", "score_band", "criteria", "domains"),
    ]


def test_a_proxy_share_has_a_related_person_as_its_source(app, amira):
    link = add_link(app, amira.id)
    _, row = shared_through(app, f"/r/{link.token}", PROXY)
    assert row["mode"] == "other"
    resource = signed_in(app).get(f"/clinician/results/{reference(row)}/fhir").get_json(force=True)
    parsed = QuestionnaireResponse.model_validate(resource)
    assert parsed.source.type == "RelatedPerson"


def test_the_questionnaire_export_is_a_valid_questionnaire(app, amira):
    response = signed_in(app).get("/clinician/questionnaire.json")
    assert response.status_code == 200
    parsed = Questionnaire.model_validate(response.get_json(force=True))
    assert parsed.version == bank().version
    assert [item.linkId for item in parsed.item][: len(bank().questions)] == [
        q.id for q in bank().questions
    ]


# The access log -------------------------------------------------------------------------------


def test_the_access_log_records_who_did_what_to_which_result_and_nothing_else(app, two_clinics):
    amira_share, _ = two_clinics
    assert columns(app, "access_log") == ["id", "clinician_id", "action", "share_id", "at"]
    browser = signed_in(app)
    ref = reference(amira_share)
    start = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    execute(app, "DELETE FROM access_log")

    assert browser.get(f"/clinician/results/{ref}").status_code == 200
    assert browser.get(f"/clinician/results/{ref}/fhir").status_code == 200
    assert browser.get("/clinician/export.csv").status_code == 200
    assert post_form(browser, "/clinician/", f"/clinician/results/{ref}/delete").status_code == 302

    logged = query(app, "SELECT * FROM access_log WHERE action != 'list_results' ORDER BY id")
    assert [row["action"] for row in logged] == [
        "view_result",
        "export_fhir",
        "export_csv",
        "delete_result",
    ]
    for row in logged:
        assert row["clinician_id"] == amira_share["clinician_id"]
        at = datetime.datetime.fromisoformat(row["at"])
        assert start <= at <= datetime.datetime.now(datetime.UTC)
    by_action = {row["action"]: row["share_id"] for row in logged}
    assert by_action["view_result"] == amira_share["id"]
    assert by_action["export_fhir"] == amira_share["id"]
    assert (
        by_action["delete_result"] == amira_share["id"]
    )  # which result went, not just that one did

    answered = {a for ids in json.loads(amira_share["answers"]).values() for a in ids}
    for row in query(app, "SELECT * FROM access_log"):
        assert set(map(str, row.values())).isdisjoint(answered)


# Purging old results --------------------------------------------------------------------------


def back_date(app, row: dict, days: float) -> None:
    moment = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
    execute(
        app,
        "UPDATE shares SET created = ? WHERE id = ?",
        [moment.isoformat(timespec="seconds"), row["id"]],
    )


@pytest.fixture
def four_shares(app, amira):
    link = add_link(app, amira.id)
    return [shared_through(app, f"/r/{link.token}")[1] for _ in range(4)]


def test_purge_deletes_only_results_older_than_the_retention(app, runner, four_shares):
    old = four_shares[:2]
    for row in old:
        back_date(app, row, 31)
    back_date(app, four_shares[2], 29)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Deleted 2 shared results older than 30 days."
    assert [row["code"] for row in shares(app)] == [row["code"] for row in four_shares[2:]]


def test_purge_days_overrides_the_retention(app, runner, four_shares):
    back_date(app, four_shares[0], 11)
    back_date(app, four_shares[1], 9)
    result = runner.invoke(args=["purge", "--days", "10"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Deleted 1 shared results older than 10 days."
    assert len(shares(app)) == 3


def test_purge_follows_the_retention_setting(tmp_path, amira):
    app = make_app(tmp_path, RETENTION_DAYS=7)  # the same database as the `app` fixture
    link = add_link(app, amira.id)
    _, row = shared_through(app, f"/r/{link.token}")
    back_date(app, row, 8)
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.output.strip() == "Deleted 1 shared results older than 7 days."
    assert shares(app) == []


def test_finishing_without_a_link_shares_nothing_with_anyone(app, amira):
    add_link(app, amira.id)
    finish_through(app, None)
    assert shares(app) == []


def test_reset_password_keeps_a_disabled_account_disabled_until_enabled(runner, app):
    from screening.storage import records

    method = "pbkdf2:sha256:1000"
    app.config["PASSWORD_HASH"] = method
    assert (
        runner.invoke(
            args=["clinician", "add", "off@example.org", "--name", "Dr Off", "--generate-password"]
        ).exit_code
        == 0
    )
    assert runner.invoke(args=["clinician", "disable", "off@example.org"]).exit_code == 0
    reset = runner.invoke(
        args=["clinician", "reset-password", "off@example.org", "--generate-password"]
    )
    password = reset.output.rsplit(": ", 1)[-1].strip()
    with app.app_context():
        assert records.check_login(store.db(), "off@example.org", password, method) is None
    assert runner.invoke(args=["clinician", "enable", "off@example.org"]).exit_code == 0
    with app.app_context():
        assert records.check_login(store.db(), "off@example.org", password, method) is not None
