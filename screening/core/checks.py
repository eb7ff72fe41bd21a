"""Checks of a whole bank that its model alone cannot make: ids, references, bands, wording."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .bank import DONT_KNOW, RESERVED_IDS, Bank
from .conditions import Scored, leaves
from .site import PLACEHOLDER, Region, all_regions
from .source import Problem
from .text import texts_in


def check(bank: Bank) -> Iterator[Problem]:
    """Yield every cross-reference problem: ids, skip rules, flags, bands and wording."""
    for section in ("domains", "questions", "bands", "flags"):
        yield from _duplicates(getattr(bank, section), (section,))
    domains = {d.id for d in bank.domains}
    position = {q.id: i for i, q in enumerate(bank.questions)}
    for i, question in enumerate(bank.questions):
        at = ("questions", i)
        if question.id in RESERVED_IDS:
            yield Problem((*at, "id"), f"{question.id!r} is reserved for the score in exports")
        yield from _duplicates(question.options, (*at, "options"))
        if question.domain not in domains:
            yield Problem((*at, "domain"), f"unknown domain {question.domain!r}")
        for j, option in enumerate(question.options):
            if option.exclusive and question.type != "multiple" and option.id != DONT_KNOW:
                yield Problem(
                    (*at, "options", j), "only a 'multiple' question has exclusive options"
                )
        if question.cap is not None and question.type != "multiple":
            yield Problem((*at, "cap"), "only a 'multiple' question has a cap")
        if question.show_if is not None:
            for sub, leaf in leaves(question.show_if):
                here = (*at, "show_if", *sub)
                if isinstance(leaf, Scored):
                    yield Problem(here, "a skip rule cannot count points (use 'in' or 'not_in')")
                elif leaf.question == question.id:
                    yield Problem(here, "skip rule refers to its own question (a cycle)")
                elif position.get(leaf.question, -1) > i:
                    yield Problem(
                        here, f"skip rule refers to later question {leaf.question!r} (a cycle)"
                    )
                else:
                    yield from _leaf_refs(bank, leaf, here)
    for i, flag in enumerate(bank.flags):
        yield from _condition_refs(bank, flag.when, ("flags", i, "when"))
    for section in ("steps", "norms"):  # shown when a condition holds, in some bands
        for i, item in enumerate(getattr(bank, section)):
            if item.when is not None:
                yield from _condition_refs(bank, item.when, (section, i, "when"))
            for band_id in item.bands:
                if bank.band(band_id) is None:
                    yield Problem((section, i, "bands"), f"unknown band {band_id!r}")
        yield from _duplicates(getattr(bank, section), (section,))
    if bank.plan is not None:
        for band_id in bank.plan.bands:
            if bank.band(band_id) is None:
                yield Problem(("plan", "bands"), f"unknown band {band_id!r}")
        for section in ("options", "reasons"):
            items = getattr(bank.plan, section)
            yield from _duplicates(items, ("plan", section))
            for i, item in enumerate(items):
                if item.when is not None:
                    yield from _condition_refs(bank, item.when, ("plan", section, i, "when"))
    for i, norm in enumerate(bank.norms):
        yield from _norm_problems(bank, norm, ("norms", i, "text"))
    for i, hint in enumerate(bank.hints):
        yield from _condition_refs(bank, hint.when, ("hints", i, "when"))
        for question_id in hint.questions:
            if question_id not in bank.by_id:
                yield Problem(("hints", i, "questions"), f"unknown question {question_id!r}")
    for question_id in bank.criteria:
        if question_id not in bank.by_id:
            yield Problem(("criteria",), f"unknown question {question_id!r}")
    yield from _band_problems(bank)
    yield from _rule_band_problems(bank)
    yield from _mode_question_problems(bank)
    yield from check_words(bank, all_regions())
    if bank.languages and bank.language not in bank.languages:
        yield Problem(("languages",), f"the default language {bank.language!r} is not listed")
    for loc, text in texts_in(bank):
        for mode in bank.modes:
            if not text.has_mode(mode):
                yield Problem(loc, f"no wording for mode {mode!r}")
        languages = bank.all_languages
        for mode in text.by_mode:  # each mode's wording, or the one for every mode ("*")
            in_mode = "" if mode == "*" else f" for mode {mode!r}"
            if len(languages) > 1 and text.is_plain(mode):
                example = ", ".join(f"{code}: …" for code in languages)
                yield Problem(
                    loc, f"one text{in_mode} for {len(languages)} languages: write {{{example}}}"
                )
                continue
            for language in text.missing_languages(mode, languages):
                yield Problem(loc, f"no wording in {language!r}{in_mode}")


# Words that claim a sample is like the reader: a norm says who was asked instead.
LIKE_YOU = re.compile(r"\b(people|others) like (you|them)\b|\bpersonas como usted\b", re.I)


def _norm_problems(bank: Bank, norm: Any, at: tuple) -> Iterator[Problem]:
    """A norm's words name how many people its figure is from, and never say "like you"."""
    size = str(norm.sample.size)
    for mode, wording in norm.text.by_mode.items():
        for language, words in wording.items():
            where = "".join(
                (
                    f" in {language!r}" if language else "",
                    f" for mode {mode!r}" if mode != "*" else "",
                )
            )
            if size not in re.sub(r"(?<=\d)[,.\s\u00a0\u202f](?=\d{3})", "", words):
                yield Problem(at, f"does not say how many people were asked ({size}){where}")
            if LIKE_YOU.search(words):
                yield Problem(at, f"says the sample is like the reader{where}: say who was asked")


def _duplicates(items: tuple[Any, ...], at: tuple) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            yield Problem((*at, i, "id"), f"duplicate id {item.id!r}")
        seen.add(item.id)


def _condition_refs(bank: Bank, condition: Any, at: tuple) -> Iterator[Problem]:
    for sub, leaf in leaves(condition):
        yield from _leaf_refs(bank, leaf, (*at, *sub))


def _leaf_refs(bank: Bank, leaf: Any, at: tuple) -> Iterator[Problem]:
    if isinstance(leaf, Scored):
        for question_id in leaf.scored:
            if question_id not in bank.by_id:
                yield Problem(at, f"refers to unknown question {question_id!r}")
        if leaf.at_least > len(leaf.scored):
            yield Problem(at, f"at_least {leaf.at_least} is more than the questions listed")
        return
    question = bank.by_id.get(leaf.question)
    if question is None:
        yield Problem(at, f"refers to unknown question {leaf.question!r}")
        return
    for value in sorted(leaf.values):
        if question.option(value) is None:
            yield Problem(at, f"question {leaf.question!r} has no option {value!r}")


def _mode_question_problems(bank: Bank) -> Iterator[Problem]:
    if bank.mode_question is None:
        if len(bank.modes) > 1:
            yield Problem(("modes",), "a bank with several modes needs a mode_question")
        return
    question = bank.by_id.get(bank.mode_question)
    if question is None:
        yield Problem(("mode_question",), f"unknown question {bank.mode_question!r}")
        return
    at = ("questions", bank.questions.index(question))
    ids = {o.id for o in question.options_for("self")}
    if bank.questions[0] is not question or question.show_if is not None:
        yield Problem(at, "the mode question must be the first question, always asked")
    if ids != set(bank.modes) or question.type != "single" or question.dont_know:
        yield Problem(
            at,
            f"the mode question needs one option per mode ({', '.join(bank.modes)}), "
            "type single and dont_know: false",
        )


def _band_problems(bank: Bank) -> Iterator[Problem]:
    """Score bands (those with `min`) cover every possible total, in order, without gaps."""
    low, high = bank.score_range
    expected = low
    bands = bank.score_bands
    if not bands:
        yield Problem(("bands",), "give at least one score band (with min)")
        return
    for band in bands:
        i = bank.bands.index(band)
        at = ("bands", i)
        if band.max is not None and band.max < band.min:
            yield Problem(at, f"max {band.max} is below min {band.min}")
        if band.min > expected:
            yield Problem(at, f"totals {expected} to {band.min - 1} fall in no band (a gap)")
        elif band.min < expected:
            yield Problem(at, f"min {band.min} overlaps the band before (expected {expected})")
        if band.max is None and band is not bands[-1]:
            yield Problem(at, "only the last score band may leave out max")
        if band.when is not None or band.unknown or band.instead_of:
            yield Problem(at, "a score band (with min) takes no when, unknown or instead_of")
        expected = (band.max if band.max is not None else high) + 1
    if expected <= high:
        yield Problem(
            ("bands", bank.bands.index(bands[-1])),
            f"totals {expected} to {high} fall in no band (the highest possible total is {high})",
        )


def _rule_band_problems(bank: Bank) -> Iterator[Problem]:
    """Rule bands name one rule and replace only score bands; lifts belong to score bands."""
    score_ids = {b.id for b in bank.score_bands}
    for i, band in enumerate(bank.bands):
        at = ("bands", i)
        if band.lift_if is not None:
            if not band.is_score_band:
                yield Problem((*at, "lift_if"), "only a score band (with min) can be lifted to")
            yield from _condition_refs(bank, band.lift_if, (*at, "lift_if"))
        if band.is_score_band:
            continue
        if band.max is not None:
            yield Problem((*at, "max"), "a rule band has no max (give min for a score band)")
        if (band.when is None) == (not band.unknown):
            yield Problem(at, "a band needs min (a score band), or one of when and unknown: true")
        if band.when is not None:
            yield from _condition_refs(bank, band.when, (*at, "when"))
        if band.unknown and "other" not in bank.modes:
            yield Problem((*at, "unknown"), "'I don't know' is offered only in the other mode")
        for band_id in band.instead_of:
            if band_id not in score_ids:
                yield Problem((*at, "instead_of"), f"{band_id!r} is not a score band")


def check_words(bank: Bank, regions: list[Region]) -> Iterator[Problem]:
    """Each `{term}` is one every region fills in; no text names one region's own services in a
    bank shown in another (say "a doctor", or use a term, instead of "GP" or "urgent care")."""
    known = {r.id for r in regions}
    for region_id in bank.regions:
        if region_id not in known:
            yield Problem(("regions",), f"unknown region {region_id!r} (known: {sorted(known)})")
    shown = [r for r in regions if not bank.regions or r.id in bank.regions]
    for loc, text in texts_in(bank):
        for words in {w for wording in text.by_mode.values() for w in wording.values()}:
            for term in sorted(set(PLACEHOLDER.findall(words))):
                missing = [r.id for r in shown if term not in r.terms]
                if missing:
                    yield Problem(loc, f"{{{term}}} is not a term of region {missing[0]!r}")
            for region in regions:
                elsewhere = [r.id for r in shown if r.id != region.id]
                for name in region.names:
                    if elsewhere and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", words):
                        yield Problem(
                            loc,
                            f"names {name!r}, which is only in region {region.id!r}, in a bank "
                            f"shown in {elsewhere[0]!r}: use neutral words or a {{term}}",
                        )
