"""How hard the words a respondent reads are: every text of a bank, in each of its languages.

English by the Flesch-Kincaid grade (lower is easier); Spanish by the Fernández-Huerta ease
(0-100, higher is easier: 70-80 is "bastante fácil"). Measured with textstat (pinned: its
syllable counter is a hyphenation dictionary that ships with the package, so no download).
Texts are measured as a region shows them, placeholders filled in.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from textstat.textstat import textstatistics

from .bank import Bank
from .site import Region
from .text import texts_in

MEDIAN_GRADE = 6  # the middle text should be readable at US school grade 6 or below
MOST_GRADE = 9  # and no single text above grade 9
UNREAD = {"clinical", "clinical_note"}  # wording only clinicians see
# The formula needs sentences: a label of a word or two gets a meaningless grade ("Alcohol" alone
# scores 20), so texts shorter than this are left out of the figures.
MIN_WORDS = 5


@dataclass(frozen=True)
class Reading:
    where: str  # e.g. "flags.crisis.body (other)"
    words: str
    grade: float


def _reader(language: str) -> textstatistics:
    reader = textstatistics()  # its own instance: set_lang would change textstat's shared one
    reader.set_lang(language)
    return reader


@dataclass(frozen=True)
class Scale:
    """How one language's texts are scored, and what the middle text should reach."""

    name: str
    measure: Callable[[str], float]
    aim: float  # the median text: at most this (lower is easier) or at least (higher is easier)
    higher_is_easier: bool


SPANISH_EASE = 70  # Fernández-Huerta: 70-80 "bastante fácil" (fairly easy), 80-90 "fácil"
SCALES = {
    "en": Scale("Flesch-Kincaid grade", _reader("en_US").flesch_kincaid_grade, MEDIAN_GRADE, False),
    "es": Scale("Fernández-Huerta ease", _reader("es").fernandez_huerta, SPANISH_EASE, True),
}


def grade(words: str) -> float:
    """The Flesch-Kincaid grade of some words (one text: a label, a title or a body)."""
    return SCALES["en"].measure(words)


def _name(bank: Bank, loc: tuple) -> str:
    parts = []
    node = bank
    for part in loc:
        if isinstance(part, int):
            node = node[part]
            parts.append(getattr(node, "id", str(part)))
        else:
            node = getattr(node, part)
            parts.append(part)
    return ".".join(parts)


def readings(bank: Bank, region: Region, language: str | None = None) -> list[Reading]:
    """Every text a respondent can read (of MIN_WORDS or more), once per mode it differs in, in
    a language (the bank's own by default), scored on that language's scale (`grade`)."""
    language = language or bank.language
    measure = SCALES[language].measure
    found = []
    for loc, text in texts_in(bank):
        if UNREAD & set(loc):
            continue
        for mode in bank.modes:
            if not text.has_mode(mode) or (mode != bank.modes[0] and "*" in text.by_mode):
                continue
            words = region.fill(text.get(mode, language), mode, language)
            found.append(Reading(f"{_name(bank, loc)} ({mode})", words, measure(words)))
    for resource in region.resources:
        if resource.about is not None:
            words = resource.about.get("self", language)
            found.append(Reading(f"region {region.id}: {resource.id}", words, measure(words)))
    return [r for r in found if len(r.words.split()) >= MIN_WORDS]


def median(found: list[Reading]) -> float:
    return statistics.median(r.grade for r in found)


def hardest(found: list[Reading], count: int = 5, language: str = "en") -> list[Reading]:
    easier_high = SCALES[language].higher_is_easier
    return sorted(found, key=lambda r: r.grade, reverse=not easier_high)[:count]
