"""Helpers for the browser tests: the live app, screenshots, and axe with the WCAG 2.2 AA rules."""

from __future__ import annotations

import atexit
import dataclasses
import datetime
import functools
import json
import os
import subprocess
from pathlib import Path

import clinic
from helpers import ALL_CLEAR, BANK
from personas import PERSONAS, SCENARIOS

from screening.core.flow import parse_answers
from screening.core.loading import load_bank
from screening.core.scoring import score
from screening.core.shares import from_result
from screening.storage import counts, records, twofactor
from screening.storage import shares as share_records
from screening.storage.connection import writing
from screening.web import drafts, store

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR", Path(__file__).parents[2] / "build/screenshots")
)


# Answers for the pages the tests open directly, with the answers already in the cookie.
WEEKLY = SCENARIOS["weekly_craving"].answers
MANY_SIGNS_IN_CRISIS = SCENARIOS["many_signs_in_crisis"].answers
AS_DIRECTED = {
    "respondent": "self",
    "last_use": "past_3_months",
    "treatment": "as_directed",
    "treatment_signs": ["want_more"],
    "self_harm": "rather_not_say",
}
NEVER = {"respondent": "self", "last_use": "never", "self_harm": "no"}
SELF = {"respondent": "self"}
PROXY_START = {"respondent": "other", "relationship": "child", "contact": "weekly"}
PROXY = PERSONAS["proxy_weekly"].answers
PROXY_CRISIS_UNKNOWN = SCENARIOS["proxy_crisis_unknowns"].answers
ORDER = [q.id for q in load_bank(BANK).questions]
BEFORE_MIXING = {q: a for q, a in WEEKLY.items() if ORDER.index(q) < ORDER.index("mixing")}
PROXY_BEFORE_MIXING = {q: a for q, a in PROXY.items() if ORDER.index(q) < ORDER.index("mixing")}

# Result pages, each with the band (score band or rule band) its headline must show.
RESULTS: dict[str, tuple[dict[str, str | list[str]], str]] = {
    "result-fewer-signs": (ALL_CLEAR, "fewer_signs"),
    "result-some-signs": (WEEKLY, "some_signs"),
    "result-many-signs-urgent": (MANY_SIGNS_IN_CRISIS, "many_signs"),
    "result-in-treatment": (AS_DIRECTED, "as_directed"),
    "result-never-used": (NEVER, "never_used"),
    "proxy-result-concern": (PROXY, "some_signs"),
    "proxy-result-crisis-unknowns": (PROXY_CRISIS_UNKNOWN, "many_signs"),
    **{
        f"result-{name.replace('_', '-')}": (PERSONAS[name].answers, PERSONAS[name].band)
        for name in (
            "most_concerning",
            "parent_unknown_self_harm",
            "esketamine_as_directed_crisis",
            "rather_not_say",
            "no_use_12_months",
        )
    },
}


AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "rules": {"target-size": {"enabled": True}},
}
AXE_RULES_RUN: set[str] = set()  # every rule axe ran during the session, for the summary


class LiveApp:
    """The app served on 127.0.0.1 in this process, so tests can also prepare cookies."""

    def __init__(self, app, url: str):
        self.app = app
        self.url = url

    running: LiveApp | None = None  # the session's live app, for page helpers given only a page
    EMAIL = "dr.shah@example.org"
    NEW_EMAIL = "dr.new@example.org"  # an account that has not set up two-factor sign-in
    SHARED_NONCE = "browser-test-nonce-1234"  # the check the live share came from
    PASSWORD = "a long test password"

    def prepare_clinic(self) -> None:
        """A clinician with a referral link and one result shared through it."""
        bank = self.app.extensions["screening"].bank
        with self.app.app_context():
            db = store.db()
            clinician = records.add_clinician(  # the deployer's role too: the statistics page
                db, self.EMAIL, "Dr Amira Shah", self.PASSWORD, "pbkdf2:sha256:1000", admin=True
            )
            clinic.enrol(db, self.app.config["SECRET_KEY"], clinician.id, self.EMAIL)
            records.add_clinician(
                db, self.NEW_EMAIL, "Dr Nia Evans", self.PASSWORD, "pbkdf2:sha256:1000"
            )
            self.link = records.add_link(
                db, clinician.id, "Tuesday clinic", "Call 555-0100", self.app.config["SECRET_KEY"]
            )
            share = from_result(
                bank,
                score(bank, parse_answers(bank, MANY_SIGNS_IN_CRISIS)),
                clinician_id=clinician.id,
                link_id=self.link.id,
                created=datetime.datetime.now(datetime.UTC).replace(microsecond=0),
                name="AS",
            )
            self.share, self.secret = share_records.add_share(db, share, self.SHARED_NONCE)
            self.add_counts(db)

    def add_counts(self, db) -> None:
        """A year of counts for the statistics page, every band, both modes and languages, some
        through the link, some of them small."""
        today = datetime.date.today()
        bands = [band.id for band in self.app.extensions["screening"].bank.bands]
        with writing(db):
            for days in range(0, 365, 2):
                day = today - datetime.timedelta(days=days)
                for i, band in enumerate(bands):
                    n = (days + 3 * i) % (9 - i)  # from 0 to 8: some under 5
                    link = self.link.id if i % 2 else None
                    language = "es" if i == 3 else "en"
                    for event in ("started", "completed", "shared")[: 2 + (link is not None)]:
                        counts.add(
                            db, day, event, n, mode="" if event == "started" else "self",
                            band="" if event == "started" else band, link=link,
                            language=language,
                        )  # fmt: skip
                counts.add(db, day, "completed", days % 7, mode="other", band=bands[1])

    def code(self, email: str | None = None) -> str:
        """The code the clinician's app shows now; the last one used is forgotten first, as if
        its 30 seconds had passed (a code works once: the app refuses it again)."""
        clinic.forget_last_code(self.app, email or self.EMAIL)
        return clinic.totp_code(email or self.EMAIL)

    def sign_in(self, page, email: str | None = None) -> None:
        """Both steps, by the page's own form: the password, then the code."""
        page.goto("/clinician/login")
        page.fill("#email", email or self.EMAIL)
        page.fill("#password", self.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.fill("#code", self.code(email))
        page.get_by_role("button", name="Continue").click()

    def start_enrolling(self, page) -> str:
        """The new account, past its password, on the page that sets up two-factor sign-in;
        returns its set-up code."""
        with self.app.app_context():  # afresh each time, as `clinician reset-2fa` does it
            _, setup = twofactor.reset(store.db(), self.NEW_EMAIL, "pbkdf2:sha256:1000")
        page.goto("/clinician/login")
        page.fill("#email", self.NEW_EMAIL)
        page.fill("#password", self.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/clinician/enrol")
        return setup

    def band_title(self, answers: dict[str, str | list[str]], band_id: str) -> str:
        """The headline the result page gives a band, worded for these answers' mode."""
        bank = self.app.extensions["screening"].bank
        band = bank.band(band_id)
        assert band is not None, band_id
        return band.title.get(bank.mode_of(parse_answers(bank, answers)))

    def draft_cookie(self, answers: dict[str, str | list[str]], **context: object) -> dict:
        """A cookie holding these answers, encrypted as the app itself would do it."""
        with self.app.test_request_context():
            bank = self.app.extensions["screening"].bank
            draft = drafts.begin().answering(parse_answers(bank, answers))
            value = drafts.encode(dataclasses.replace(draft, **context))
        return {"name": drafts.COOKIE, "value": value, "url": self.url}


HTMLCS = Path(__file__).parent / "node_modules/html_codesniffer/build/HTMLCS.js"
# HTML_CodeSniffer's known false positives, each with the reason it is one.
HTMLCS_FALSE_POSITIVES = {
    # H98 wants autocomplete="username" only on type=text, but the HTML standard allows it on
    # type=email (the sign-in's email field), and so do browsers and password managers.
    ("H98", 'type="email"', 'autocomplete="username"'),
}
HTMLCS_RUN = """() => {
  // A missing translation makes HTMLCS throw (its H98 message for type=email): name it by key.
  const translate = HTMLCS.getTranslation;
  HTMLCS.getTranslation = function (key) {
    try { return translate.call(this, key) || key; } catch (missing) { return key; }
  };
  return new Promise(resolve => HTMLCS.process('WCAG2AA', document, () => resolve(
    HTMLCS.getMessages().filter(m => m.type === HTMLCS.ERROR).map(m => ({
      code: m.code, message: m.msg, html: (m.element.outerHTML || '').slice(0, 200)
    })))));
}"""


def htmlcs_errors(page) -> list[str]:
    """HTML_CodeSniffer's WCAG2AA errors on the page, less its known false positives. The page's
    context needs bypass_csp=True: the engine is added as an inline script."""
    page.add_script_tag(path=str(HTMLCS))
    found = []
    for error in page.evaluate(HTMLCS_RUN):
        known = any(
            error["code"].endswith(code) and all(part in error["html"] for part in parts)
            for code, *parts in HTMLCS_FALSE_POSITIVES
        )
        if not known:
            found.append(f"{error['code']}: {error['message']} at {error['html'][:100]}")
    return found


HTML_VALIDATE = Path(__file__).parent / "node_modules/html-validate/package.json"
HTML_VALIDATE_WORKER = Path(__file__).parent / "validate-html.mjs"  # its rules: htmlvalidate.cjs


@functools.cache
def _html_validator() -> subprocess.Popen:
    """html-validate in one Node process for the whole run (it ends when the run does)."""
    worker = subprocess.Popen(
        ["node", HTML_VALIDATE_WORKER.name],
        cwd=HTML_VALIDATE_WORKER.parent,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    atexit.register(worker.stdin.close)
    return worker


def html_problems(html: str) -> list[str]:
    """What html-validate (the HTML standard and its recommended rules) finds in a page."""
    worker = _html_validator()
    worker.stdin.write(json.dumps(html) + "\n")
    worker.stdin.flush()
    reply = worker.stdout.readline()
    if not reply:
        raise RuntimeError(f"html-validate stopped (exit code {worker.poll()})")
    lines = html.splitlines()
    return [
        f"{m['ruleId']} at line {m['line']}: {m['message']} in {lines[m['line'] - 1].strip()[:120]}"
        for m in json.loads(reply)
    ]


LIGHTHOUSE = Path(__file__).parent / "node_modules/.bin/lighthouse"
LIGHTHOUSE_CATEGORIES = ("accessibility", "best-practices", "seo")


def lighthouse(url: str, cookie: dict | None = None) -> dict:
    """Lighthouse's report (JSON) of its accessibility, best-practices and SEO audits of one page,
    in Debian's Chromium on a phone-sized screen, with the answers cookie when given."""
    headers = {"Cookie": f"{cookie['name']}={cookie['value']}"} if cookie else {}
    run = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--chrome-flags=--headless=new {' '.join(CHROMIUM_ARGS)}",
            f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
            f"--extra-headers={json.dumps(headers)}",
            "--no-enable-error-reporting",
            "--output=json",
            "--output-path=stdout",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    if run.returncode != 0:
        raise RuntimeError(f"Lighthouse did not run: {run.stderr[-1000:]}")
    return json.loads(run.stdout)


def lighthouse_failures(report: dict) -> list[str]:
    """Every scored audit under full marks, with its score and title."""
    return [
        f"{audit['id']} ({audit['score']}): {audit['title']}"
        for audit in report["audits"].values()
        if audit.get("scoreDisplayMode") in ("binary", "numeric") and audit["score"] < 1
    ]


# Each tool from npm, by the word in the names of the tests that need it (conftest skips them
# without it, outside CI).
NPM_TOOLS = {"htmlcs": HTMLCS, "valid_html": HTML_VALIDATE, "lighthouse": LIGHTHOUSE}


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def axe_violations(page) -> list[str]:
    """Run axe-core on the page; return one line per violation (empty when the page passes)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS).response
    for kind in ("passes", "violations", "incomplete", "inapplicable"):
        AXE_RULES_RUN.update(rule["id"] for rule in results[kind])
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results["violations"]
    ]
