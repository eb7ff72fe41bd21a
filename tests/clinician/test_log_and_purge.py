"""The access log, and purging old shared results."""

from __future__ import annotations

import datetime
import json

import pytest
from clinic import (
    add_link,
    columns,
    execute,
    finish_through,
    make_app,
    post_form,
    query,
    reference,
    shared_through,
    shares,
    signed_in,
)

from screening.storage import records
from screening.web import store

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
    assert result.output.splitlines()[0] == "Deleted 2 shared results older than 30 days."
    assert [row["code"] for row in shares(app)] == [row["code"] for row in four_shares[2:]]


def test_purge_days_overrides_the_retention(app, runner, four_shares):
    back_date(app, four_shares[0], 11)
    back_date(app, four_shares[1], 9)
    result = runner.invoke(args=["purge", "--days", "10"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Deleted 1 shared results older than 10 days."
    assert len(shares(app)) == 3


def test_purge_follows_the_retention_setting(app, tmp_path, amira):
    app = make_app(tmp_path, RETENTION_DAYS=7, DATABASE=app.config["DATABASE"])  # the same one
    link = add_link(app, amira.id)
    _, row = shared_through(app, f"/r/{link.token}")
    back_date(app, row, 8)
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.output.splitlines()[0] == "Deleted 1 shared results older than 7 days."
    assert shares(app) == []


def test_finishing_without_a_link_shares_nothing_with_anyone(app, amira):
    add_link(app, amira.id)
    finish_through(app, None)
    assert shares(app) == []


def test_reset_password_keeps_a_disabled_account_disabled_until_enabled(runner, app):

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


def test_the_admin_role_is_given_and_taken_away(app, runner):
    from screening.storage import records
    from screening.storage.connection import connect

    added = runner.invoke(
        args=["clinician", "add", "deployer@example.org", "--name", "Dee Ployer", "--admin",
              "--generate-password"]
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "\tadmin" in runner.invoke(args=["clinician", "list"]).output
    off = runner.invoke(args=["clinician", "admin", "deployer@example.org", "--off"])
    assert off.exit_code == 0 and "no longer has the admin role" in off.output
    db = connect(app.config["DATABASE"])
    try:
        assert records.clinician_by_email(db, "deployer@example.org").admin == 0
    finally:
        db.close()
    assert "\tadmin" not in runner.invoke(args=["clinician", "list"]).output
    on = runner.invoke(args=["clinician", "admin", "deployer@example.org"])
    assert on.exit_code == 0 and "\tadmin" in runner.invoke(args=["clinician", "list"]).output
    assert runner.invoke(args=["clinician", "admin", "nobody@example.org"]).exit_code == 1
