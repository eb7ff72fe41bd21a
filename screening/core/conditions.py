"""Structured conditions on answers: skip rules and flags, evaluated from an operator table.

A leaf names a question and an operator with option ids, `{question: q, in: [a, b]}`; `all` and
`any` combine conditions; `{scored: [q1, q2, ...], at_least: n}` counts the questions whose answer
gave points (DSM-5-style criteria). Evaluation is three-valued: a question not reached yet makes a
leaf unknown (None), while a question that was skipped (or left unanswered) makes it false.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

# Answers to the questions asked so far: question id -> chosen option ids.
# A skipped question is present with an empty set; a question not reached yet is absent.
Answers = Mapping[str, frozenset[str]]
# Points each answered question gave, for `scored` conditions; a question absent scored nothing.
Points = Mapping[str, int]
NO_POINTS: Points = {}


def _in(chosen: frozenset[str], values: frozenset[str]) -> bool:
    return bool(chosen & values)


def _not_in(chosen: frozenset[str], values: frozenset[str]) -> bool:
    return bool(chosen) and not chosen & values


OPERATORS: dict[str, Callable[[frozenset[str], frozenset[str]], bool]] = {
    "in": _in,  # at least one chosen option is among the values
    "not_in": _not_in,  # answered, and no chosen option is among the values
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Leaf(_Model):
    """`{question: id, <operator>: [option ids]}`."""

    question: str
    op: str
    values: frozenset[str]

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, raw: Any) -> Any:
        if not isinstance(raw, Mapping) or "op" in raw:
            return raw
        ops = [key for key in raw if key in OPERATORS]
        unknown = sorted(set(raw) - {"question", *OPERATORS})
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r} (use {', '.join(OPERATORS)})")
        if len(ops) != 1:
            raise ValueError(f"give exactly one of {', '.join(OPERATORS)}")
        values = raw[ops[0]]
        if isinstance(values, str):
            values = [values]
        return {"question": raw.get("question"), "op": ops[0], "values": values}

    def evaluate(self, answers: Answers, points: Points = NO_POINTS) -> bool | None:
        chosen = answers.get(self.question)
        return None if chosen is None else OPERATORS[self.op](chosen, self.values)


class All(_Model):
    all: tuple[Condition, ...] = Field(min_length=1)

    def evaluate(self, answers: Answers, points: Points = NO_POINTS) -> bool | None:
        results = [c.evaluate(answers, points) for c in self.all]
        if False in results:
            return False
        return None if None in results else True


class AnyOf(_Model):
    any: tuple[Condition, ...] = Field(min_length=1)

    def evaluate(self, answers: Answers, points: Points = NO_POINTS) -> bool | None:
        results = [c.evaluate(answers, points) for c in self.any]
        if True in results:
            return True
        return None if None in results else False


class Scored(_Model):
    """`{scored: [question ids], at_least: n}`: at least n of the questions gave points."""

    scored: tuple[str, ...] = Field(min_length=1)
    at_least: int = Field(ge=1)

    def evaluate(self, answers: Answers, points: Points = NO_POINTS) -> bool | None:
        present = sum(1 for q in self.scored if q in answers and points.get(q, 0) > 0)
        if present >= self.at_least:
            return True
        pending = sum(1 for q in self.scored if q not in answers)
        return None if present + pending >= self.at_least else False


_KINDS = {All: "all", AnyOf: "any", Scored: "scored"}


def _kind(raw: Any) -> str:
    if isinstance(raw, Mapping):
        return next((key for key in ("all", "any", "scored") if key in raw), "leaf")
    return _KINDS.get(type(raw), "leaf")


Condition = Annotated[
    Union[  # noqa: UP007 (a forward-referenced union needs Union)
        Annotated[Leaf, Tag("leaf")],
        Annotated[All, Tag("all")],
        Annotated[AnyOf, Tag("any")],
        Annotated[Scored, Tag("scored")],
    ],
    Discriminator(_kind),
]
All.model_rebuild()
AnyOf.model_rebuild()


def leaves(
    condition: Leaf | All | AnyOf | Scored, at: tuple = ()
) -> Iterator[tuple[tuple, Leaf | Scored]]:
    """Yield every leaf (or `scored` count) of a condition with its path inside it, depth first."""
    if isinstance(condition, Leaf | Scored):
        yield at, condition
    else:
        key = "all" if isinstance(condition, All) else "any"
        for index, part in enumerate(getattr(condition, key)):
            yield from leaves(part, (*at, key, index))
