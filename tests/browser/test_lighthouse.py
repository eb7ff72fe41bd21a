"""Lighthouse (npm, in Debian's Chromium) gives the start page, a question and a result full
marks for accessibility, best practices and SEO."""

from __future__ import annotations

import pytest
from browsing import (
    LIGHTHOUSE_CATEGORIES,
    MANY_SIGNS_IN_CRISIS,
    PROXY_CRISIS_UNKNOWN,
    SELF,
    lighthouse,
    lighthouse_failures,
)

# name -> (answers in the browser, or None; the page's address)
LIGHTHOUSE_PAGES = {
    "start": (None, "/"),
    "question": (SELF, "/questions/last_use"),
    "result-crisis": (MANY_SIGNS_IN_CRISIS, "/result"),
    "proxy-result-crisis-unknowns": (PROXY_CRISIS_UNKNOWN, "/result"),
}


@pytest.mark.parametrize("name", LIGHTHOUSE_PAGES)
def test_lighthouse_gives_full_marks(live, name):
    answers, path = LIGHTHOUSE_PAGES[name]
    report = lighthouse(live.url + path, live.draft_cookie(answers) if answers else None)
    assert report["finalDisplayedUrl"] == live.url + path  # the page itself, not a redirect
    scores = {c: report["categories"][c]["score"] for c in LIGHTHOUSE_CATEGORIES}
    assert scores == dict.fromkeys(LIGHTHOUSE_CATEGORIES, 1), lighthouse_failures(report)


def test_lighthouse_marks_down_what_it_should(live):
    """Lighthouse really audits the page: a page it cannot crawl loses SEO marks."""
    report = lighthouse(live.url + "/clinician/login")  # robots.txt disallows /clinician/
    assert report["categories"]["seo"]["score"] < 1
    assert any(f.startswith("is-crawlable") for f in lighthouse_failures(report))
