"""Read YAML 1.2 data files and report problems by file, line and id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

Loc = tuple[str | int, ...]

# Section names and the word for one of their items, used to say where a problem is.
_ITEM_NAMES = {
    "questions": "question",
    "options": "option",
    "domains": "domain",
    "bands": "band",
    "flags": "flag",
    "steps": "step",
    "hints": "hint",
    "norms": "norm",
    "resources": "resource",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file, at a path of keys and list indexes."""

    loc: Loc
    message: str


class SourceError(Exception):
    """A data file that cannot be used, with every problem found in it."""

    def __init__(self, path: Path | str, lines: list[str]):
        self.path = str(path)
        self.lines = lines
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.lines)
        head = f"{self.path}: {count} problem{'s' if count != 1 else ''} found"
        return "\n".join([head, *(f"  {line}" for line in self.lines)])


def read_yaml(path: Path, *, lines: bool = False) -> Any:
    """Load a YAML file with YAML 1.2 rules, so `No` and `on` stay strings.

    The fast loader (libyaml) keeps no line numbers; `lines=True` uses the slower round-trip
    loader, whose nodes know their lines, for reporting problems once some are found.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise SourceError(path, [f"{path}: cannot be read ({err.strerror or err})"]) from None
    except UnicodeDecodeError:
        raise SourceError(path, [f"{path}: is not UTF-8 text"]) from None
    try:
        return YAML(typ="rt" if lines else "safe").load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else "?"
        raise SourceError(path, [f"{path}:{line}: not valid YAML: {err.problem}"]) from None
    except YAMLError as err:
        raise SourceError(path, [f"{path}: not valid YAML: {err}"]) from None


def line_of(root: Any, loc: Loc) -> int | None:
    """Return the 1-based line of the deepest part of `loc` found in the loaded YAML."""
    node, line = root, getattr(getattr(root, "lc", None), "line", None)
    for part in loc:
        lc = getattr(node, "lc", None)
        if isinstance(node, Mapping) and part in node:
            line = lc.key(part)[0] if lc else line
        elif isinstance(node, Sequence) and isinstance(part, int) and 0 <= part < len(node):
            line = lc.item(part)[0] if lc else line
        else:
            continue  # a name pydantic adds (a union tag, say) that is not in the file
        node = node[part]
    return None if line is None else line + 1


def where(root: Any, loc: Loc) -> str:
    """Name the items along `loc`, e.g. "question 'craving', option 'often', score"."""
    parts: list[str] = []
    node = root
    section: str | int | None = None
    for index, part in enumerate(loc):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
            section = part
            # "questions, question 'x'" reads better as "question 'x'", unless it ends there.
            listed = isinstance(node, Sequence) and part in _ITEM_NAMES and index < len(loc) - 1
            if not listed:
                parts.append(str(part))
        elif isinstance(node, Sequence) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            ident = node.get("id") if isinstance(node, Mapping) else None
            noun = _ITEM_NAMES.get(str(section), f"{section} item")
            parts.append(f"{noun} {ident!r}" if ident is not None else f"{noun} {part + 1}")
    return ", ".join(parts) or "top level"


def describe(path: Path, problems: Iterable[Problem]) -> SourceError:
    """Turn problems into one error whose lines read `file:line: where: message`."""
    root = read_yaml(path, lines=True)
    lines = []
    for problem in problems:
        line = line_of(root, problem.loc)
        at = f"{path}:{line}" if line else str(path)
        lines.append(f"{at}: {where(root, problem.loc)}: {problem.message}")
    return SourceError(path, lines)


def problems_from(error: ValidationError) -> list[Problem]:
    """Translate pydantic's errors into problems in the file's own terms."""
    found = []
    errors = error.errors(include_url=False)
    for item in errors:
        loc = item["loc"]
        inside = any(e is not item and e["loc"][: len(loc)] == loc for e in errors)
        if item["type"] == "too_short" and inside:
            continue  # items that failed are not missing: report their own problems only
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            message = f"'{item['loc'][-1]}' is missing"
        elif item["type"] == "extra_forbidden":
            message = f"'{item['loc'][-1]}' is not a known field"
        found.append(Problem(tuple(item["loc"]), message))
    return found


def load_model(path: Path | str, model: type, checks: Any = None, *, kind: str = "file") -> Any:
    """Read a YAML file into a model, then run `checks` on it (a function yielding Problems).

    Raise SourceError naming the file, the line and the item of every problem found.
    """
    path = Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, Mapping):
        raise describe(path, [Problem((), f"the {kind} must be a mapping of keys to values")])
    try:
        value = model.model_validate(raw)
    except ValidationError as err:
        raise describe(path, problems_from(err)) from None
    problems = list(checks(value)) if checks else []
    if problems:
        raise describe(path, problems)
    return value
