"""A person's plan after the result: what fits their answers and readiness, and what they chose.

The plan is theirs: it lives with the answers in the browser's encrypted cookie and is cleared
with them; nothing here is written anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .bank import Bank, PlanItem
from .flow import known_answers, prune

READINESS = tuple(range(11))  # the ruler: 0 (not ready at all) to 10 (completely ready)


@dataclass(frozen=True)
class Chosen:
    readiness: int | None = None  # None: skipped
    options: tuple[str, ...] = ()  # ids, in the bank's order
    reasons: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether nothing was chosen: the ruler skipped, no option, no reason."""
        return self.readiness is None and not self.options and not self.reasons


def offered(
    bank: Bank, items: Iterable[PlanItem], answers: Mapping[str, frozenset[str]]
) -> tuple[PlanItem, ...]:
    """The items that fit this mode and these answers, in the bank's order."""
    mode = bank.mode_of(answers)
    known = known_answers(bank, prune(bank, answers))
    return tuple(
        item
        for item in items
        if (item.modes is None or mode in item.modes)
        and (item.when is None or bool(item.when.evaluate(known)))
    )


def menu(
    bank: Bank, answers: Mapping[str, frozenset[str]], readiness: int | None
) -> tuple[PlanItem, ...]:
    """The options to offer: those that fit, the ones that fit this readiness first."""
    items = offered(bank, bank.plan.options, answers) if bank.plan else ()
    if readiness is None:
        return tuple(sorted(items, key=lambda item: item.last))
    return tuple(sorted(items, key=lambda item: (item.last, item.ready_from > readiness)))


def choose(
    bank: Bank,
    readiness: object,
    options: Iterable[str] = (),
    reasons: Iterable[str] = (),
    answers: Mapping[str, frozenset[str]] | None = None,
) -> Chosen:
    """A plan from what was posted (`answers`: only what they were offered) or kept in the cookie
    (any of the bank's: answers changed since stay chosen, shown only while they fit);
    ValueError for anything no honest page could send."""
    if readiness is not None and (type(readiness) is not int or readiness not in READINESS):
        raise ValueError(f"readiness {readiness!r} is not on the ruler")
    plan = bank.plan
    if plan is None:
        raise ValueError("this bank has no plan")

    def ids(items: tuple[PlanItem, ...], chosen: Iterable[str]) -> tuple[str, ...]:
        chosen = set(chosen)
        known = {item.id for item in (items if answers is None else offered(bank, items, answers))}
        if not chosen <= known:
            raise ValueError(f"not offered: {sorted(chosen - known)}")
        return tuple(item.id for item in items if item.id in chosen)

    return Chosen(readiness, ids(plan.options, options), ids(plan.reasons, reasons))


def shown(
    bank: Bank, items: tuple[PlanItem, ...], chosen: Iterable[str], answers: Mapping
) -> tuple[PlanItem, ...]:
    """The chosen items that still fit the answers, in the bank's order."""
    chosen = set(chosen)
    return tuple(item for item in offered(bank, items, answers) if item.id in chosen)


def still_fitting(bank: Bank, chosen: Chosen, answers: Mapping) -> Chosen:
    """The plan as "My plan" shows it: the readiness, and the chosen items that still fit."""
    if bank.plan is None:
        return Chosen(chosen.readiness)
    return Chosen(
        chosen.readiness,
        tuple(i.id for i in shown(bank, bank.plan.options, chosen.options, answers)),
        tuple(i.id for i in shown(bank, bank.plan.reasons, chosen.reasons, answers)),
    )
