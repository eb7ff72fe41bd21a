"""`bank check` and `bank score`, run as `screening ...` and as `flask --app screening ...`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import ASSIST, BANK, in_bank_order
from personas import SCENARIOS

from screening.cli import main

# Weekly use (4) with a few mild signs: 4 + 1 + 1 + 1 + 1 + 1 = 9.
WEEKLY = in_bank_order(SCENARIOS["weekly_mild"].answers)


@pytest.fixture(params=["screening", "flask"])
def invoke(request):
    """Run a command line through the `screening` group or through the Flask app's CLI."""
    if request.param == "screening":
        runner = CliRunner()
        return lambda *args: runner.invoke(main, [str(a) for a in args])
    runner = request.getfixturevalue("runner")
    return lambda *args: runner.invoke(args=[str(a) for a in args])


def failed(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: ")
    for fragment in fragments:
        assert fragment in result.output


def write_json(tmp_path: Path, value) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


# --- check -------------------------------------------------------------------------------------


def test_check_shipped_bank(invoke):
    result = invoke("bank", "check", BANK)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:14] == [
        f"{BANK}: valid (ketamine_self_check version 3.1.0)",
        "  27 questions in 7 domains",
        "  18 paths through the questions: shortest 3, longest 26",
        "  totals from 0 to 54",
        "  band fewer_signs: 0 to 3",
        "  band some_signs: 4 to 19 (or when its lift_if holds)",
        "  band many_signs: 20 to 54 (or when its lift_if holds)",
        "  band as_directed: shown when its rule holds",
        "  band never_used: shown when its rule holds",
        "  band no_recent_use: shown when its rule holds",
        "  band not_enough: shown when too many 'I don't know'",
        "  band crisis_first: shown when its rule holds instead of fewer_signs",
        "  22 flags, 16 steps",
        lines[13],
    ]
    # Then, per region and language, the median reading score and the five hardest texts.
    assert re.fullmatch(
        r"  Flesch-Kincaid grade \(uk, en\): median \d\.\d over \d+ texts \(aim: 6 or less\); "
        r"hardest:",
        lines[13],
    )
    assert re.fullmatch(
        r"  Fernández-Huerta ease \(uk, es\): median \d\d\.\d over \d+ texts \(aim: 70 or more\); "
        r"hardest:",
        lines[19],
    )
    assert len(lines) == 13 + 2 * 2 * (1 + 5)  # then two regions, two languages each
    assert all(re.fullmatch(r"    [ \d][ \d]\d\.\d  \S.*", line) for line in lines[14:19])


def test_check_defaults_to_shipped_bank(invoke):
    result = invoke("bank", "check")
    assert result.exit_code == 0, result.output
    assert "valid (ketamine_self_check version 3.1.0)" in result.output
    assert "  27 questions in 7 domains" in result.output


def test_check_assist(invoke):
    result = invoke("bank", "check", ASSIST)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{ASSIST}: valid (who_assist_hallucinogens version 3.1)",
        "  7 questions in 2 domains",
        "  3 paths through the questions: shortest 1, longest 7",
        "  totals from 0 to 39",
        "  band lower: 0 to 3",
        "  band moderate: 4 to 26",
        "  band high: 27 to 39",
        "  0 flags, 0 steps",
        *result.output.splitlines()[8:],
    ]
    assert result.output.splitlines()[8].startswith("  Flesch-Kincaid grade (uk, en): median")


def test_check_broken_bank(invoke, tmp_path):
    text = ASSIST.read_text(encoding="utf-8")
    text = text.replace("{ id: monthly, label: Monthly, score: 4 }", "{ id: monthly, label: M }")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "label: M }" in row)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("bank", "check", path)
    failed(
        result,
        f"{path}: 1 problem found",
        f"{path}:{line}: question 'q3', option 'monthly': 'score' is missing",
    )
    assert "valid" not in result.output


def test_check_invalid_yaml(invoke, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nversion: '1'\ntitle: [unclosed\nabout: y: z\n", encoding="utf-8")
    result = invoke("bank", "check", path)
    failed(result, f"{path}:", "not valid YAML")


def test_check_missing_file(invoke, tmp_path):
    path = tmp_path / "nowhere.yaml"
    failed(invoke("bank", "check", path), str(path), "cannot be read")


# --- score -------------------------------------------------------------------------------------


def test_score_shipped_bank(invoke, tmp_path):
    result = invoke("bank", "score", write_json(tmp_path, WEEKLY))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["bank"] == {"id": "ketamine_self_check", "version": "3.1.0"}
    assert report["total"] == 9
    assert (report["band"], report["score_band"], report["criteria"]) == ("some_signs",) * 2 + (2,)
    assert report["flags"] == []
    assert report["steps"] == ["make_a_plan"]
    assert report["domains"] == {"pattern": 4, "control": 2, "daily_life": 2, "risk": 1}
    assert list(report["counted"]) == list(WEEKLY)
    assert report["counted"]["frequency"] == 4


def test_score_lists_flags_in_order(invoke, tmp_path):
    answers = {**WEEKLY, "mixing": ["alcohol"], "self_harm": "sometimes"}
    result = invoke("bank", "score", write_json(tmp_path, answers), "--bank", BANK)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["flags"] == ["crisis", "mixing_depressants", "alone"]
    assert report["total"] == 10


def test_score_ignores_answers_that_do_not_apply(invoke, tmp_path):
    answers = {"respondent": "self", "last_use": "never", "self_harm": "no", "frequency": "daily"}
    result = invoke("bank", "score", write_json(tmp_path, answers))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["total"], report["band"], report["flags"]) == (0, "never_used", [])
    assert report["counted"] == {"respondent": 0, "last_use": 0, "self_harm": 0}


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ({"q1": "no"}, 0, "lower"),
        (
            {"q1": "yes", "q2": "weekly", "q3": "weekly", "q4": "monthly", "q5": "never"}
            | {"q6": "recent", "q7": "earlier"},
            23,
            "moderate",
        ),
        (
            {"q1": "yes", "q2": "daily", "q3": "daily", "q4": "daily", "q5": "daily"}
            | {"q6": "recent", "q7": "recent"},
            39,
            "high",
        ),
    ],
)
def test_score_assist(invoke, tmp_path, answers, total, band):
    result = invoke("bank", "score", write_json(tmp_path, answers), "--bank", ASSIST)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["bank"]["id"] == "who_assist_hallucinogens"
    assert (report["total"], report["band"]) == (total, band)


def test_score_bad_json(invoke, tmp_path):
    path = tmp_path / "answers.json"
    path.write_text('{"last_use": "never",', encoding="utf-8")
    failed(invoke("bank", "score", path), f"Error: {path}: Expecting")


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (["last_use", "never"], "the answers must be a JSON object"),
        ({"last_use": "yesterday"}, "question 'last_use' has no option 'yesterday'"),
        ({"favourite_colour": "blue"}, "unknown question 'favourite_colour'"),
        ({"mixing": ["none", "alcohol"]}, "question 'mixing': an exclusive option stands alone"),
        ({"last_use": 3}, "question 'last_use'"),  # not an option id: no traceback
        ({"mixing": [["alcohol"]]}, "question 'mixing'"),
    ],
)
def test_score_bad_answers(invoke, tmp_path, answers, message):
    path = write_json(tmp_path, answers)
    failed(invoke("bank", "score", path), f"Error: {path}: {message}")


def test_score_with_broken_bank(invoke, tmp_path):
    bank = tmp_path / "bank.yaml"
    bank.write_text("- not a bank\n", encoding="utf-8")
    result = invoke("bank", "score", write_json(tmp_path, {"q1": "no"}), "--bank", bank)
    failed(result, f"{bank}:1: top level: the bank must be a mapping")
