"""How hard the words a respondent reads are: the Flesch-Kincaid grade of every text in a bank.

Measured with textstat (pinned: its syllable counter is a hyphenation dictionary that ships with
the package, so no download). Texts are measured as a region shows them, placeholders filled in.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import textstat

from .bank import Bank, texts_in
from .site import Region

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


def grade(words: str) -> float:
    """The Flesch-Kincaid grade of some words (one text: a label, a title or a body)."""
    return textstat.flesch_kincaid_grade(words)


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


def readings(bank: Bank, region: Region) -> list[Reading]:
    """Every text a respondent can read (of MIN_WORDS or more), once per mode it differs in."""
    found = []
    for loc, text in texts_in(bank):
        if UNREAD & set(loc):
            continue
        for mode in bank.modes:
            if not text.has_mode(mode) or (mode != bank.modes[0] and "*" in text.by_mode):
                continue
            words = region.fill(text.get(mode, bank.language), mode, bank.language)
            found.append(Reading(f"{_name(bank, loc)} ({mode})", words, grade(words)))
    for resource in region.resources:
        if resource.about is not None:
            words = resource.about.get("self", bank.language)
            found.append(Reading(f"region {region.id}: {resource.id}", words, grade(words)))
    return [r for r in found if len(r.words.split()) >= MIN_WORDS]


def median(found: list[Reading]) -> float:
    return statistics.median(r.grade for r in found)


def hardest(found: list[Reading], count: int = 5) -> list[Reading]:
    return sorted(found, key=lambda r: r.grade, reverse=True)[:count]
