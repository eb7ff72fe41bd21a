"""Security headers and cookie flags on every route, the quick exit, backups and faults."""

from __future__ import annotations

import re
import sqlite3

import pytest
from helpers import ALL_CLEAR, Respondent, csrf_token

from screening import create_app

KEY = "hardening-secret-key-0123456789abcdef"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
)


def production_app(tmp_path, **config):
    """The app as deployed: not development, not testing, cookies Secure and __Host-."""
    return create_app({"SECRET_KEY": KEY, "DATABASE": str(tmp_path / "db.sqlite3"), **config})


SAMPLE = {"question_id": "respondent", "token": "x" * 32, "reference": "AAA-AAA"}
SAMPLE |= {"link_id": "1", "action": "pause", "filename": "style.css", "code": "es"}


def every_route(app):
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^<>]+:)?([a-z_]+)>", lambda m: SAMPLE[m.group(1)], rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


@pytest.mark.parametrize("https", [False, True])
def test_every_route_sends_the_security_headers(tmp_path, https):
    app = production_app(tmp_path)
    client = app.test_client()
    routes = list(every_route(app))
    assert len(routes) >= 20 and ("GET", "/static/style.css") in routes
    for method, path in routes:
        base = "https://localhost" if https else "http://localhost"
        response = client.open(path, method=method, base_url=base)
        response.close()
        headers = response.headers
        where = (method, path, response.status_code)
        assert headers["Content-Security-Policy"] == CSP, where
        assert headers["X-Content-Type-Options"] == "nosniff", where
        assert headers["Referrer-Policy"] == "same-origin", where
        assert headers["X-Frame-Options"] == "DENY", where
        assert "Access-Control-Allow-Origin" not in headers, where
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin", where
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin", where
        features = dict(p.split("=") for p in headers["Permissions-Policy"].split(", "))
        assert {"camera", "microphone", "geolocation", "payment", "usb"} <= set(features), where
        assert set(features.values()) == {"()"}, where
        if https:
            assert headers["Strict-Transport-Security"] == (
                "max-age=31536000; includeSubDomains"
            ), where
        else:
            assert "Strict-Transport-Security" not in headers, where
        if not path.startswith("/static/"):
            assert headers["Cache-Control"] == "no-store", where


def test_templates_have_nothing_inline():
    from helpers import ROOT

    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert "<style" not in text and " style=" not in text, template
        assert not re.search(r"\son[a-z]+=", text), template


def test_production_cookies_are_host_only_secure_and_http_only(tmp_path):
    client = production_app(tmp_path).test_client()
    base = "https://localhost"
    page = client.get("/", base_url=base)
    same_site = {"Referer": "https://localhost/"}  # Flask-WTF checks it on HTTPS posts
    start = client.post(
        "/start", data={"csrf_token": csrf_token(page.text)}, base_url=base, headers=same_site
    )
    cookies = page.headers.getlist("Set-Cookie") + start.headers.getlist("Set-Cookie")
    names = {c.split("=", 1)[0] for c in cookies}
    assert names == {"__Host-answers", "__Host-session"}, cookies
    for cookie in cookies:
        lowered = cookie.lower()
        assert "; secure" in lowered and "; httponly" in lowered and "; samesite=lax" in lowered
        assert "; path=/" in lowered and "domain=" not in lowered


def test_development_cookies_work_on_plain_http(tmp_path):
    app = create_app({"DEVELOPMENT": True, "SECRET_KEY": KEY, "DATABASE": str(tmp_path / "d")})
    respondent = Respondent(app.test_client())
    respondent.answer_all(ALL_CLEAR)
    assert respondent.finish().status_code == 200
    assert respondent.client.get_cookie("answers").secure is False  # plain http works


@pytest.mark.parametrize(
    ("proxies", "sets_host", "expected"),
    [
        (0, False, "http://localhost/r/"),
        (1, False, "https://localhost/r/"),  # the scheme from the proxy, not its Host or Prefix
        (1, True, "https://check.example.org/app/r/"),
    ],
)
def test_proxy_settings_are_trusted_only_when_configured(tmp_path, proxies, sets_host, expected):
    forwarded = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "check.example.org",
        "X-Forwarded-Prefix": "/app",
    }
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": KEY,
            "DATABASE": str(tmp_path / "proxied.db"),
            "TRUSTED_PROXIES": proxies,
            "PROXY_SETS_HOST": sets_host,
        }
    )

    @app.get("/test-only/url")
    def url():
        from flask import url_for

        return url_for("sharing.open_link", token="", _external=True)

    assert app.test_client().get("/test-only/url", headers=forwarded).text == expected


def test_quick_exit_clears_answers_and_leaves(respondent, client, app):
    respondent.answer_all(ALL_CLEAR)
    response = client.get("/exit")
    assert response.status_code == 303
    assert response.location == app.config["QUICK_EXIT_URL"]
    assert response.headers["Clear-Site-Data"] == '"cookies", "storage"'
    cleared = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("answers=")]
    assert cleared and "Expires=Thu, 01 Jan 1970" in cleared[0]
    assert client.get("/check-answers").location == "/"


def test_every_respondent_page_offers_the_quick_exit(respondent, client):
    respondent.answer_all(ALL_CLEAR)
    for path in ("/", "/questions/respondent", "/check-answers", "/result", "/privacy", "/x"):
        page = client.get(path).text
        assert 'href="/exit"' in page and "quick-exit.js" in page, path
    assert 'href="/exit"' not in client.get("/clinician/login").text


def test_backup_writes_a_checked_consistent_copy(app, runner, tmp_path, respondent):
    respondent.answer_all(ALL_CLEAR)
    respondent.finish()  # two anonymous counts in the database
    target = tmp_path / "backup.sqlite3"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert (
        "integrity ok" in result.output and "daily_counts 2" in result.output
    )  # started, completed
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT sum(n) FROM daily_counts").fetchone()[0] == 2
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_answers_are_rate_limited_per_address(respondent, client):
    start = respondent.start()
    page = client.get(start.location)
    token = csrf_token(page.text)
    statuses = [
        client.post("/questions/respondent", data={"csrf_token": token}).status_code
        for _ in range(301)
    ]
    assert statuses[:300] == [200] * 300  # each one an empty answer, shown again with an error
    assert statuses[300] == 429


@pytest.mark.parametrize(
    ("status", "title"),
    [
        (400, "Something was wrong with what was sent"),
        (403, "You cannot see this page"),
        (404, "Page not found"),
        (405, "That did not work"),
        (413, "Too much was sent"),
        (415, "Something was wrong with what was sent"),
        (429, "Too many tries"),
        (500, "Sorry, there is a problem with the service"),
    ],
)
def test_every_error_has_a_page_in_plain_words(tmp_path, status, title):
    from flask import abort

    app = create_app({"TESTING": True, "SECRET_KEY": KEY, "DATABASE": str(tmp_path / "d")})
    app.add_url_rule("/test-only/abort", "abort", lambda: abort(status))
    response = app.test_client().get("/test-only/abort")
    assert response.status_code == status
    assert f'<h1 class="heading-xl">{title}</h1>' in response.text
    assert "Traceback" not in response.text and "Werkzeug" not in response.text


def test_a_missing_database_folder_is_created(tmp_path):
    database = tmp_path / "new" / "folder" / "db.sqlite3"
    create_app({"TESTING": True, "SECRET_KEY": KEY, "DATABASE": str(database)})
    assert sqlite3.connect(database).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# Hosts this site does not serve ------------------------------------------------------------

BAD_HOSTS = [
    "a" * 64,  # one label over 63 characters: Werkzeug cannot bind it (it was a 500)
    "a" * 64 + ".example.org",
    "x" * 300,
    "bad host",
    "ex:ample:80",
    "example.org:port",
    "-leading.example.org",
    "exa_mple.org",
    "\u00e9.example.org",
    "[::1",
]


@pytest.mark.parametrize("host", BAD_HOSTS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_malformed_host_gets_a_plain_400_page_with_the_headers(tmp_path, host, method):
    client = production_app(tmp_path).test_client()
    for path in ("/", "/questions/respondent", "/clinician/", "/static/style.css", "/nowhere"):
        response = client.open(path, method=method, headers={"Host": host})
        assert response.status_code == 400, (path, response.status_code)
        assert "This site is not at that address" in response.text
        assert "Traceback" not in response.text
        assert response.headers["Content-Security-Policy"] == CSP
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("host", ["localhost", "check.example.org:8443", "127.0.0.1", "[::1]:80"])
def test_a_well_formed_host_is_served(tmp_path, host):
    assert (
        production_app(tmp_path).test_client().get("/", headers={"Host": host}).status_code == 200
    )


def test_trusted_hosts_refuse_every_other_host(tmp_path):
    app = production_app(tmp_path, TRUSTED_HOSTS=["check.example.org"])
    client = app.test_client()
    assert client.get("/", headers={"Host": "check.example.org"}).status_code == 200
    refused = client.get("/", headers={"Host": "evil.example.net"})
    assert refused.status_code == 400
    assert "This site is not at that address" in refused.text
    assert refused.headers["Content-Security-Policy"] == CSP


def test_a_forwarded_host_is_checked_like_any_other(tmp_path):
    app = production_app(tmp_path, TRUSTED_PROXIES=1, PROXY_SETS_HOST=True)
    forwarded = {"X-Forwarded-Host": "bad host", "X-Forwarded-Proto": "https"}
    response = app.test_client().get("/", headers=forwarded)
    assert response.status_code == 400
    assert "This site is not at that address" in response.text


def test_trusted_hosts_are_read_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SCREENING_TRUSTED_HOSTS", '["check.example.org"]')
    app = production_app(tmp_path)
    assert app.config["TRUSTED_HOSTS"] == ["check.example.org"]
    assert app.test_client().get("/", headers={"Host": "other.example"}).status_code == 400


# A secret key long enough to protect what it signs and encrypts -----------------------------


def test_a_short_secret_key_stops_start_up_outside_development(tmp_path):
    with pytest.raises(SystemExit) as stopped:
        create_app({"SECRET_KEY": "x" * 31, "DATABASE": str(tmp_path / "db")})
    assert "too short" in str(stopped.value.code) and "32 bytes" in str(stopped.value.code)
    assert create_app({"SECRET_KEY": "x" * 32, "DATABASE": str(tmp_path / "db")})


def test_a_short_secret_key_is_allowed_in_development(tmp_path):
    assert create_app({"DEVELOPMENT": True, "SECRET_KEY": "short", "DATABASE": str(tmp_path / "d")})
