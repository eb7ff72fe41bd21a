"""The question bank: a typed, frozen model loaded from YAML and validated as a whole."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    StringConstraints,
    model_validator,
)

from .conditions import Condition
from .text import LANGUAGE, MODES, Id, Model, Text

QUESTION_TYPES = ("single", "multiple")
FLAG_LEVELS = ("urgent", "advice", "info")
HELP_TAGS = ("crisis", "emergency", "medical", "naloxone", "drugs", "poison", "treatment", "family")

DONT_KNOW = "dont_know"  # the option id of the "I don't know" the engine adds for proxy mode
RESERVED_IDS = ("total", "band", "score_band", "criteria", "domains")  # FHIR export items


class Option(Model):
    id: Id
    label: Text
    score: int
    exclusive: bool = False  # "None of these": cannot be chosen with another option
    modes: tuple[Literal[MODES], ...] | None = None  # type: ignore[valid-type]  # None: every mode


class Question(Model):
    id: Id
    type: Literal[QUESTION_TYPES] = "single"  # type: ignore[valid-type]
    domain: Id
    text: Text
    hint: Text | None = None
    summary: Text | None = None  # short wording for the check-answers page and the result
    error: Text | None = None  # what to say when no answer is given
    options: tuple[Option, ...] = Field(min_length=2)
    show_if: Condition | None = None
    dont_know: bool = True  # offer "I don't know" in proxy mode (not for questions to the proxy)
    cap: int | None = Field(default=None, ge=1)  # the most points a 'multiple' question gives
    source: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

    @cached_property
    def options_by_id(self) -> dict[str, Option]:
        return {o.id: o for o in self.options}

    @cached_property
    def _offered(self) -> dict[str, tuple[Option, ...]]:
        return {
            mode: tuple(o for o in self.options if o.modes is None or mode in o.modes)
            for mode in MODES
        }

    @cached_property
    def _offered_ids(self) -> dict[str, frozenset[str]]:
        return {mode: frozenset(o.id for o in offered) for mode, offered in self._offered.items()}

    def option(self, option_id: str) -> Option | None:
        return self.options_by_id.get(option_id)

    def offered_ids(self, mode: str) -> frozenset[str]:
        """The ids of the options offered in `mode`."""
        return self._offered_ids[mode]

    def points(self, chosen: frozenset[str]) -> int:
        """The points the chosen options give: their sum, up to the cap."""
        total = sum(o.score for o in self.options if o.id in chosen)
        return total if self.cap is None else min(total, self.cap)

    def options_for(self, mode: str) -> tuple[Option, ...]:
        """The options a person answering in `mode` is offered."""
        return self._offered[mode]

    @property
    def score_range(self) -> tuple[int, int]:
        scores = [o.score for o in self.options]
        if self.type == "single":
            return min(0, *scores), max(0, *scores)  # 0: the question may be skipped
        high = sum(s for s in scores if s > 0)
        return sum(s for s in scores if s < 0), high if self.cap is None else min(high, self.cap)


class Domain(Model):
    id: Id
    title: Text
    about: Text  # why this part of the answers matters


class Band(Model):
    """A result group. A score band covers totals from `min` to `max`; a rule band (`when`, or
    `unknown`) is shown instead of the score band when its rule holds (see `scoring.headline`)."""

    id: Id
    min: int | None = None
    max: int | None = None  # None: up to the highest possible total
    lift_if: Condition | None = None  # a score band: at least this band when the condition holds
    lift_note: Text | None = None  # why a lifted result is in this band whatever its total
    when: Condition | None = None  # a rule band: shown when this holds
    unknown: bool = False  # a rule band: shown when too many answers are "I don't know"
    instead_of: tuple[Id, ...] = ()  # a rule band replaces only these score bands (empty: any)
    title: Text
    body: Text
    clinical: Text | None = None  # a short label for clinicians' pages and exports
    label: Text | None = None  # a score band's short name on the result's scale ("Some signs")

    @property
    def is_score_band(self) -> bool:
        return self.min is not None


class Step(Model):
    """One thing to do now, offered when its condition holds (and the band is one of `bands`)."""

    id: Id
    when: Condition | None = None
    bands: tuple[Id, ...] = ()  # empty: whatever the band
    text: Text


class PathHint(Model):
    """A hint added to some questions when a condition on earlier answers holds."""

    when: Condition
    questions: tuple[Id, ...] = Field(min_length=1)
    text: Text


class Flag(Model):
    id: Id
    level: Literal[FLAG_LEVELS]  # type: ignore[valid-type]
    when: Condition
    title: Text
    body: Text
    help: tuple[Literal[HELP_TAGS], ...] = ()  # type: ignore[valid-type]
    clinical: Text | None = None  # a short label for clinicians' pages and exports


Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Sample(Model):
    """Who a published figure is about, in plain words: who, where, when and how many."""

    who: Text  # "people who had used ketamine in the past year and answered an online survey"
    where: Text  # "UK"
    when: Text  # "November 2009 to January 2010" (when the data were collected)
    size: int = Field(ge=1)  # how many people the figure is out of


class Citation(Model):
    authors: Line  # as cited on the page: "Winstock et al."
    title: Line
    journal: Line
    year: int = Field(ge=1900, le=2100)
    details: Line | None = None  # volume, issue and pages: "110(11):1762-6"
    doi: Line | None = None


class Norm(Model):
    """A published figure shown beside the result when its condition holds: normative feedback
    that says honestly who was asked (never "people like you" from a sample that is not)."""

    id: Id
    when: Condition | None = None
    bands: tuple[Id, ...] = ()  # empty: whatever the band
    text: Text  # the statement: the sample and the figure in plain words
    figure: Text  # the figure as published: "26.6% (340 of 1,285)"
    sample: Sample
    source: Citation


class PlanItem(Model):
    """One thing a person may choose for their plan: an option with its steps, or a reason."""

    id: Id
    label: Text
    steps: tuple[Text, ...] = ()  # concrete steps, under the option and on the plan
    when: Condition | None = None  # offered only when the answers call for it
    modes: tuple[Literal[MODES], ...] | None = None  # type: ignore[valid-type]  # None: every mode
    ready_from: int = Field(default=0, ge=0, le=10)  # listed first from this readiness up
    last: bool = (
        False  # listed after every other option, whatever the readiness ("Nothing for now")
    )


class Plan(Model):
    """The optional step after the result: how ready the person feels (0 to 10), a menu of
    options that fit the answers and the readiness, their reasons, and the plan to keep."""

    bands: tuple[Id, ...] = ()  # the results it is offered after (empty: every result)
    readiness: Text  # the ruler's question: "How ready do you feel to make a change?"
    readiness_hint: Text
    options_title: Text
    options: tuple[PlanItem, ...] = Field(min_length=1)
    reasons_title: Text
    reasons: tuple[PlanItem, ...] = ()


class Bank(Model):
    id: Id
    version: Annotated[str, StringConstraints(min_length=1)]
    title: Text
    about: Text  # the start page: what this check is about
    result_note: Text  # on every result: what the score can and cannot say
    clinical_note: Text | None = None  # on the clinician's result: where the thresholds come from
    language: str = "en"  # the default: pages are in it when the person's is not offered
    # Every language each text is written in (a language code each); empty: `language` only.
    languages: tuple[Annotated[str, StringConstraints(pattern=LANGUAGE.pattern)], ...] = ()
    modes: tuple[Literal[MODES], ...] = ("self",)  # type: ignore[valid-type]
    # The question whose option ids are the modes: who the answers are about.
    mode_question: Id | None = None
    dont_know_label: Text | None = None  # the label of "I don't know" in proxy mode
    unknown_note: Text | None = None  # on a result with "I don't know" answers
    minutes: int = Field(default=5, ge=1)
    # "Not enough to say": the share of the scored questions asked in proxy mode that were
    # answered "I don't know" at which the `unknown: true` band replaces the score band.
    unknown_limit: float = Field(default=1 / 3, gt=0, le=1)
    # Questions that stand for DSM-5-style criteria: the result counts how many gave points.
    criteria: tuple[Id, ...] = ()
    # Regions whose help the bank's wording is written for; empty: every region.
    regions: tuple[Id, ...] = ()
    max_steps: int = Field(default=3, ge=1)
    domains: tuple[Domain, ...] = Field(min_length=1)
    questions: tuple[Question, ...] = Field(min_length=1)
    hints: tuple[PathHint, ...] = ()
    bands: tuple[Band, ...] = Field(min_length=1)
    flags: tuple[Flag, ...] = ()
    steps: tuple[Step, ...] = ()
    norms: tuple[Norm, ...] = ()
    plan: Plan | None = None

    @model_validator(mode="before")
    @classmethod
    def _add_dont_know(cls, raw: Any) -> Any:
        """In a bank with proxy mode, give each question an exclusive 'I don't know' there."""
        if not isinstance(raw, Mapping) or "other" not in (raw.get("modes") or ()):
            return raw
        label = raw.get("dont_know_label") or "I don't know"
        extra = {"id": DONT_KNOW, "label": label, "score": 0, "exclusive": True, "modes": ["other"]}
        questions = [
            {**q, "options": [*q["options"], extra]}
            if isinstance(q, Mapping)
            and q.get("dont_know", True)
            and isinstance(q.get("options"), list)
            else q
            for q in raw.get("questions") or ()
        ]
        return {**raw, "questions": questions}

    @property
    def all_languages(self) -> tuple[str, ...]:
        """The languages the bank is written in, its default first."""
        return (self.language, *(code for code in self.languages if code != self.language))

    def mode_of(self, answers: Mapping[str, frozenset[str]]) -> str:
        """Whose use the answers are about: the mode question's answer, else 'self'."""
        chosen = answers.get(self.mode_question or "", frozenset())
        return next(iter(chosen), "self")

    @cached_property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def score_range(self) -> tuple[int, int]:
        ranges = [q.score_range for q in self.questions]
        return sum(low for low, _ in ranges), sum(high for _, high in ranges)

    @cached_property
    def score_bands(self) -> tuple[Band, ...]:
        return tuple(b for b in self.bands if b.is_score_band)

    @cached_property
    def rule_bands(self) -> tuple[Band, ...]:
        return tuple(b for b in self.bands if not b.is_score_band)

    def band(self, band_id: str) -> Band | None:
        return next((b for b in self.bands if b.id == band_id), None)

    def band_for(self, total: int) -> Band:
        """The score band a total falls in."""
        return next(
            b for b in self.score_bands if b.min <= total and (b.max is None or total <= b.max)
        )

    def hints_for(self, question_id: str, answers: Mapping[str, frozenset[str]]) -> list[Text]:
        """The path hints that apply to a question given the answers so far."""
        return [
            h.text for h in self.hints if question_id in h.questions and h.when.evaluate(answers)
        ]
