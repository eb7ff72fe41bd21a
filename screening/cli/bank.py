"""Command line: `screening bank check|score`, also available as `flask --app screening bank ...`.

Only the pure core is used here: no Flask app is needed to check a bank or score answers. The
commands that need the app and its database (accounts, purge) are in admin.py.
"""

from __future__ import annotations

import json
import sys

import click

from ..core import readability
from ..core.bank import Bank
from ..core.flow import AnswerError, parse_answers, paths
from ..core.loading import load_bank
from ..core.scoring import score
from ..core.site import all_regions
from ..core.source import SourceError
from ..settings import SETTINGS

DEFAULT_BANK = next(s.default for s in SETTINGS if s.name == "BANK")


def _load(path: str) -> Bank:
    try:
        return load_bank(path)
    except SourceError as err:
        raise click.ClickException(str(err)) from None


@click.group("bank")
def bank_commands() -> None:
    """Check a question bank, or score answers with it."""


@bank_commands.command("check")
@click.argument("path", default=DEFAULT_BANK, type=click.Path(dir_okay=False))
def check_command(path: str) -> None:
    """Validate a bank and summarise it.

    Example: screening bank check questions.yaml
    """
    bank = _load(path)
    low, high = bank.score_range
    routes = paths(bank)
    lengths = sorted(len(r) for r in routes)
    click.echo(f"{path}: valid ({bank.id} version {bank.version})")
    click.echo(f"  {len(bank.questions)} questions in {len(bank.domains)} domains")
    click.echo(
        f"  {len(routes)} paths through the questions: shortest {lengths[0]}, longest {lengths[-1]}"
    )
    click.echo(f"  totals from {low} to {high}")
    for band in bank.score_bands:
        top = high if band.max is None else band.max
        lift = " (or when its lift_if holds)" if band.lift_if else ""
        click.echo(f"  band {band.id}: {band.min} to {top}{lift}")
    for band in bank.rule_bands:
        rule = "too many 'I don't know'" if band.unknown else "its rule holds"
        instead = f" instead of {', '.join(band.instead_of)}" if band.instead_of else ""
        click.echo(f"  band {band.id}: shown when {rule}{instead}")
    click.echo(f"  {len(bank.flags)} flags, {len(bank.steps)} steps")
    for region in all_regions():
        for language in bank.all_languages:
            scale = readability.SCALES.get(language)
            if scale is None:
                click.echo(f"  ({language}: no reading scale for this language)")
                continue
            found = readability.readings(bank, region, language)
            aim = f"{scale.aim:g} or {'more' if scale.higher_is_easier else 'less'}"
            click.echo(
                f"  {scale.name} ({region.id}, {language}): median "
                f"{readability.median(found):.1f} over {len(found)} texts (aim: {aim}); hardest:"
            )
            for reading in readability.hardest(found, language=language):
                click.echo(f"    {reading.grade:5.1f}  {reading.where}")


@bank_commands.command("score")
@click.argument("answers", type=click.File("r"))
@click.option("--bank", "bank_path", default=DEFAULT_BANK, show_default=True, help="Bank file.")
def score_command(answers, bank_path: str) -> None:
    """Score a JSON file of answers ({"question_id": "option_id" or [ids]}) and print JSON.

    Example: screening bank score answers.json
    """
    bank = _load(bank_path)
    try:
        raw = json.load(answers)
        if not isinstance(raw, dict):
            raise AnswerError("the answers must be a JSON object of question ids to option ids")
        result = score(bank, parse_answers(bank, raw))
    except (json.JSONDecodeError, AnswerError) as err:
        raise click.ClickException(f"{answers.name}: {err}") from None
    report = {
        "bank": {"id": bank.id, "version": bank.version},
        "total": result.total,
        "band": result.band.id,
        "score_band": result.scored_band.id,
        "criteria": result.criteria,
        "flags": [f.id for f in result.flags],
        "steps": [s.id for s in result.steps],
        "domains": {f.domain.id: f.score for f in result.findings},
        "counted": {c.question.id: c.score for c in result.counted},
    }
    click.echo(json.dumps(report, indent=2))


@click.group()
def main() -> None:
    """Ketamine use self-check tools."""


main.add_command(bank_commands)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
