"""Hypothesis fuzzing of every form route: whatever is posted, the app answers without a server
error, logs no error, and stores nothing invalid.

The routes are found in the app's URL map, so a new form route is fuzzed as soon as it exists.
One app serves the whole module (a module-scoped fixture, so no state is meant to be reset
between examples). Every example starts from a real state: a respondent who started, finished
(through a clinician's link, in either mode) or shared a check, or a signed-in clinician with a
fresh link and shared result. It then posts a random form with the CSRF token in the body,
duplicated, only in a header, or missing; urlencoded, multipart, JSON, or a raw body with a
wrong or absent content type; with invalid UTF-8, bodies over the 64 KiB limit, unknown fields,
files, and the real fields with valid and invalid values.

`pytest tests/web/test_fuzz.py --hypothesis-show-statistics` shows the statuses each route returned.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import re
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, quote_from_bytes

import pyotp
import pytest
from clinic import (
    ALPHABET,
    AMIRA,
    BEN,
    FAST_HASH,
    PASSWORD,
    RECOVERY_CODES,
    REFERENCE,
    SECRET,
    add_clinician,
    add_link,
    bank,
    execute,
    finish_through,
    forget_last_code,
    make_app,
    password_step,
    query,
    scored,
    shared_through,
    sign_in,
    totp_code,
)
from flask import Flask
from flask.testing import FlaskClient
from helpers import ALL_CLEAR, Respondent, csrf_token
from hypothesis import event, given, settings
from hypothesis import strategies as st
from personas import SCENARIOS
from werkzeug.routing import Rule

from screening.core.flow import parse_answers
from screening.core.shares import format_code, from_result, token_digest
from screening.core.totp import shown_code
from screening.storage import connection, records, twofactor
from screening.storage import shares as share_records
from screening.web import drafts

# What every example may send ----------------------------------------------------------------

QUESTION_IDS = tuple(q.id for q in bank().questions)
OPTION_IDS = tuple(
    sorted({o.id for q in bank().questions for m in bank().modes for o in q.options_for(m)})
)
TEXT_FIELDS = ("name", "reference", "secret", "label", "contact", "email", "password", "code")
TEXT_FIELDS += ("setup",)
FIELD_NAMES = (*QUESTION_IDS, "csrf_token", *TEXT_FIELDS, "this_browser", "change", "submit")
LENGTHS = (20, 21, 40, 41, 100, 101, 200, 201, 1000, 4096)  # around each field's limit
HUGE = (60_000, 65_536, 70_000)  # one value this long in some requests: the body limit is 64 KiB
INVALID_UTF8 = (b"\xff", b"\xc3", b"\x80", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xc0\xaf")
CSRF_MODES = ("body", "body", "body", "duplicated", "header", "wrong_first", "missing")
ENCODINGS = ("urlencoded", "multipart", "json", "raw")
RAW_TYPES = (
    None,
    "text/plain",
    "application/octet-stream",
    "multipart/form-data",  # with no boundary
    "application/x-www-form-urlencoded; charset=utf-16",
)
BOUNDARY = "fuzz-boundary-7Q3vXk"
# How each respondent example starts: weighted towards a finished check opened from a link,
# the state in which /share, /check-answers and every question do real work.
STATES = (
    "finished",
    "finished",
    "finished_other",
    "shared",
    "started",
    "no_link",
    "none",
    "garbage",
)
PROXY = SCENARIOS["proxy_partner_unknowns"].answers

FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the project; a failure prints its blob instead
    print_blob=True,
)


def _post_rules() -> list[Rule]:
    """Every route that takes a posted form, from the URL map of a throwaway app."""
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp))
        return sorted(
            (r for r in app.url_map.iter_rules() if "POST" in (r.methods or ())),
            key=lambda r: r.rule,
        )


ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")
POST_RULES = _post_rules()


def plain(rule: str) -> str:
    """A rule without its converters: /clinician/links/<link_id>/<action>."""
    return ARGUMENT.sub(lambda m: f"<{m['name']}>", rule)


# The app under fuzzing --------------------------------------------------------------------------


class Recorder(logging.Handler):
    """Keeps every warning and error logged anywhere while an example runs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Known:
    """Values a page or a person could send in this example, for fields and the address."""

    token: str
    strings: list[str]
    link_ids: list[int] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


@dataclass
class World:
    app: Flask
    amira: records.Clinician
    link: records.Link
    states: dict[str, str | None]
    recorder: Recorder
    others: list[dict]  # Ben's link and share: nothing Amira or a respondent does may touch them
    clinician: FlaskClient
    checked_shares: int = 0
    checked_links: int = 0


@contextmanager
def fuzz_world() -> Iterator[World]:
    with tempfile.TemporaryDirectory() as tmp:
        # Rate limits off: with them on, the limits on sign-in (5 a minute), sharing, withdrawing
        # and making links would turn almost every example into a 429 that does no real work.
        app = make_app(Path(tmp), RATELIMIT_ENABLED=False)
        amira, ben = add_clinician(app, AMIRA), add_clinician(app, BEN)
        add_clinician(app, NEWCOMER, enrolled=False)
        link = add_link(app, amira.id)
        ben_link = add_link(app, ben.id, "Ben's clinic")
        shared_through(app, f"/r/{ben_link.token}")
        via = f"/r/{link.token}"
        started = app.test_client()
        started.get(via)
        Respondent(started).start()
        states = {
            "none": None,
            "garbage": "gAAAAABnot-a-draft-at-all",
            "started": _draft(started),
            "finished": _draft(finish_through(app, via)[0]),
            "finished_other": _draft(finish_through(app, via, PROXY)[0]),
            "no_link": _draft(finish_through(app, None)[0]),
        }
        clinician = app.test_client()
        assert sign_in(clinician).status_code == 302
        recorder = Recorder()
        logging.getLogger().addHandler(recorder)
        try:
            yield World(app, amira, link, states, recorder, _others(app, ben.id), clinician)
        finally:
            logging.getLogger().removeHandler(recorder)


def _draft(client: FlaskClient) -> str:
    cookie = client.get_cookie(drafts.COOKIE)
    assert cookie is not None
    return cookie.value


def _others(app: Flask, clinician_id: int) -> list[dict]:
    return query(app, "SELECT * FROM links WHERE clinician_id = ?", [clinician_id]) + query(
        app, "SELECT * FROM shares WHERE clinician_id = ?", [clinician_id]
    )


def _add_share(app: Flask, clinician_id: int, link_id: int) -> tuple[str, str]:
    """A result shared with a clinician, straight into the database: its code and secret."""
    share = from_result(
        bank(),
        scored(ALL_CLEAR),
        clinician_id=clinician_id,
        link_id=link_id,
        created=datetime.datetime.now(datetime.UTC).replace(microsecond=0),
    )
    database = connection.connect(app.config["DATABASE"])
    try:
        stored, secret = share_records.add_share(database, share, secrets.token_urlsafe(16))
    finally:
        database.close()
    return stored.code, secret


def _signed_in(world: World) -> tuple[FlaskClient, str]:
    """The clinician's browser, signed in again if an example signed out, and a page's HTML."""
    page = world.clinician.get("/clinician/links")
    if page.status_code != 200:
        assert sign_in(world.clinician).status_code == 302
        page = world.clinician.get("/clinician/links")
    return world.clinician, page.text


def _tidy(world: World) -> None:
    """Put Amira's link back as it was (an example may pause or delete it: respondents' checks
    were opened from it) and drop the links examples made, so her page stays quick to load."""
    link, app = world.link, world.app
    others = [world.amira.id, link.id]
    execute(
        app,
        "UPDATE shares SET link_id = NULL WHERE link_id IN "
        "(SELECT id FROM links WHERE clinician_id = ? AND id != ?)",
        others,
    )
    execute(app, "DELETE FROM links WHERE clinician_id = ? AND id != ?", others)
    execute(
        app,
        "INSERT OR REPLACE INTO links "
        "(id, clinician_id, nonce, token_digest, label, contact, active, created) "
        "VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
        [
            *(link.id, link.clinician_id, link.nonce, token_digest(link.token)),
            *(link.label, link.contact, link.created),
        ],
    )


def _spellings(code: str) -> list[str]:
    return [format_code(code), code, format_code(code).lower(), f" {code[:3]} {code[3:]} "]


NEWCOMER = ("nia@example.org", "Dr Nia Evans")  # an account that has not set up two-factor


def _between_password_and_code(
    world: World, enrolling: bool, strings: list[str]
) -> tuple[FlaskClient, Known]:
    """A browser past the password: Amira's (asked for her code), or the newcomer's (setting up
    two-factor sign-in, afresh each time). The right code and recovery codes may be sent."""
    app = world.app
    email = NEWCOMER[0] if enrolling else AMIRA[0]
    execute(app, "DELETE FROM sign_in_failures")  # wrong codes must not make the account wait
    codes = [*RECOVERY_CODES[:2], RECOVERY_CODES[2].upper(), "000000", "١٢٣٤٥٦"]
    if enrolling:
        database = connection.connect(app.config["DATABASE"])
        _, setup = twofactor.reset(database, email, FAST_HASH)
        database.close()
        codes += [setup, shown_code(setup)]
    client = app.test_client()
    assert password_step(client, email).status_code == 302
    page = client.get("/clinician/enrol" if enrolling else "/clinician/code").text
    forget_last_code(app, email)
    if enrolling:
        key = re.search(r"secret-key\">([A-Z2-7 ]+)<", page)[1].replace(" ", "")
        codes.append(pyotp.TOTP(key).now())
    else:
        codes.append(totp_code(email))
    return client, Known(csrf_token(page), [*strings, *codes])


def _browser(world: World, rule: Rule, data: st.DataObject) -> tuple[FlaskClient, Known]:
    """The browser an example posts from, in a drawn state, and the values it may send."""
    app = world.app
    others = [r for r in world.others if "code" in r]
    strings = [AMIRA[0], PASSWORD, world.link.token, *_spellings(others[0]["code"])]
    strings += ["", " ", "1", "on", "true", "None"]
    if rule.endpoint == "clinician.login":
        client = app.test_client()
        return client, Known(csrf_token(client.get("/clinician/login").text), strings)
    if rule.endpoint in ("clinician.code", "clinician.enrol"):
        return _between_password_and_code(world, rule.endpoint == "clinician.enrol", strings)
    if rule.endpoint.startswith("clinician."):
        client, page = _signed_in(world)
        link = add_link(app, world.amira.id, "Fuzzed")
        code, secret = _add_share(app, world.amira.id, link.id)
        ids = [link.id, link.id, link.id, others[0]["link_id"], 0, 999_999]
        references = _spellings(code) + _spellings(others[0]["code"])
        known = Known(csrf_token(page), [*strings, *references, secret], ids, references)
        return client, known
    client = app.test_client()
    state = data.draw(st.sampled_from(STATES), label="state")
    if state == "shared":  # a check is shared once: a fresh one each time
        cookie = _draft(finish_through(app, f"/r/{world.link.token}")[0])
    else:
        cookie = world.states[state]
    if cookie is not None:
        client.set_cookie(drafts.COOKIE, cookie)
    token = csrf_token(client.get("/").text)
    if state == "shared":
        assert client.post("/share", data={"csrf_token": token}).status_code == 302
        page = client.get("/shared").text
        strings += [REFERENCE.search(page).group(0), SECRET.search(page).group(0)]
    return client, Known(token, strings)


# Strategies -------------------------------------------------------------------------------------


def _values(known: Known) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(OPTION_IDS + QUESTION_IDS + tuple(known.strings)),
        st.text(max_size=60),  # any Unicode but lone surrogates, control characters included
        st.builds(lambda ch, n: ch * n, st.characters(codec="utf-8"), st.sampled_from(LENGTHS)),
    )


NAMES = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=20))
INVALID = st.builds(
    lambda before, bad, after: before + bad + after,
    st.binary(max_size=8),
    st.sampled_from(INVALID_UTF8),
    st.binary(max_size=8),
)


def _json_bodies(known: Known) -> st.SearchStrategy[bytes]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    document = st.recursive(
        scalars | _values(known),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NAMES, inner, max_size=4),
        max_leaves=10,
    )
    return document.map(lambda d: json.dumps(d).encode())


def _urlencode(fields: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{quote(n, safe='')}={quote(v, safe='')}" for n, v in fields).encode()


def _quoted(text: str) -> str:
    """A name as a browser writes it in a multipart header."""
    return text.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _multipart(parts: list[tuple[str | None, bytes, str | None]]) -> bytes:
    chunks = []
    for name, value, filename in parts:
        head = "Content-Disposition: form-data"
        if name is not None:
            head += f'; name="{_quoted(name)}"'
        if filename is not None:
            head += f'; filename="{_quoted(filename)}"\r\nContent-Type: application/octet-stream'
        chunks.append(f"--{BOUNDARY}\r\n{head}\r\n\r\n".encode() + value + b"\r\n")
    return b"".join(chunks) + f"--{BOUNDARY}--\r\n".encode()


@dataclass
class FuzzRequest:
    body: bytes
    content_type: str | None
    headers: dict[str, str]
    kind: str  # the encoding and where the CSRF token went

    def __repr__(self) -> str:  # a 70 KB body would drown the report of a failure
        body = self.body if len(self.body) <= 400 else self.body[:400] + b"..."
        return (
            f"FuzzRequest({self.content_type!r}, headers={self.headers!r}, "
            f"{len(self.body)} bytes: {body!r})"
        )


@st.composite
def form_requests(draw, known: Known, url: str) -> FuzzRequest:
    values = _values(known)
    fields = draw(_honest(url))
    drawn = draw(st.lists(st.tuples(NAMES, st.lists(values, min_size=1, max_size=3)), max_size=4))
    fields += [(name, value) for name, several in drawn for value in several]
    if fields and draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(fields) - 1))
        fields[at] = (
            fields[at][0],
            draw(st.characters(codec="utf-8")) * draw(st.sampled_from(HUGE)),
        )
    csrf, headers = draw(st.sampled_from(CSRF_MODES)), {}
    if csrf in ("body", "duplicated"):
        fields.insert(0, ("csrf_token", known.token))
    if csrf == "duplicated":
        fields.append(("csrf_token", draw(values)))
    if csrf == "wrong_first":
        fields = [("csrf_token", draw(values)), *fields, ("csrf_token", known.token)]
    if csrf == "header":
        headers["X-CSRFToken"] = known.token
    encoding = draw(st.sampled_from(ENCODINGS))
    if encoding == "urlencoded":
        body = _urlencode(fields)
        for name, bad in draw(st.lists(st.tuples(NAMES, INVALID), max_size=2)):
            escaped = draw(st.booleans())
            value = quote_from_bytes(bad).encode() if escaped else bad
            body += b"&" + quote(name, safe="").encode() + b"=" + value
        return FuzzRequest(body, "application/x-www-form-urlencoded", headers, f"form/{csrf}")
    if encoding == "multipart":
        parts: list[tuple[str | None, bytes, str | None]] = [
            (n, v.encode(), None) for n, v in fields
        ]
        parts += [
            (n, bad, None) for n, bad in draw(st.lists(st.tuples(NAMES, INVALID), max_size=2))
        ]
        file_names = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=20))
        files = st.tuples(file_names, st.binary(max_size=64), st.text(max_size=20))
        parts += draw(st.lists(files, max_size=2))
        parts += draw(st.lists(st.tuples(st.none(), st.binary(max_size=8), st.none())))
        content_type = f"multipart/form-data; boundary={BOUNDARY}"
        return FuzzRequest(_multipart(parts), content_type, headers, f"multipart/{csrf}")
    if csrf != "missing":  # a JSON or raw body can carry the token only in a header
        headers["X-CSRFToken"] = known.token
    if encoding == "json":
        return FuzzRequest(draw(_json_bodies(known)), "application/json", headers, f"json/{csrf}")
    content_type = draw(st.sampled_from(RAW_TYPES))
    body = draw(st.one_of(st.binary(max_size=300), st.just(_urlencode(fields))))
    return FuzzRequest(body, content_type, headers, f"raw {content_type}/{csrf}")


def _honest(url: str) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Fields a real page could send: some of the text fields, and an answer to the question in
    the address, so that examples also get past validation and do what the route is for."""
    text = st.lists(
        st.tuples(st.sampled_from(TEXT_FIELDS), st.text(min_size=1, max_size=40)),
        unique_by=lambda f: f[0],
    )
    signing_in = st.just([("email", AMIRA[0]), ("password", PASSWORD)])
    question = bank().by_id.get(url.split("?")[0].rsplit("/", 1)[-1])
    if question is None:
        return st.one_of(text, signing_in)
    options = sorted({o.id for m in bank().modes for o in question.options_for(m)})
    answer = st.lists(st.sampled_from(options), min_size=1, max_size=2, unique=True)
    return st.one_of(text, signing_in, answer.map(lambda ids: [(question.id, i) for i in ids]))


def _argument(match: re.Match, known: Known) -> st.SearchStrategy[str]:
    if match["converter"] == "int":
        edges = [0, 2**63 - 1, 2**63, 10**30]
        largest = edges[-1]
        numbers = st.one_of(
            st.sampled_from(known.link_ids or [1]), st.sampled_from(edges), st.integers(0, largest)
        )
        return numbers.map(str)
    if match["converter"] == "any":
        return st.sampled_from([a.strip().strip("'\"") for a in match["args"].split(",")])
    pools = {"question_id": list(QUESTION_IDS), "reference": known.references}
    pool = pools.get(match["name"]) or known.strings
    odd = ["", " ", "%", "..", "\x00", "é", "\u202e", "\r", "a\nb", "\r\n"]
    text = st.text(max_size=30)
    segments = st.one_of(st.sampled_from(pool), st.sampled_from(odd), text)
    return segments.map(lambda t: quote(t, safe=""))


def urls(rule: Rule, known: Known) -> st.SearchStrategy[str]:
    """The rule's address with drawn values for its arguments, and perhaps a query string."""
    pieces, position = [], 0
    for match in ARGUMENT.finditer(rule.rule):
        pieces += [st.just(rule.rule[position : match.start()]), _argument(match, known)]
        position = match.end()
    pieces += [st.just(rule.rule[position:]), st.sampled_from(["", "", "?change=1", "?link=1"])]
    return st.tuples(*pieces).map("".join)


# What must hold after every example ------------------------------------------------------------


def check_cookie(app: Flask, client: FlaskClient, response) -> None:
    """An answers cookie the response wrote decrypts to answers the bank accepts."""
    written = response.headers.getlist("Set-Cookie")
    cookie = client.get_cookie(drafts.COOKIE)
    if cookie is None or not any(h.startswith(f"{drafts.COOKIE}=") for h in written):
        return
    with app.test_request_context(headers={"Cookie": f"{drafts.COOKIE}={cookie.value}"}):
        try:
            draft = drafts.load()
        except drafts.DraftUnreadable:
            pytest.fail("the app wrote an answers cookie it cannot read back")
    assert draft is not None
    assert draft.mode == bank().mode_of(draft.answers)


def check_database(world: World) -> None:
    """Every shared result and link written so far is one the app could have made honestly."""
    app, source = world.app, bank()
    flag_ids, band_ids = {f.id for f in source.flags}, {b.id for b in source.bands}
    for row in query(app, "SELECT * FROM shares WHERE id > ?", [world.checked_shares]):
        assert len(row["code"]) == 6 and set(row["code"]) <= ALPHABET, row["code"]
        assert row["mode"] in source.modes
        answers = json.loads(row["answers"])
        for question_id, option_ids in answers.items():
            offered = {o.id for o in source.by_id[question_id].options_for(row["mode"])}
            assert option_ids and set(option_ids) <= offered, (question_id, option_ids)
        parse_answers(source, answers)  # raises if the set of answers could not have been given
        assert set(json.loads(row["flags"])) <= flag_ids and row["band"] in band_ids
        name = row["name"]
        assert name is None or (0 < len(name) <= 40 and name == name.strip()), name
        world.checked_shares = row["id"]
    for row in query(app, "SELECT * FROM links WHERE id > ?", [world.checked_links]):
        assert len(row["label"]) <= 100 and len(row["contact"]) <= 200, row
        assert row["label"].strip() and row["contact"].strip(), row
        world.checked_links = row["id"]
    others = world.others
    assert _others(app, others[0]["clinician_id"]) == others, "Ben's link or share changed"


def check_route(world: World, rule: Rule, data: st.DataObject) -> None:
    world.recorder.records.clear()
    client, known = _browser(world, rule, data)
    url = data.draw(urls(rule, known), label="url")
    request = data.draw(form_requests(known, url), label="request")
    response = client.post(
        url, data=request.body, content_type=request.content_type, headers=request.headers
    )
    event(f"{response.status_code} {request.kind}")  # see pytest --hypothesis-show-statistics
    assert response.status_code < 500, response.status_code
    check_cookie(world.app, client, response)
    assert client.get("/check-answers").status_code < 500
    logged = [f"{r.name}: {r.getMessage()}" for r in world.recorder.records]
    assert not logged, logged
    check_database(world)
    _tidy(world)


# The tests ---------------------------------------------------------------------------------------


def test_every_form_route_is_found():
    found = {plain(r.rule) for r in POST_RULES}
    assert found >= {
        "/start",
        "/questions/<question_id>",
        "/check-answers",
        "/clear",
        "/share",
        "/withdraw",
        "/clinician/login",
        "/clinician/code",
        "/clinician/enrol",
        "/clinician/links",
        "/clinician/links/<link_id>/<action>",
        "/clinician/logout",
        "/clinician/results/<reference>/delete",
    }


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    """One app for the whole module: every example and every test adds to the same database."""
    with fuzz_world() as built:
        yield built


@pytest.mark.parametrize("rule", POST_RULES, ids=[plain(r.rule) for r in POST_RULES])
@FUZZ
@given(data=st.data())
def test_no_post_fails_or_stores_anything_invalid(world, rule, data):
    check_route(world, rule, data)


# Inputs that once caused a 500 or stored something invalid, kept as regression tests -----------


def _post(world: World, who: str, url: str, data: dict | str, **kwargs):
    """Post as a respondent who finished a check, a visitor, or the signed-in clinician."""
    world.recorder.records.clear()
    if who == "clinician":
        client, page = _signed_in(world)
    else:
        client = world.app.test_client()
        client.set_cookie(drafts.COOKIE, world.states["finished"])
        page = client.get("/clinician/login" if who == "visitor" else "/").text
    token = csrf_token(page)
    if isinstance(data, dict):
        return client.post(url, data={"csrf_token": token, **data}, **kwargs)
    return client.post(url, data=data, headers={"X-CSRFToken": token}, **kwargs)


def _no_server_error(world: World, response) -> None:
    assert response.status_code < 500
    assert not [r.getMessage() for r in world.recorder.records]


@pytest.mark.parametrize(
    ("who", "url", "body"),
    [
        ("respondent", "/share", "[1]"),
        ("respondent", "/share", '{"name": 5}'),
        ("respondent", "/questions/last_use", "5"),
        ("respondent", "/withdraw", '{"reference": 5}'),
        ("visitor", "/clinician/login", '{"email": 5, "password": "x"}'),
        ("clinician", "/clinician/links", '{"label": 5, "contact": "x"}'),
    ],
)
def test_a_json_body_is_never_a_server_error(world, who, url, body):
    response = _post(world, who, url, body, content_type="application/json")
    _no_server_error(world, response)


@pytest.mark.parametrize(
    ("who", "url", "name"),
    [
        ("respondent", "/share", "name"),
        ("respondent", "/withdraw", "reference"),
        ("visitor", "/clinician/login", "email"),
        ("clinician", "/clinician/links", "label"),
    ],
)
def test_a_file_in_a_text_field_is_never_a_server_error(world, who, url, name):
    upload = {"contact": "c", "password": "p", name: (io.BytesIO(b"x"), "x.txt")}
    _no_server_error(world, _post(world, who, url, upload))


@pytest.mark.parametrize(
    "url",
    [
        f"/clinician/links/{2**63}/pause",
        f"/clinician/?link={2**63}",
        f"/clinician/export.csv?link={2**63}",
    ],
)
def test_a_link_id_too_large_for_sqlite_is_never_a_server_error(world, url):
    if "/links/" in url:
        response = _post(world, "clinician", url, {})
    else:
        client, _ = _signed_in(world)
        world.recorder.records.clear()
        response = client.get(url)
    _no_server_error(world, response)


@pytest.mark.parametrize("blank", [{"label": "   "}, {"contact": " \t "}])
def test_a_blank_label_or_contact_is_refused(world, blank):
    before = query(world.app, "SELECT id FROM links")
    data = {"label": "Tuesday", "contact": "Call us", **blank}
    response = _post(world, "clinician", "/clinician/links", data)
    assert response.status_code == 400
    assert query(world.app, "SELECT id FROM links") == before


@pytest.mark.parametrize("url", ["/questions/%0D", "/questions/last_use%0A"])
def test_an_address_with_a_line_break_is_never_a_server_error(world, url):
    world.recorder.records.clear()
    client = world.app.test_client()
    client.set_cookie(drafts.COOKIE, world.states["finished"])
    _no_server_error(world, client.post(url, data={"csrf_token": "expired"}))


@pytest.mark.parametrize("disposition", ["form-data", 'form-data; name="\\"'])
@pytest.mark.parametrize("url", ["/start", "/clinician/login"])
def test_a_multipart_part_without_a_name_is_never_a_server_error(world, url, disposition):
    world.recorder.records.clear()
    body = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\nx\r\n--{BOUNDARY}--\r\n"
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    response = world.app.test_client().post(url, data=body.encode(), content_type=content_type)
    _no_server_error(world, response)
