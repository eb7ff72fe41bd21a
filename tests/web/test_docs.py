"""The README keeps up with the code: settings, commands and question types."""

from __future__ import annotations

import click
import pytest
from helpers import ROOT

from screening.core.bank import QUESTION_TYPES
from screening.core.scoring import SCORERS
from screening.settings import SETTINGS, table
from screening.web.forms import FIELD_BUILDERS

README = (ROOT / "README.md").read_text()


def test_the_readme_table_of_settings_is_made_from_the_settings():
    """Names, defaults and help in full, and no row for a setting that no longer exists."""
    rows = [line for line in README.splitlines() if line.startswith("| `SCREENING_")]
    assert rows == [s.row() for s in SETTINGS], "paste `python -m screening.settings` in"
    assert table() in README


def commands(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}"


def test_every_command_is_documented(app):
    found = sorted(set(commands(app.cli)) - {"routes", "run", "shell"})
    assert "clinician reset-password" in found and "bank score" in found and "purge" in found
    for command in found:
        assert command in README, command


@pytest.mark.parametrize("kind", QUESTION_TYPES)
def test_every_question_type_is_built_scored_and_documented(kind):
    assert kind in FIELD_BUILDERS and kind in SCORERS
    assert f"| `{kind}`" in README
