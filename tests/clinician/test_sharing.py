"""A check opened from a clinician's link: what the person is told, sharing only when they press
Share, the codes they are given, withdrawing a shared result, and many writers at once."""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
import secrets
import sqlite3
import subprocess
import sys

import pytest
from clinic import (
    ALPHABET,
    AMIRA,
    CONTACT,
    REFERENCE,
    SECRET,
    USER_AGENT,
    add_clinician,
    add_link,
    bank,
    columns,
    finish_through,
    make_app,
    post_form,
    query,
    reference,
    respondent_client,
    scored,
    share,
    shared_through,
    shares,
    signed_in,
)
from helpers import ALL_CLEAR, ROOT, Respondent, csrf_token, in_bank_order

from screening.core import shares as share_codes
from screening.core.shares import CODE_LENGTH, SharedResult, parse_code, secret_matches
from screening.storage import connection, once, postgres, records
from screening.storage import shares as share_records
from screening.web import drafts, store

SHARE_COLUMNS = {
    "id",
    "language",  # the language the person answered in: not identifying
    "code",
    "withdraw_digest",
    "clinician_id",
    "link_id",
    "created",
    "bank_id",
    "bank_version",
    "mode",
    "total",
    "band",
    "flags",
    "answers",
    "name",
    "score_band",
    "criteria",
    "domains",
    "plan",  # only when the person ticks "Include my plan"
}
FLAGGED = in_bank_order(
    {**ALL_CLEAR, "frequency": "weekly", "time_spent": "some", "mixing": ["alcohol"]}
)


@pytest.fixture
def link(app, amira):
    return add_link(app, amira.id)


@pytest.fixture
def link_url(link):
    return f"/r/{link.token}"


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def offered_answers(page: str) -> list[str]:
    """The answers the share section says would be sent, one line per question."""
    match = re.search(r"Your answers:\s*<ul[^>]*>(.*?)</ul>", page, re.S)
    assert match, "no list of the answers that would be sent"
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)]


def expected_lines(answers: dict) -> list[str]:
    return [
        f"{(c.question.summary or c.question.text).get('self', 'en')}: "
        + "; ".join(o.label.get("self", "en") for o in c.options)
        for c in scored(answers).counted
    ]


# Opening a link -------------------------------------------------------------------------------


def test_opening_a_link_leaves_the_token_out_and_names_the_clinician(app, link_url, link):
    client = app.test_client()
    response = client.get(link_url)
    assert response.status_code == 302
    assert response.location == "/"
    assert link.token not in response.location
    start = client.get("/")
    assert f"{AMIRA[1]} sent you this check" in start.text
    assert link.token not in start.text


def test_opening_a_link_during_a_check_asks_before_replacing_it(app, link_url, link):
    client = app.test_client()
    person = Respondent(client)
    person.start()
    person.answer("respondent", "self")
    asked = client.get(link_url)
    assert asked.status_code == 200
    assert "You have a check under way" in asked.text
    assert f"Start a new check for {AMIRA[1]}" in asked.text
    assert link.token not in asked.text.replace(link_url, "")  # only in the form's own address
    kept = client.get("/questions/last_use")  # "Keep the check I have started": nothing changed
    assert kept.status_code == 200
    assert f"{AMIRA[1]} sent you this check" not in client.get("/").text
    replaced = client.post(link_url, data={"csrf_token": csrf_token(asked.text)})
    assert (replaced.status_code, replaced.location) == (302, "/")
    assert f"{AMIRA[1]} sent you this check" in client.get("/").text
    assert client.get("/questions/last_use").location == "/questions/respondent"  # cleared


def test_opening_the_same_link_again_keeps_the_check(app, link_url):
    client = app.test_client()
    client.get(link_url)
    person = Respondent(client)
    person.start()
    person.answer("respondent", "self")
    again = client.get(link_url)
    assert (again.status_code, again.location) == (302, "/")
    assert client.get("/questions/last_use").status_code == 200  # the answer is still there


def test_a_link_shares_at_most_its_hourly_limit(tmp_path):
    app = make_app(tmp_path, LINK_SHARES_PER_HOUR=2)
    url = f"/r/{add_link(app, add_clinician(app).id).token}"
    shared_through(app, url)
    shared_through(app, url)
    client, _ = finish_through(app, url)
    refused = share(client)
    assert refused.status_code == 429
    assert "Too many results shared through this link" in refused.text
    assert len(shares(app)) == 2


def test_an_unknown_link_is_not_active(client):
    response = client.get("/r/" + "x" * 32)
    assert response.status_code == 404
    assert "This link is not active" in response.text
    assert "sent you this check" not in client.get("/").text


def test_a_disabled_clinicians_link_is_not_active(app, amira, link_url):
    database = connection.connect(app.config["DATABASE"])
    records.update_clinician(database, AMIRA[0], active=0)
    database.close()
    client = app.test_client()
    assert client.get(link_url).status_code == 404
    assert AMIRA[1] not in client.get("/").text


def test_the_result_offers_to_share_and_says_exactly_what_would_be_sent(app, link_url):
    _, result = finish_through(app, link_url, FLAGGED)
    page = result.text
    assert f"Share your result with {AMIRA[1]}" in page
    assert f"Exactly what {AMIRA[1]} would see" in page
    assert "Nothing has been sent" in page
    assert offered_answers(page) == expected_lines(FLAGGED)
    scoring = scored(FLAGGED)
    offer = text_of(page[page.index('id="share"') :])
    assert f"Your total ({scoring.total})" in offer
    assert scoring.band.title.get("self", "en") in offer
    assert CONTACT in offer
    assert 'action="/share"' in page


def test_a_check_not_opened_from_a_link_offers_no_sharing(app, link):
    _, result = finish_through(app, None)
    assert "Share your result" not in result.text
    assert 'action="/share"' not in result.text
    assert AMIRA[1] not in result.text


def test_a_paused_link_stops_the_offer_and_the_share(app, link_url, link, amira):
    client, result = finish_through(app, link_url)
    assert "Share your result" in result.text
    token = csrf_token(result.text)
    database = connection.connect(app.config["DATABASE"])
    records.set_link_active(database, link, False)
    database.close()
    assert "Share your result" not in client.get("/result").text
    assert client.post("/share", data={"csrf_token": token}).status_code == 400
    assert shares(app) == []


# Consent: nothing is kept until Share is pressed ----------------------------------------------


def test_nothing_is_stored_until_share_is_pressed(app, link_url):
    client, _ = finish_through(app, link_url)
    for _ in range(5):
        assert client.get("/result").status_code == 200
    client.get("/")
    assert shares(app) == []


def test_sharing_stores_one_row_with_the_scored_answers_and_nothing_identifying(
    app, link_url, link, amira
):
    client, _ = finish_through(app, link_url, FLAGGED)
    before = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    response = share(client)
    after = datetime.datetime.now(datetime.UTC)
    assert response.status_code == 302
    assert response.location == "/shared"

    (row,) = shares(app)
    scoring = scored(FLAGGED)
    assert json.loads(row["answers"]) == {
        c.question.id: [o.id for o in c.options] for c in scoring.counted
    }
    assert row["total"] == scoring.total
    assert row["band"] == scoring.band.id
    assert json.loads(row["flags"]) == [f.id for f in scoring.flags] == ["mixing_depressants"]
    assert row["mode"] == "self"
    assert (row["bank_id"], row["bank_version"]) == (bank().id, bank().version)
    assert (row["clinician_id"], row["link_id"]) == (amira.id, link.id)
    created = datetime.datetime.fromisoformat(row["created"])
    assert created.tzinfo is not None
    assert before <= created <= after
    assert row["name"] is None
    assert row["language"] == "en"

    assert set(columns(app, "shares")) == SHARE_COLUMNS
    cookie = client.get_cookie("answers").value
    for table in ("shares", "links", "clinicians", "access_log", "daily_counts"):
        for name in columns(app, table):
            for word in ("ip", "addr", "agent", "browser", "cookie", "device"):
                assert word not in name.lower().split("_"), (table, name)
        for stored in query(app, f"SELECT * FROM {table}"):
            for value in map(str, stored.values()):
                assert "127.0.0.1" not in value, (table, value)
                assert USER_AGENT not in value, (table, value)
                assert cookie not in value, (table, value)

    after_share = client.get("/result").text
    assert "Share your result" not in after_share
    assert f"<strong>{reference(row)}</strong>" in after_share


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("J.S.", "J.S."), ("", None), ("   ", None), ("Jo Smith ", "Jo Smith"), ("x" * 40, "x" * 40)],
)
def test_an_optional_name_is_stored_only_when_given(app, link_url, typed, kept):
    _, row = shared_through(app, link_url, name=typed)
    assert row["name"] == kept


def test_a_name_over_40_characters_stores_nothing(app, link_url):
    client, _ = finish_through(app, link_url)
    response = share(client, "x" * 41)
    assert response.status_code == 302
    assert response.location == "/result"
    page = client.get("/result").text
    assert "at most 40 characters. Nothing was shared." in page
    assert "Share your result" in page
    assert shares(app) == []


def test_sharing_without_a_link_is_refused(app, link):
    client, result = finish_through(app, None)
    response = client.post("/share", data={"csrf_token": csrf_token(result.text), "name": "JS"})
    assert response.status_code == 400
    assert shares(app) == []


def test_sharing_from_a_fresh_browser_is_refused(app, link):
    client = app.test_client()
    token = csrf_token(client.get("/").text)
    assert client.post("/share", data={"csrf_token": token}).status_code == 400
    assert shares(app) == []


def test_sharing_before_finishing_is_refused(app, link_url):
    client = respondent_client(app)
    client.get(link_url)
    person = Respondent(client)
    person.start()
    person.answer("respondent", "self")
    page = client.get("/questions/last_use")
    response = client.post("/share", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 400
    assert shares(app) == []


def test_pressing_share_twice_keeps_one_shared_result(app, link_url):
    """A double click, or the form sent again from the back button, shares the result once."""
    client, result = finish_through(app, link_url)
    token = csrf_token(result.text)
    first = client.post("/share", data={"csrf_token": token})
    second = client.post("/share", data={"csrf_token": token})
    assert first.status_code == 302
    assert second.status_code in (302, 400)
    assert len(shares(app)) == 1


def _replaying(client, cookie: str):
    """The same browser, its answers cookie put back as it was (a copy kept and sent again)."""
    client.set_cookie(drafts.COOKIE, cookie)
    return client


def test_an_old_copy_of_the_cookie_cannot_share_the_check_again(app, link_url):
    client, _ = finish_through(app, link_url)
    before_share = client.get_cookie(drafts.COOKIE).value
    assert share(client).location == "/shared"
    replayed = share(_replaying(client, before_share))
    assert replayed.status_code == 409
    assert "This result was already shared" in replayed.text
    assert "not shared again" in replayed.text
    assert len(shares(app)) == 1


def test_a_withdrawn_share_cannot_be_made_again_from_an_old_cookie(app, link_url):
    client, _ = finish_through(app, link_url)
    before_share = client.get_cookie(drafts.COOKIE).value
    share(client)
    assert post_form(client, "/shared/delete", "/withdraw", this_browser="1").status_code == 302
    assert shares(app) == []
    assert share(_replaying(client, before_share)).status_code == 409
    assert shares(app) == []


def test_the_check_is_kept_by_its_hash_not_its_nonce(app, link_url):
    client, _ = shared_through(app, link_url)
    with app.test_request_context(
        headers={"Cookie": f"answers={client.get_cookie('answers').value}"}
    ):
        nonce = drafts.load().nonce
    spent = query(app, "SELECT * FROM spent")
    assert {row["purpose"] for row in spent} == {"start", "count", "share"}
    assert all(row["digest"] == once.digest(nonce) for row in spent)
    assert nonce not in json.dumps(query(app, "SELECT * FROM shares") + spent)


def test_two_checks_from_one_browser_can_each_be_shared(app, link_url):
    client, _ = shared_through(app, link_url)
    client.get(link_url.removeprefix("http://localhost"))  # a new check from the link
    person = Respondent(client)
    person.answer_all(ALL_CLEAR)
    person.finish()
    assert share(client).location == "/shared"
    assert len(shares(app)) == 2


# Reference and withdrawal codes ---------------------------------------------------------------


def test_the_reference_code_is_shown_and_the_withdrawal_code_only_once(app, link_url):
    client, row = shared_through(app, link_url)
    first = client.get("/shared").text
    (shown,) = set(REFERENCE.findall(text_of(first)))
    assert "".join(shown) == row["code"]
    assert set(row["code"]) <= ALPHABET
    assert len(row["code"]) == CODE_LENGTH
    secrets = SECRET.findall(first)
    assert len(set(secrets)) == 1
    assert secret_matches(secrets[0], row["withdraw_digest"])
    assert all(secrets[0] not in str(value) for value in row.values())

    again = client.get("/shared").text
    assert "".join(REFERENCE.search(text_of(again)).groups()) == row["code"]
    assert not SECRET.search(again)
    assert "Delete my shared result now" in again


@pytest.mark.parametrize(
    "typed", ["K7F-3QD", "k7f-3qd", "k7f3qd", " k7f 3qd ", "K7F 3QD", "K7F\N{EN DASH}3QD"]
)
def test_parse_code_reads_a_code_as_people_type_it(typed):
    assert parse_code(typed) == "K7F3QD"


@pytest.mark.parametrize(
    "typed", ["", "K7F-3Q", "K7F-3QDD", "K0F-3QD", "KOF-3QD", "K1F-3QD", "KIF-3QD"]
)
def test_parse_code_refuses_what_cannot_be_a_code(typed):
    assert parse_code(typed) is None


def _share(clinician_id: int) -> SharedResult:
    return SharedResult(
        clinician_id=clinician_id,
        link_id=None,
        created=datetime.datetime.now(datetime.UTC),
        bank_id=bank().id,
        bank_version=bank().version,
        mode="self",
        total=2,
        band="fewer_signs",
        flags=(),
        answers={"frequency": ("once_twice",)},
    )


def test_codes_are_unique_over_many_shares(app, amira):
    with app.app_context():
        made = [
            share_records.add_share(store.db(), _share(amira.id), secrets.token_urlsafe(16))
            for _ in range(400)
        ]
    codes = [stored.code for stored, _ in made]
    assert len(set(codes)) == len(codes) == 400
    assert all(len(c) == CODE_LENGTH and set(c) <= ALPHABET for c in codes)
    assert all(re.fullmatch(r"[2-9A-Z]{3}-[2-9A-Z]{3}", s.reference) for s, _ in made)
    assert len({secret for _, secret in made}) == 400
    assert sorted(row["code"] for row in shares(app)) == sorted(codes)


def test_a_code_that_is_taken_is_not_reused(app, amira, monkeypatch):
    with app.app_context():
        first, _ = share_records.add_share(store.db(), _share(amira.id), secrets.token_urlsafe(16))
        offered = iter([first.code, first.code, "K7F3QD"])
        monkeypatch.setattr(share_records, "new_code", lambda: next(offered))
        second, _ = share_records.add_share(store.db(), _share(amira.id), secrets.token_urlsafe(16))
    assert second.code == "K7F3QD"
    assert len(shares(app)) == 2


def test_the_code_alphabet_avoids_characters_misread_aloud():
    assert set(share_codes.ALPHABET) == ALPHABET
    assert not set("01ILOSUV5") & ALPHABET


# Withdrawing a shared result ------------------------------------------------------------------


def codes_from(client) -> tuple[str, str]:
    page = client.get("/shared").text
    return "-".join(REFERENCE.search(text_of(page)).groups()), SECRET.search(page).group(0)


def withdraw(client, ref: str, secret: str, **extra):
    return post_form(client, "/withdraw", "/withdraw", reference=ref, secret=secret, **extra)


def test_withdrawing_from_another_browser_with_both_codes(app, link_url):
    client, _ = shared_through(app, link_url)
    ref, secret = codes_from(client)
    elsewhere = app.test_client()
    response = withdraw(elsewhere, ref.lower().replace("-", " "), secret.lower())
    assert response.status_code == 302
    assert response.location == "/"
    assert "Your shared result has been deleted" in elsewhere.get("/").text
    assert shares(app) == []


@pytest.mark.parametrize("wrong", ["secret", "reference"])
def test_withdrawing_with_a_wrong_code_deletes_nothing(app, link_url, wrong):
    client, _ = shared_through(app, link_url)
    ref, secret = codes_from(client)
    _, other = shared_through(app, link_url)
    if wrong == "secret":
        secret = "2222-3333-4444-6666"
    else:
        ref = reference(other)  # another result's reference with this result's secret
    response = withdraw(app.test_client(), ref, secret)
    assert response.status_code == 400
    assert "The codes do not match a shared result" in response.text
    assert len(shares(app)) == 2


def test_delete_my_shared_result_now_in_the_same_browser(app, link_url):
    client, _ = shared_through(app, link_url)
    _, other = shared_through(app, link_url)
    response = post_form(client, "/shared/delete", "/withdraw", this_browser="1")
    assert response.status_code == 302
    assert [r["code"] for r in shares(app)] == [other["code"]]
    page = client.get("/").text
    assert "Your shared result has been deleted" in page
    assert "You shared this result" not in client.get("/result").text


def test_the_same_browser_button_elsewhere_deletes_nothing(app, link_url):
    shared_through(app, link_url)
    response = withdraw(app.test_client(), "", "", this_browser="1")
    assert response.status_code == 400
    assert len(shares(app)) == 1


def test_withdrawing_is_limited_to_10_tries(app, link_url):
    client, _ = shared_through(app, link_url)
    ref, secret = codes_from(client)
    guesser = app.test_client()
    token = csrf_token(guesser.get("/withdraw").text)
    for attempt in range(10):
        data = {"csrf_token": token, "reference": ref, "secret": f"2222-3333-4444-{attempt:04d}"}
        assert guesser.post("/withdraw", data=data).status_code == 400, attempt
    data = {"csrf_token": token, "reference": ref, "secret": secret}
    refused = guesser.post("/withdraw", data=data)
    assert refused.status_code == 429
    assert "Too many tries" in refused.text
    assert len(shares(app)) == 1


# Many writers at once -------------------------------------------------------------------------

WORKER = r"""
import datetime, json, secrets, sys
from screening import create_app
from screening.storage import connection, records
from screening.storage import shares as share_records
from screening.web import store
from screening.core.shares import SharedResult

database, count, clinician_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
app = create_app({"TESTING": True, "SECRET_KEY": "s" * 32, "DATABASE": database})
share = SharedResult(
    clinician_id=clinician_id, link_id=None,
    created=datetime.datetime.now(datetime.UTC).replace(microsecond=0),
    bank_id="ketamine_self_check", bank_version="test", mode="self", total=2,
    band="fewer_signs", flags=(), answers={"frequency": ("once_twice",)},
)
codes, errors = [], []
with app.app_context():
    print("ready", flush=True)
    sys.stdin.readline()  # every process starts writing together
    for _ in range(count):
        try:
            stored, _ = share_records.add_share(store.db(), share, secrets.token_urlsafe(16))
            codes.append(stored.code)
        except Exception as err:
            errors.append(repr(err))
print(json.dumps({"codes": codes, "errors": errors}), flush=True)
"""


def test_many_processes_share_at_once_without_losing_or_locking(app, amira):
    processes, per_process = 4, 25
    database = app.config["DATABASE"]  # created and migrated by the app, as `--preload` does
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, database, str(per_process), str(amira.id)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
        for worker in workers:
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outcomes = [worker.communicate(timeout=60) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    codes = []
    for worker, (out, err) in zip(workers, outcomes, strict=True):
        assert worker.returncode == 0, err
        assert "database is locked" not in out + err
        report = json.loads(out.strip().splitlines()[-1])
        assert report["errors"] == []
        assert len(report["codes"]) == per_process
        codes += report["codes"]

    rows = shares(app)
    assert len(rows) == processes * per_process
    assert len({row["code"] for row in rows}) == len(rows)
    assert sorted(row["code"] for row in rows) == sorted(codes)
    if not postgres.is_url(database):  # SQLite's own check of the file
        conn = sqlite3.connect(database)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            conn.close()


def test_the_clinician_sees_what_was_shared(app, link_url, amira):
    """End to end: the row the respondent shared is the result the clinician opens."""
    _, row = shared_through(app, link_url, FLAGGED, name="J.S.")
    browser = signed_in(app)
    listing = browser.get("/clinician/").text
    assert reference(row) in listing
    assert "(J.S.)" in listing
    detail = browser.get(f"/clinician/results/{reference(row).lower()}")
    assert detail.status_code == 200
    assert "J.S." in detail.text


def test_the_share_forms_name_is_not_kept_by_the_browser(app, amira):
    """A deliberate exception to WCAG 1.3.5 (README, Privacy): a filled-in name is kept."""
    link = add_link(app, amira.id)
    _, result = finish_through(app, f"/r/{link.token}")
    (field,) = re.findall(r'<input [^>]*id="name"[^>]*>', result.text)
    assert 'autocomplete="off"' in field


def _plan_through(app, link_url, include: bool):
    """Finish through a link, make a plan, then share it with or without the plan."""
    client, _ = finish_through(app, link_url, FLAGGED)
    url = "/plan"
    client.post(url, data={"csrf_token": csrf_token(client.get(url).text), "readiness": "7"})
    url = "/plan/choices"
    token = csrf_token(client.get(url).text)
    client.post(url, data={"csrf_token": token, "option": ["cut_down"], "reason": ["health"]})
    page = client.get("/result").text
    assert (
        'name="include_plan"' in page and "checked" not in page.split('id="include_plan"')[1][:40]
    )
    assert "Your plan, only if you tick the box below" in page and "Use less ketamine" in page
    data = {"include_plan": "y"} if include else {}
    response = post_form(client, "/result", "/share", **data)
    assert response.location == "/shared"
    return shares(app)[-1]


def test_the_plan_is_shared_only_when_the_person_ticks_the_box(app, link_url):
    assert _plan_through(app, link_url, include=False)["plan"] is None
    row = _plan_through(app, link_url, include=True)
    assert json.loads(row["plan"]) == {
        "readiness": 7,
        "options": ["cut_down"],
        "reasons": ["health"],
    }


def test_the_clinician_sees_the_shared_plan(app, amira, link_url):
    row = _plan_through(app, link_url, include=True)
    page = signed_in(app).get(f"/clinician/results/{reference(row)}").text
    assert "Their plan" in page and "Readiness to change: 7 out of 10." in page
    assert "Use less ketamine" in page


def test_the_clinicians_downloads_carry_the_shared_plan(app, amira, link_url):
    row = _plan_through(app, link_url, include=True)
    browser = signed_in(app)
    resource = browser.get(f"/clinician/results/{reference(row)}/fhir").get_json()
    plan = next(i for i in resource["item"] if i["linkId"] == "plan")
    assert [i["linkId"] for i in plan["item"]] == ["plan.readiness", "plan.options", "plan.reasons"]
    assert plan["item"][1]["answer"][0]["valueCoding"]["code"] == "cut_down"
    rows = list(csv.reader(io.StringIO(browser.get("/clinician/export.csv").text, newline="")))
    assert rows[0][-3:] == ["plan_readiness", "plan_options", "plan_reasons"]
    assert {tuple(r[-3:]) for r in rows[1:] if r[0] == reference(row)} == {
        ("7", "cut_down", "health")
    }


def test_an_empty_plan_is_not_offered_for_sharing(app, link_url):
    """The ruler skipped and nothing chosen: there is nothing to include."""
    client, _ = finish_through(app, link_url, FLAGGED)
    url = "/plan"
    client.post(url, data={"csrf_token": csrf_token(client.get(url).text)})  # skipped
    url = "/plan/choices"
    client.post(url, data={"csrf_token": csrf_token(client.get(url).text)})
    assert client.get("/my-plan").status_code == 200  # a plan was made, with nothing in it
    page = client.get("/result").text
    assert 'name="include_plan"' not in page
    assert "Your plan, only if you tick the box below" not in page


def test_without_a_plan_the_share_offers_to_make_one_first(app, link_url):
    _, result = finish_through(app, link_url, FLAGGED)
    assert 'name="include_plan"' not in result.text
    assert "If you make a plan first, you can choose to include it." in result.text


def tallies(app) -> list[tuple]:
    """The daily counts, as (event, mode, band, link, language, n), without the day."""
    sql = "SELECT event, mode, band, link, language, n FROM daily_counts ORDER BY event"
    return [tuple(row.values()) for row in query(app, sql)]


def test_a_check_through_a_link_is_counted_once_for_each_event(app, link_url):
    """Started, completed, shared and withdrawn: each once, with its link, never twice."""
    client, row = shared_through(app, link_url)
    link = str(row["link_id"])
    assert share(client).location == "/shared"  # pressed again: not shared, nor counted, twice
    ref, secret = codes_from(client)
    assert withdraw(app.test_client(), ref, secret).status_code == 302
    assert withdraw(app.test_client(), ref, secret).status_code == 400  # gone: counted once
    assert tallies(app) == [
        ("completed", "self", "fewer_signs", link, "en", 1),
        ("shared", "self", "fewer_signs", link, "en", 1),
        ("started", "", "", link, "en", 1),
        ("withdrawn", "self", "fewer_signs", link, "en", 1),
    ]
