"""The deployer's own help details: the site file, its errors, and where it shows."""

from __future__ import annotations

import pytest
from flask import Flask
from helpers import ALL_CLEAR, ROOT, Respondent

from screening import create_app
from screening.core.site import load_region, load_site, regions
from screening.core.source import SourceError

KEY = "site-test-secret-key-0123456789abcdef"
SITE = """\
region: uk
service:
  name: Riverside Treatment Centre
  about: Free, confidential assessments.
  phone: "555-0100"
  email: help@example.org
  web: https://example.org/help
  hours: Monday to Friday, 9am to 5pm
"""


def app_with(tmp_path, **config):
    return create_app(
        {"TESTING": True, "SECRET_KEY": KEY, "DATABASE": str(tmp_path / "db.sqlite3"), **config}
    )


def result_page(app) -> str:
    respondent = Respondent(app.test_client())
    respondent.answer_all(ALL_CLEAR)
    return respondent.finish().text


def test_no_site_file_means_national_helplines_only():
    site, region = load_site(None)
    assert site.region == "us" and site.service.is_empty
    assert region.tagged("crisis") and region.tagged("emergency")


def test_shipped_example_and_regions_are_valid():
    site, region = load_site(ROOT / "site.example.yaml")
    assert site.service.name.get() == "Riverside Treatment Centre" and region.id == "us"
    assert regions() == ["uk", "us"]
    for code in regions():  # every region has what the pages need
        region = load_region(code)
        for tag in ("crisis", "emergency", "drugs", "family", "poison"):
            assert region.tagged(tag), (code, tag)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("region: mars\n", 1, "region: unknown region (known: uk, us)"),
        ("region: us\nservice:\n  name: X\n  web: example.org\n", 4, "service, web"),
        ("region: us\nservice:\n  web:\n    en: https://a.org\n    es: a.org\n", 3, "web: in 'es'"),
        ("region: us\nservice:\n  phon: '555'\n", 3, "'phon' is not a known field"),
        ("region: us\nservice:\n  name: ''\n", 3, "service, name"),
        ("region: us\nserivce:\n  name: X\n", 2, "'serivce' is not a known field"),
        ("region: [us\n", 2, "not valid YAML"),
        ("- region: us\n", None, "must be a mapping"),
    ],
)
def test_site_file_errors_name_file_and_line(tmp_path, text, line, fragment):
    path = tmp_path / "site.yaml"
    path.write_text(text)
    with pytest.raises(SourceError) as raised:
        load_site(path)
    message = str(raised.value)
    assert fragment in message
    assert f"{path}:{line}:" in message if line else str(path) in message


def test_bad_site_file_stops_start_up(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text("region: mars\n")
    with pytest.raises(SystemExit) as raised:
        app_with(tmp_path, SITE=str(path))
    assert f"{path}:1: region: unknown region" in str(raised.value.code)


def test_service_comes_first_and_region_sets_the_helplines(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text(SITE)
    page = result_page(app_with(tmp_path, SITE=str(path)))
    contact = page[page.index('id="help"') :]
    assert contact.index("Riverside Treatment Centre") < contact.index("Samaritans")
    assert 'href="tel:555-0100"' in contact and 'href="mailto:help@example.org"' in contact
    assert "988" not in page  # UK: no US numbers anywhere, footer included
    footer = page[page.index("<footer") :]
    assert "116 123" in footer and 'href="tel:999"' in footer


def test_without_a_site_file_the_result_still_lists_help(tmp_path):
    page = result_page(app_with(tmp_path))
    contact = page[page.index('id="help"') :]
    assert "panel--service" not in page
    assert "SAMHSA National Helpline" in contact and "1-800-662-4357" in contact


def test_site_file_in_instance_folder_is_found(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "site.yaml").write_text(SITE)
    monkeypatch.delenv("SCREENING_SITE", raising=False)
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(instance))
    app = app_with(tmp_path)
    assert app.config["SITE"] == str(instance / "site.yaml")
    assert app.extensions["screening"].site.service.name.get() == "Riverside Treatment Centre"
