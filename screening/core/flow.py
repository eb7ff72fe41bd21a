"""The path through a bank: which questions apply, what comes next, and progress."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from .bank import Bank, Question
from .conditions import Answers, leaves


class AnswerError(ValueError):
    """Answers that do not fit the bank (unknown question or option, too many choices)."""


# What can be wrong with one question's answer: the one rule, used by the forms, by reading a
# stored draft and by the command line. The first two are a person's slips; the rest cannot come
# from an honest page.
EMPTY = "empty"  # nothing chosen
NOT_ALONE = "not_alone"  # "None of these" (or "I don't know") chosen with another option
TOO_MANY = "too_many"  # more than one option for a single question, or one option twice
UNKNOWN = "unknown"  # an option the question does not have
NOT_OFFERED = "not_offered"  # an option the question has, but not in this mode
SLIPS = (EMPTY, NOT_ALONE)


def answer_problem(question: Question, chosen: Iterable[str], mode: str) -> str | None:
    """Say what is wrong with choosing these options for a question in a mode; None if nothing."""
    values = list(chosen)
    if not values:
        return EMPTY
    if len(set(values)) != len(values) or (question.type == "single" and len(values) > 1):
        return TOO_MANY
    options = question.options_by_id
    if any(v not in options for v in values):
        return UNKNOWN
    if not question.offered_ids(mode).issuperset(values):
        return NOT_OFFERED
    if len(values) > 1 and any(options[v].exclusive for v in values):
        return NOT_ALONE
    return None


_MESSAGES = {
    EMPTY: " needs at least one option",
    NOT_ALONE: ": an exclusive option stands alone",
    TOO_MANY: " needs exactly one option",
}


def parse_answers(bank: Bank, raw: Mapping[str, Iterable[str] | str]) -> dict[str, frozenset[str]]:
    """Check answers given as question id -> option id(s) and return them as sets."""
    lists = {}
    for question_id, value in raw.items():
        if question_id not in bank.by_id:
            raise AnswerError(f"unknown question {question_id!r}")
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
            raise AnswerError(f"question {question_id!r}: give an option id or a list of them")
        lists[question_id] = sorted(set(values))
    mode = bank.mode_of({q: frozenset(v) for q, v in lists.items()})
    for question_id, values in lists.items():
        question = bank.by_id[question_id]
        problem = answer_problem(question, values, mode)
        if problem == UNKNOWN:
            missing = next(v for v in values if question.option(v) is None)
            raise AnswerError(f"question {question_id!r} has no option {missing!r}")
        if problem == NOT_OFFERED:
            extra = next(v for v in values if v not in question.offered_ids(mode))
            raise AnswerError(f"question {question_id!r}: {extra!r} is not offered to {mode!r}")
        if problem == EMPTY and question.type == "single":
            problem = TOO_MANY  # a single question needs exactly one
        if problem is not None:
            raise AnswerError(f"question {question_id!r}{_MESSAGES[problem]}")
    return {q: frozenset(v) for q, v in lists.items()}


def record(
    bank: Bank, answers: Answers, question_id: str, chosen: frozenset[str]
) -> dict[str, frozenset[str]]:
    """Add one answer and drop answers that no longer apply."""
    return Route.recording(bank, answers, question_id, chosen).answers


class Step(NamedTuple):  # a tuple: a route makes one per question on every request
    question: Question
    relevant: bool | None  # None: depends on a question not answered yet
    answer: frozenset[str] | None


def walk(bank: Bank, answers: Answers) -> list[Step]:
    """Decide, in bank order, whether each question applies given the answers before it."""
    known: dict[str, frozenset[str]] = {}  # skipped questions count as answered with nothing
    steps = []
    for question in bank.questions:
        relevant = True if question.show_if is None else question.show_if.evaluate(known)
        answer = answers.get(question.id) if relevant else None
        if relevant is False:
            known[question.id] = frozenset()
        elif relevant and answer is not None:
            known[question.id] = answer
        steps.append(Step(question, relevant, answer))
    return steps


def prune(bank: Bank, answers: Answers) -> dict[str, frozenset[str]]:
    """Keep only answers to questions that still apply; the rest are never scored."""
    return Route.of(bank, answers).answers


def known_answers(bank: Bank, answers: Answers) -> dict[str, frozenset[str]]:
    """Answers for condition checks: applicable answers, and skipped questions as empty."""
    return {
        s.question.id: s.answer or frozenset()
        for s in walk(bank, answers)
        if s.relevant is not None
    }


@dataclass(frozen=True)
class Route:
    """The path through a bank for some answers, walked once: ask everything of it."""

    steps: tuple[Step, ...]

    @classmethod
    def of(cls, bank: Bank, answers: Answers) -> Route:
        return cls(tuple(walk(bank, answers)))

    @classmethod
    def recording(
        cls, bank: Bank, answers: Answers, question_id: str, chosen: frozenset[str]
    ) -> Route:
        """The route once one more answer is added, walked once.

        A new answer to the mode question starts the rest afresh: every question's wording and
        meaning depend on whose use it is about.
        """
        if question_id == bank.mode_question and answers.get(question_id) != chosen:
            return cls.of(bank, {question_id: chosen})
        return cls.of(bank, {**answers, question_id: chosen})

    @property
    def answers(self) -> dict[str, frozenset[str]]:
        """The answers to the questions that apply: those kept and scored (walk() already leaves
        out the answers of questions that do not apply, or may not)."""
        return {s.question.id: s.answer for s in self.steps if s.relevant and s.answer}

    def _index(self, question_id: str) -> int:
        return next(i for i, s in enumerate(self.steps) if s.question.id == question_id)

    def first_unanswered(self) -> Question | None:
        """The first question that applies and has no answer; None when the check is done."""
        return next((s.question for s in self.steps if s.relevant and s.answer is None), None)

    def can_ask(self, question_id: str) -> bool:
        """Whether a question applies and every question that applies before it is answered."""
        for step in self.steps:
            if step.question.id == question_id:
                return bool(step.relevant)
            if step.relevant is not False and step.answer is None:
                return False
        return False

    def next_after(self, question_id: str) -> Question | None:
        """The question that applies next after this one; None when there is none."""
        later = self.steps[self._index(question_id) + 1 :]
        return next((s.question for s in later if s.relevant), None)

    def previous_before(self, question_id: str) -> Question | None:
        """The applicable question before this one; None for the first one."""
        earlier = reversed(self.steps[: self._index(question_id)])
        return next((s.question for s in earlier if s.relevant), None)

    def progress(self, question_id: str) -> tuple[int, int]:
        """(number of this question, about how many there will be) on this path.

        Questions whose skip rule depends on answers not given yet are counted as possible.
        """
        possible = [s.question.id for s in self.steps if s.relevant is not False]
        return possible.index(question_id) + 1, len(possible)


def first_unanswered(bank: Bank, answers: Answers) -> Question | None:
    """Return the first question that applies and has no answer; None when the check is done."""
    return Route.of(bank, answers).first_unanswered()


def can_ask(bank: Bank, answers: Answers, question_id: str) -> bool:
    """Say whether a question applies and every question that applies before it is answered."""
    return Route.of(bank, answers).can_ask(question_id)


def next_question(bank: Bank, answers: Answers, after: str) -> Question | None:
    """Return the question that applies next after `after`; None when there is none."""
    return Route.of(bank, answers).next_after(after)


def previous_question(bank: Bank, answers: Answers, before: str) -> Question | None:
    """Return the applicable question before `before`; None for the first one."""
    return Route.of(bank, answers).previous_before(before)


def progress(bank: Bank, answers: Answers, question_id: str) -> tuple[int, int]:
    """Return (number of this question, about how many there will be) on the current path."""
    return Route.of(bank, answers).progress(question_id)


def paths(bank: Bank, limit: int = 100_000) -> set[tuple[str, ...]]:
    """Return the distinct sequences of questions a person can be asked.

    Only questions that a skip rule refers to are branched on, and only on one option of each
    group that every skip rule treats alike (an option alone, for a `multiple` question); at most
    `limit` answer combinations are explored.
    """
    rules: dict[str, list[frozenset[str]]] = {}
    for q in bank.questions:
        for _, leaf in leaves(q.show_if) if q.show_if else ():
            rules.setdefault(leaf.question, []).append(leaf.values)
    found: set[tuple[str, ...]] = set()
    pending: list[dict[str, frozenset[str]]] = [{}]
    explored = 0
    while pending and explored < limit:
        answers = pending.pop()
        explored += 1
        question = first_unanswered(bank, answers)
        if question is None:
            found.add(tuple(s.question.id for s in walk(bank, answers) if s.relevant))
            continue
        pending.extend(
            {**answers, question.id: frozenset([o.id])} for o in _branches(question, rules)
        )
    return found


def _branches(question: Question, rules: Mapping[str, list[frozenset[str]]]) -> list:
    """One option for each group of options that every skip rule on this question treats alike."""
    groups = {}
    for option in question.options:
        groups.setdefault(
            tuple(option.id in values for values in rules.get(question.id, ())), option
        )
    return list(groups.values())
