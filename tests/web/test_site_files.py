"""What browsers and search engines ask every site for: an icon, robots.txt, a description."""

from __future__ import annotations

import html
import re


def test_the_icon_is_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in {"image/vnd.microsoft.icon", "image/x-icon"}
    assert response.data[:4] == b"\0\0\1\0"  # an ICO file's header
    assert b"\x89PNG" in response.data  # holding a PNG image
    response.close()


def test_robots_keep_search_engines_off_clinicians_pages_and_links(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    rules = [line for line in response.text.splitlines() if not line.startswith("#")]
    expected = ["User-agent: *", "Allow: /", "Disallow: /clinician/", "Disallow: /r/"]
    assert rules == [*expected, "Disallow: /admin/"]
    response.close()


def test_every_page_describes_the_check_in_a_search_result(client, respondent):
    """Search engines show it under the start page (and Lighthouse asks it of every page)."""
    respondent.start()
    found = {
        path: re.findall(r'<meta name="description" content="([^"]+)">', client.get(path).text)
        for path in ("/", "/questions/respondent", "/privacy", "/clinician/login")
    }
    assert all(len(d) == 1 for d in found.values()), found
    (description,) = {html.unescape(d[0]) for d in found.values()}
    assert description.startswith("A private check of your ketamine use")
    assert "nothing kept unless you share it" in description  # sharing is the one exception
    assert "{{" not in description and len(description) <= 160
