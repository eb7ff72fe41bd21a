"""Referral links: making, pausing, resuming and deleting them."""

from __future__ import annotations

import json
import re

import pytest
from clinic import (
    AMIRA,
    BEN,
    CONTACT,
    add_clinician,
    add_link,
    columns,
    create_link,
    everything_stored,
    make_app,
    post_form,
    query,
    reference,
    shared_through,
    shares,
    signed_in,
)

from screening.core.shares import link_token, token_digest
from screening.storage import connection, records
from screening.web import store

# Links ----------------------------------------------------------------------------------------


def link_row(app, url: str) -> dict:
    digest = token_digest(url.rsplit("/", 1)[1])
    (row,) = query(app, "SELECT * FROM links WHERE token_digest = ?", [digest])
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


def test_no_link_token_is_stored(app, amira):
    url = create_link(signed_in(app), "Tuesday clinic", CONTACT)
    token = url.rsplit("/", 1)[1]
    assert token.encode() not in everything_stored(app)
    assert "token" not in columns(app, "links")
    opened = app.test_client().get(f"/r/{token}")  # the link still opens the check
    assert (opened.status_code, opened.location) == (302, "/")


def test_a_database_copy_alone_cannot_make_a_links_token(app, amira):
    url = create_link(signed_in(app), "Tuesday clinic", CONTACT)
    (row,) = query(app, "SELECT * FROM links")
    assert link_token("another-secret-key-of-32-bytes-or-more", row["nonce"]) != url.rsplit("/")[-1]
    assert link_token(app.config["SECRET_KEY"], row["nonce"]) == url.rsplit("/")[-1]


def test_a_link_made_before_tokens_were_hashed_keeps_working(tmp_path):
    database = tmp_path / "old.sqlite3"
    db = connection.connect(database)
    connection.migrations.apply(db, stop_before="hash_link_tokens")
    db["clinicians"].insert(
        {"id": 1, "email": AMIRA[0], "name": AMIRA[1], "password_hash": "x", "session_token": "t"}
        | {"active": 1, "created": "2026-11-01T00:00:00+00:00"}
    )
    old = "an-old-token-kept-in-clear-0123456789"
    db["links"].insert(
        {"id": 1, "clinician_id": 1, "token": old, "label": "Old", "contact": CONTACT, "active": 1}
        | {"created": "2026-11-01T00:00:00+00:00"}
    )
    db.close()
    app = make_app(tmp_path, DATABASE=str(database))  # migrates: the token becomes a digest
    assert old not in json.dumps(query(app, "SELECT * FROM links"))
    assert app.test_client().get(f"/r/{old}").status_code == 302
    with app.app_context():
        (link,) = records.links_of(store.db(), 1, app.config["SECRET_KEY"])
    assert link.token is None
