"""Checks of a whole bank that its model alone cannot make: ids, references, bands, wording."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .bank import DONT_KNOW, RESERVED_IDS, Bank, Text
from .conditions import leaves
from .source import Problem


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
        if question.show_if is not None:
            for sub, leaf in leaves(question.show_if):
                here = (*at, "show_if", *sub)
                if leaf.question == question.id:
                    yield Problem(here, "skip rule refers to its own question (a cycle)")
                elif position.get(leaf.question, -1) > i:
                    yield Problem(
                        here, f"skip rule refers to later question {leaf.question!r} (a cycle)"
                    )
                else:
                    yield from _leaf_refs(bank, leaf, here)
    for i, flag in enumerate(bank.flags):
        for sub, leaf in leaves(flag.when):
            yield from _leaf_refs(bank, leaf, ("flags", i, "when", *sub))
    yield from _band_problems(bank)
    yield from _mode_question_problems(bank)
    for loc, text in _texts(bank, ()):
        for mode in bank.modes:
            if not text.has_mode(mode):
                yield Problem(loc, f"no wording for mode {mode!r}")


def _duplicates(items: tuple[Any, ...], at: tuple) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            yield Problem((*at, i, "id"), f"duplicate id {item.id!r}")
        seen.add(item.id)


def _leaf_refs(bank: Bank, leaf: Any, at: tuple) -> Iterator[Problem]:
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
    low, high = bank.score_range
    expected = low
    for i, band in enumerate(bank.bands):
        at = ("bands", i)
        if band.max is not None and band.max < band.min:
            yield Problem(at, f"max {band.max} is below min {band.min}")
        if band.min > expected:
            yield Problem(at, f"totals {expected} to {band.min - 1} fall in no band (a gap)")
        elif band.min < expected:
            yield Problem(at, f"min {band.min} overlaps the band before (expected {expected})")
        if band.max is None and i != len(bank.bands) - 1:
            yield Problem(at, "only the last band may leave out max")
        expected = (band.max if band.max is not None else high) + 1
    if expected <= high:
        yield Problem(
            ("bands", len(bank.bands) - 1),
            f"totals {expected} to {high} fall in no band (the highest possible total is {high})",
        )


def _texts(value: Any, loc: tuple) -> Iterator[tuple[tuple, Text]]:
    if isinstance(value, Text):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*loc, name))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _texts(item, (*loc, i))
