"""Score a complete set of answers: total, band, findings by domain and triggered flags."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .bank import (
    DONT_KNOW,
    FLAG_LEVELS,
    Band,
    Bank,
    Citation,
    Domain,
    Flag,
    Norm,
    Option,
    Question,
    Sample,
    Step,
    Text,
)
from .conditions import Answers, Points
from .flow import known_answers, prune


def _sum_of_chosen(question: Question, chosen: frozenset[str]) -> int:
    return question.points(chosen)


# How each question type turns chosen options into points: one entry per type the bank accepts.
SCORERS: dict[str, Callable[[Question, frozenset[str]], int]] = {
    "single": _sum_of_chosen,
    "multiple": _sum_of_chosen,  # summed, up to the question's cap
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
    band: Band  # the headline shown: a rule band when one applies, else the score band
    findings: tuple[Finding, ...]
    flags: tuple[Flag, ...]
    counted: tuple[Counted, ...]
    mode: str = "self"
    unknown: tuple[Question, ...] = ()  # answered "I don't know": they count for nothing
    could_be_unknown: int = 0  # how many of the questions asked offered "I don't know"
    score_band: Band | None = None  # the band of the total, after any lift (None: = band)
    steps: tuple[Step, ...] = ()  # what to do now, most important first
    norms: tuple[Norm, ...] = ()  # published figures that bear on these answers
    criteria: int = 0  # criteria questions (bank.criteria) whose answer gave points
    criteria_asked: int = 0  # criteria questions on the path taken
    lifted: bool = False  # the score band is above the total's own band (a `lift_if` held)

    def flags_at(self, level: str) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.level == level)

    @property
    def scored_band(self) -> Band:
        return self.score_band or self.band

    @property
    def sources(self) -> tuple[Evidence, ...]:
        """The studies behind the figures shown, each once (in the order first shown), with
        each of its samples once and the figures from that sample as published."""
        studies: dict[int, tuple[Citation, dict[int, tuple[Sample, list[Text]]]]] = {}
        for norm in self.norms:  # keyed by the first equal citation and sample seen
            key = next((k for k, (c, _) in studies.items() if c == norm.source), len(studies))
            samples = studies.setdefault(key, (norm.source, {}))[1]
            at = next((k for k, (s, _) in samples.items() if s == norm.sample), len(samples))
            samples.setdefault(at, (norm.sample, []))[1].append(norm.figure)
        return tuple(
            Evidence(
                source, tuple((sample, tuple(figures)) for sample, figures in samples.values())
            )
            for source, samples in studies.values()
        )


@dataclass(frozen=True)
class Evidence:
    """One study behind figures on a result: its citation, and each sample with its figures."""

    source: Citation
    samples: tuple[tuple[Sample, tuple[Text, ...]], ...]


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
    points = {c.question.id: c.score for c in counted}
    flags = sorted(
        (f for f in bank.flags if f.when.evaluate(known, points)),
        key=lambda f: FLAG_LEVELS.index(f.level),
    )
    mode = bank.mode_of(applicable)
    offered = [c.question for c in counted if c.question.option(DONT_KNOW) is not None]
    unknown = tuple(q for q in offered if DONT_KNOW in applicable[q.id])
    scored = [c.question for c in counted if c.question.score_range[1] > 0]
    too_unknown = (
        mode == "other"
        and bool(scored)
        and sum(1 for q in scored if q in unknown) >= bank.unknown_limit * len(scored)
    )
    score_band = lifted_band(bank, total, known, points)
    band = headline(bank, score_band, known, points, too_unknown)

    def applies(item: Step | Norm) -> bool:
        return (not item.bands or band.id in item.bands) and (
            item.when is None or bool(item.when.evaluate(known, points))
        )

    steps = tuple(step for step in bank.steps if applies(step))
    return Result(
        total,
        band,
        tuple(findings),
        tuple(flags),
        counted,
        mode=mode,
        unknown=unknown,
        could_be_unknown=len(offered) if mode == "other" else 0,
        score_band=score_band,
        steps=steps[: bank.max_steps],
        norms=tuple(norm for norm in bank.norms if applies(norm)),
        criteria=sum(1 for q in bank.criteria if points.get(q, 0) > 0),
        criteria_asked=sum(1 for q in bank.criteria if q in applicable),
        lifted=score_band is not bank.band_for(total),
    )


def lifted_band(bank: Bank, total: int, known: Answers, points: Points) -> Band:
    """The band of the total, or a higher score band whose `lift_if` holds (the highest such)."""
    bands = bank.score_bands
    band = bank.band_for(total)
    for higher in bands[bands.index(band) + 1 :]:
        if higher.lift_if is not None and higher.lift_if.evaluate(known, points):
            band = higher
    return band


def headline(
    bank: Bank, score_band: Band, known: Answers, points: Points, too_unknown: bool
) -> Band:
    """The band a person sees: the first rule band (bank order) that applies, else the score band.

    A rule band applies when its `when` holds, or, for an `unknown` band, when too many answers
    are "I don't know"; with `instead_of` it replaces only those score bands.
    """
    for band in bank.rule_bands:
        holds = (
            too_unknown if band.unknown else bool(band.when and band.when.evaluate(known, points))
        )
        if holds and (not band.instead_of or score_band.id in band.instead_of):
            return band
    return score_band
