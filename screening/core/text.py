"""Words shown to a person (`Text`), worded per mode and language, and the frozen base model
every loaded file's types share (the bank's, the site's and the regions')."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator

MODES = ("self", "other")  # whose use the answers are about: the person's own, or someone else's
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _by_language(raw: Any) -> dict[str, str]:
    if isinstance(raw, str):
        return {"": raw}
    if isinstance(raw, Mapping) and raw:
        for key in raw:
            if not isinstance(key, str) or not LANGUAGE.match(key):
                raise ValueError(f"{key!r} is not a mode ({', '.join(MODES)}) or a language code")
        return dict(raw)
    raise ValueError("must be text, or a mapping of modes or of language codes to text")


class Text(Model):
    """Words shown to a person: one string, or wording per mode and/or per language.

    YAML forms: `text`, `{en: text, es: text}`, `{self: text, other: text}`, or
    `{self: {en: text}, other: {en: text}}`. Mode `*` and language `""` mean "any".
    """

    by_mode: dict[str, dict[str, Annotated[str, StringConstraints(strip_whitespace=True)]]]

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, raw: Any) -> Any:
        if isinstance(raw, Mapping) and set(raw) == {"by_mode"}:
            return raw
        if isinstance(raw, Mapping) and raw and set(raw) <= set(MODES):
            return {"by_mode": {mode: _by_language(value) for mode, value in raw.items()}}
        return {"by_mode": {"*": _by_language(raw)}}

    @model_validator(mode="after")
    def _not_empty(self) -> Text:
        for wording in self.by_mode.values():
            if not all(wording.values()):
                raise ValueError("text is empty")
        return self

    def has_mode(self, mode: str) -> bool:
        return "*" in self.by_mode or mode in self.by_mode

    def wording_for(self, mode: str) -> dict[str, str]:
        """A mode's wording by language: its own, else the one for every mode ("*")."""
        return self.by_mode.get(mode) or self.by_mode.get("*") or {}

    def missing_languages(self, mode: str, languages: tuple[str, ...]) -> list[str]:
        """The languages of a bank's that this text has no wording in, for a mode ("*": the
        wording for every mode). A plain string is in a one-language bank's language only."""
        wording = self.wording_for(mode)
        if len(languages) == 1 and "" in wording:
            return []
        return [language for language in languages if language not in wording]

    def is_plain(self, mode: str) -> bool:
        """Whether a mode's wording is one string, in no language named."""
        return set(self.wording_for(mode)) == {""}

    def get(self, mode: str = "self", language: str = "") -> str:
        """Return the wording for a mode and language, falling back to any language."""
        wording = self.by_mode.get(mode) or self.by_mode["*"]
        return wording.get(language) or wording.get("") or next(iter(wording.values()))


def texts_in(value: Any, loc: tuple = ()) -> Iterator[tuple[tuple, Text]]:
    """Yield every Text inside a model, with where it is (e.g. ("flags", 2, "body"))."""
    if isinstance(value, Text):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts_in(getattr(value, name), (*loc, name))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from texts_in(item, (*loc, i))
