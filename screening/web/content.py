"""The content an app serves: its bank, its help details and the forms built from the bank."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, current_app, request
from jinja2 import pass_context
from markupsafe import Markup

from ..core.bank import Bank
from ..core.loading import load_bank
from ..core.shares import format_code
from ..core.site import Region, Site, load_site
from ..core.source import SourceError
from ..core.text import Text
from .forms import QuestionForm, build_forms


@dataclass(frozen=True)
class Wording:
    """The words of texts for one mode and language, with the region's terms filled in.

    Pages get the wording for the respondent's mode as `t` (and `paragraphs`); templates that
    use it in macros import them `with context`.
    """

    region: Region
    mode: str
    language: str

    def __call__(self, text: Text | None) -> str:
        if text is None:
            return ""
        return self.region.fill(text.get(self.mode, self.language), self.mode, self.language)

    def paragraphs(self, text: Text | None) -> list[str]:
        """Split wording into paragraphs at blank lines, joining the lines within each."""
        return [" ".join(p.split()) for p in self(text).split("\n\n") if p.strip()]


@dataclass(frozen=True)
class Content:
    bank: Bank
    site: Site
    region: Region
    forms: dict[tuple[str, str], type[QuestionForm]]  # by (mode, question id)
    # by (mode, language), made at start-up
    wordings: dict[tuple[str, str], Wording] = field(default_factory=dict)
    # parts of pages the same on every request, rendered once (`once` in templates)
    fragments: dict[tuple, Markup] = field(default_factory=dict)

    def wording(self, mode: str, language: str) -> Wording:
        """The wording for a respondent's mode (their own use, or someone else's) in a
        language (i18n.language(): the page's)."""
        found = self.wordings.get((mode, language)) or self.wordings.get((mode, self.bank.language))
        return found or next(iter(self.wordings.values()))


def init_app(app: Flask) -> None:
    """Load and validate the bank and site once; a bad file stops start-up with its message."""
    try:
        bank = load_bank(app.config["BANK"])
        site, region = load_site(app.config["SITE"])
    except SourceError as err:
        raise SystemExit(f"Cannot start: {err}") from None
    wordings = {
        (mode, language): Wording(region, mode, language)
        for mode in bank.modes
        for language in bank.all_languages
    }
    app.extensions["screening"] = Content(bank, site, region, build_forms(bank), wordings)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["reference"] = format_code  # "K7F3QD" -> "K7F-3QD", one way everywhere
    app.context_processor(lambda: {"content": content()})
    app.jinja_env.globals["once"] = once


FRAGMENTS = 256  # at most this many kept: a few parts x languages x modes x path prefixes


@pass_context
def once(context, name: str, caller) -> Markup:
    """A part of a page that depends only on the bank, the region, the page's language and mode
    and where the site is mounted (its footer, its exit button), rendered on its first request
    and kept: `{% call once("footer") %}...{% endcall %}`. Nothing from a person's answers, the
    request or the session may be inside."""
    wording = context.get("t")
    mode = getattr(wording, "mode", None)  # pages outside a check word for the person's own use
    key = (name, context.get("language"), mode, request.script_root)
    fragments = content().fragments
    kept = fragments.get(key)
    if kept is None:
        kept = Markup(caller())
        if len(fragments) < FRAGMENTS:
            fragments[key] = kept
    return kept


def content() -> Content:
    return current_app.extensions["screening"]
