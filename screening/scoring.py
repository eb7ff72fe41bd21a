"""Score a complete set of answers: total, band, findings by domain and triggered flags."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .bank import DONT_KNOW, FLAG_LEVELS, Band, Bank, Domain, Flag, Option, Question
from .conditions import Answers
from .flow import known_answers, prune


def _sum_of_chosen(question: Question, chosen: frozenset[str]) -> int:
    return sum(o.score for o in question.options if o.id in chosen)


# How each question type turns chosen options into points: one entry per type the bank accepts.
SCORERS: dict[str, Callable[[Question, frozenset[str]], int]] = {
    "single": _sum_of_chosen,
    "multiple": _sum_of_chosen,
}


@dataclass(frozen=True)
class Counted:
    """One answer that applies to the path taken, and the points it gave."""

    question: Question
    options: tuple[Option, ...]
    score: int


@dataclass(frozen=True)
class Finding:
    """What the answers in one domain show."""

    domain: Domain
    score: int
    highest: int  # the most this domain could have scored on the path taken
    answers: tuple[Counted, ...]  # the answers that gave points


@dataclass(frozen=True)
class Result:
    total: int
    band: Band
    findings: tuple[Finding, ...]
    flags: tuple[Flag, ...]
    counted: tuple[Counted, ...]
    mode: str = "self"
    unknown: tuple[Question, ...] = ()  # answered "I don't know": they count for nothing
    could_be_unknown: int = 0  # how many of the questions asked offered "I don't know"

    def flags_at(self, level: str) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.level == level)


def score(bank: Bank, answers: Answers) -> Result:
    """Score the answers that apply; answers to skipped questions count for nothing."""
    applicable = prune(bank, answers)
    counted = tuple(
        Counted(
            q,
            tuple(o for o in q.options if o.id in applicable[q.id]),
            SCORERS[q.type](q, applicable[q.id]),
        )
        for q in bank.questions
        if q.id in applicable
    )
    total = sum(c.score for c in counted)
    findings = []
    for domain in bank.domains:
        mine = [c for c in counted if c.question.domain == domain.id]
        points = sum(c.score for c in mine)
        if points > 0:
            highest = sum(c.question.score_range[1] for c in mine)
            findings.append(Finding(domain, points, highest, tuple(c for c in mine if c.score)))
    known = known_answers(bank, applicable)
    flags = sorted(
        (f for f in bank.flags if f.when.evaluate(known)),
        key=lambda f: FLAG_LEVELS.index(f.level),
    )
    mode = bank.mode_of(applicable)
    offered = [c.question for c in counted if c.question.option(DONT_KNOW) is not None]
    return Result(
        total,
        bank.band_for(total),
        tuple(findings),
        tuple(flags),
        counted,
        mode=mode,
        unknown=tuple(q for q in offered if DONT_KNOW in applicable[q.id]),
        could_be_unknown=len(offered) if mode == "other" else 0,
    )
