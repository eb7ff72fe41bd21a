"""The pure core (bank, conditions, flow, scoring, site, readability, cli) needs no Flask."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ("flask", "flask_wtf", "wtforms", "werkzeug", "jinja2", "flask_login", "sqlite_utils")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# Every module under screening/core/ (its sub-packages too), found from the folder, and the bank's
# command line.
CORE = (
    *sorted(_module(p) for p in (ROOT / "screening/core").rglob("*.py")),
    "screening.cli.bank",
)

# Prints the web packages that were imported, as a JSON list.
LOADED = f"""
import json, sys
web = {WEB!r}
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in web)))
"""


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_web_packages_are_installed():
    # Otherwise the tests below would pass for the wrong reason.
    assert json.loads(run(f"import {', '.join(WEB)}\n" + LOADED))


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_web_package(module):
    assert json.loads(run(f"import {module}\n" + LOADED)) == []


def test_the_core_folder_is_found():
    expected = {"screening.core.bank", "screening.core.scoring", "screening.core.exports.fhir"}
    assert expected <= set(CORE)


def test_whole_core_imports_no_web_package():
    assert json.loads(run(f"import {', '.join(CORE)}\n" + LOADED)) == []


def test_shipped_bank_loads_and_scores_without_flask():
    code = (
        f"""
from screening.core.loading import load_bank
from screening.core.scoring import score
bank = load_bank({str(ROOT / "questions.yaml")!r})
answers = {{"respondent": "self", "last_use": "never", "self_harm": "no"}}
result = score(bank, {{q: frozenset({{v}}) for q, v in answers.items()}})
print(len(bank.questions), result.total, result.band.id)
"""
        + LOADED
    )
    first, loaded = run(code).splitlines()
    assert first == "27 0 never_used"
    assert json.loads(loaded) == []


def test_site_loads_without_flask():
    code = "from screening.core.site import load_site\nsite, region = load_site(None)\n"
    code += "print(region.id)\n" + LOADED
    region, loaded = run(code).splitlines()
    assert region == "us"
    assert json.loads(loaded) == []
