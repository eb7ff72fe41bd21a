"""Deleting asks first (WCAG 3.3.4): a page that names what will go, with a button that posts and
a way back. Following the first "Delete" deletes nothing; only the confirmation's post does."""

from __future__ import annotations

import html
import re

from clinic import (
    BEN,
    add_link,
    post_form,
    query,
    reference,
    shared_through,
    shares,
    signed_in,
)


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def confirmation_form(page: str, action: str) -> str:
    match = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', page, re.S)
    assert match, f"no form posting to {action}"
    return match.group(0)


def test_deleting_a_link_asks_first_and_names_it(app, amira):
    link = add_link(app, amira.id, "Tuesday clinic")
    browser = signed_in(app)
    links = browser.get("/clinician/links").text
    confirm_url = f"/clinician/links/{link.id}/delete"
    assert f'href="{confirm_url}"' in links
    assert f'action="{confirm_url}"' not in links  # no one-click delete on the list
    page = browser.get(confirm_url)
    assert page.status_code == 200
    assert "Delete the link “Tuesday clinic”?" in text_of(page.text)
    form = confirmation_form(page.text, confirm_url)
    assert 'class="button button--warning"' in form and "Yes, delete this link" in form
    assert 'href="/clinician/links">No, keep it</a>' in form
    assert len(query(app, "SELECT * FROM links")) == 1  # looking deleted nothing
    assert post_form(browser, confirm_url, confirm_url).status_code == 302
    assert query(app, "SELECT * FROM links") == []


def test_deleting_a_result_asks_first_and_names_it(app, two_clinics):
    amira_share, _ = two_clinics
    ref = reference(amira_share)
    browser = signed_in(app)
    result = browser.get(f"/clinician/results/{ref}").text
    confirm_url = f"/clinician/results/{ref}/delete"
    assert f'href="{confirm_url}"' in result and f'action="{confirm_url}"' not in result
    page = browser.get(confirm_url)
    assert page.status_code == 200
    said = text_of(page.text)
    assert f"Delete result {ref}?" in said and "Shared on " in said
    form = confirmation_form(page.text, confirm_url)
    assert "Yes, delete this result" in form and f'href="/clinician/results/{ref}">No, keep' in form
    assert len(shares(app)) == 2
    assert post_form(browser, confirm_url, confirm_url).status_code == 302
    assert [row["code"] for row in shares(app)] == [two_clinics[1]["code"]]


def test_another_clinicians_link_or_result_has_no_confirmation_page(app, two_clinics):
    _, ben_share = two_clinics
    ben_link = query(app, "SELECT id FROM links WHERE clinician_id = 2")[0]["id"]
    browser = signed_in(app)  # Amira
    assert browser.get(f"/clinician/links/{ben_link}/delete").status_code == 404
    assert browser.get(f"/clinician/results/{reference(ben_share)}/delete").status_code == 404
    ben = signed_in(app, BEN)
    assert ben.get(f"/clinician/results/{reference(ben_share)}/delete").status_code == 200


def test_deleting_my_shared_result_asks_first_and_names_whom_and_which(app, amira):
    link = add_link(app, amira.id)
    client, row = shared_through(app, f"/r/{link.token}")
    shared = client.get("/shared").text
    assert 'href="/shared/delete"' in shared and 'name="this_browser"' not in shared
    page = client.get("/shared/delete")
    assert page.status_code == 200
    said = text_of(page.text)
    assert "Delete your shared result?" in said
    assert (
        f"Dr Amira Shah will no longer be able to see it. Your reference code was {reference(row)}"
        in said
    )
    form = confirmation_form(page.text, "/withdraw")
    assert 'name="this_browser" value="1"' in form and 'href="/shared">No, keep it shared' in form
    assert 'href="/exit"' in page.text  # the quick exit is there, as on every respondent page
    assert len(shares(app)) == 1
    assert post_form(client, "/shared/delete", "/withdraw", this_browser="1").status_code == 302
    assert shares(app) == []


def test_the_confirmation_without_a_shared_result_goes_to_the_codes_page(client):
    response = client.get("/shared/delete")
    assert response.status_code == 302 and response.location == "/withdraw"
