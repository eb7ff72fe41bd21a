"""Each request does its work once: what is the same on every request (a page's fixed parts, the
catalogs of words) is made once per process, and never holds anything of a request."""

from __future__ import annotations

import pytest
from helpers import ALL_CLEAR, csrf_token
from wtforms import DateField
from wtforms.meta import DefaultMeta

from screening.core.site import Region
from screening.web import i18n
from screening.web.content import content
from screening.web.forms import Form

SPANISH = {"Accept-Language": "es"}


@pytest.fixture
def counted(monkeypatch):
    """How often the footer's help lines are looked up (Region.tagged, only the footer asks)."""
    calls = []
    tagged = Region.tagged

    def counting(self, *tags):
        calls.append(tags)
        return tagged(self, *tags)

    monkeypatch.setattr(Region, "tagged", counting)
    return calls


def test_a_page_s_fixed_parts_are_rendered_once_for_every_request(client, counted):
    first = client.get("/privacy")
    assert counted == [("crisis",)]
    for _ in range(3):
        assert "Need help now?" in client.get("/privacy").text
    assert counted == [("crisis",)], "the footer was rendered again"
    assert first.text == client.get("/privacy").text


def test_each_language_has_its_own_fixed_parts(client):
    english = client.get("/privacy")
    spanish = client.get("/privacy", headers=SPANISH)
    assert "Need help now?" in english.text and "Exit this page" in english.text
    assert "Need help now?" not in spanish.text and "Exit this page" not in spanish.text
    assert "Need help now?" in client.get("/privacy").text  # English again, after Spanish


def test_a_site_mounted_under_a_path_links_under_it(client):
    """A proxy can mount the site under a path (SCRIPT_NAME): the fixed parts' links follow."""
    assert 'href="/privacy"' in client.get("/").text
    mounted = client.get("/", base_url="http://localhost/check")
    assert 'href="/check/privacy"' in mounted.text and 'href="/check/exit"' in mounted.text
    assert 'href="/privacy"' in client.get("/").text


def test_no_kept_part_holds_a_token_or_an_answer(app, client, respondent):
    respondent.start()
    respondent.answer_all(ALL_CLEAR)
    token = csrf_token(client.get("/check-answers").text)
    answer_words = {"Never", "Often"}  # labels only a question's own fields show
    kept = content_of(app)
    assert kept, "nothing was kept"
    for part in kept:
        assert token not in part and "csrf" not in part
        assert not any(f">{word}<" in part for word in answer_words)


def content_of(app) -> list[str]:
    with app.app_context():
        return [str(part) for part in content().fragments.values()]


def test_the_page_s_catalog_is_found_once_per_request(client, monkeypatch):
    calls = []
    found = i18n.get_translations

    def counting():
        calls.append(1)
        return found()

    monkeypatch.setattr(i18n, "get_translations", counting)
    client.get("/privacy", headers=SPANISH)
    assert len(calls) == 1


class DayForm(Form):
    class Meta:
        csrf = False

    day = DateField("Day")


def test_a_form_s_own_messages_are_in_the_page_s_language(app):
    for language, message in (("es", "No es una fecha válida."), ("en", "Not a valid date value.")):
        with app.test_request_context(
            "/", method="POST", data={"day": "nope"}, headers={"Accept-Language": language}
        ):
            form = DayForm()
            assert not form.validate()
            assert form.day.errors == [message]


def test_a_form_s_catalog_is_read_once_per_language(app, monkeypatch):
    monkeypatch.setattr(DefaultMeta, "translations_cache", {})
    read = []
    from wtforms import i18n as wtforms_i18n

    original = wtforms_i18n.get_translations
    monkeypatch.setattr(
        wtforms_i18n, "get_translations", lambda locales: read.append(locales) or original(locales)
    )
    for language in ("es", "es", "en", "es", "en"):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            DayForm()
    assert read == [("es",), ("en",)]
