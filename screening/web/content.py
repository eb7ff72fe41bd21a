"""The content an app serves: its bank, its help details and the forms built from the bank."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g

from ..core.bank import Bank, Text
from ..core.loading import load_bank
from ..core.shares import format_code
from ..core.site import Region, Site, load_site
from ..core.source import SourceError
from .forms import QuestionForm, build_forms


@dataclass(frozen=True)
class Content:
    bank: Bank
    site: Site
    region: Region
    forms: dict[tuple[str, str], type[QuestionForm]]  # by (mode, question id)


def init_app(app: Flask) -> None:
    """Load and validate the bank and site once; a bad file stops start-up with its message."""
    try:
        bank = load_bank(app.config["BANK"])
        site, region = load_site(app.config["SITE"])
    except SourceError as err:
        raise SystemExit(f"Cannot start: {err}") from None
    app.extensions["screening"] = Content(bank, site, region, build_forms(bank))
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(t=translate, paragraphs=paragraphs)
    app.jinja_env.filters["reference"] = format_code  # "K7F3QD" -> "K7F-3QD", one way everywhere
    app.context_processor(lambda: {"content": content()})


def content() -> Content:
    return current_app.extensions["screening"]


def translate(text: Text | None) -> str:
    """Return the wording for the current respondent's mode and language."""
    if text is None:
        return ""
    mode, language = g.get("mode", "self"), g.get("language", content().bank.language)
    return content().region.fill(text.get(mode, language), mode, language)


def paragraphs(text: Text | None) -> list[str]:
    """Split wording into paragraphs at blank lines, joining the lines within each."""
    return [" ".join(p.split()) for p in translate(text).split("\n\n") if p.strip()]
