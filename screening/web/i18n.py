"""The language of the pages: the person's choice for the visit, else their browser's.

The interface's words come from gettext catalogs (Flask-Babel, `translations/`); the bank's and
the region's words are written per language in their own files. Every language the bank is
written in is offered; choosing one keeps the answers and stays on the same page.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from flask import Blueprint, Flask, current_app, g, redirect, request, session
from flask_babel import Babel, get_translations
from werkzeug.datastructures import LanguageAccept
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header
from werkzeug.routing import RequestRedirect

from ..core.text import Text
from ..settings import PROJECT_DIR
from .content import Wording, content
from .errors import holds_form, same_page

SESSION_KEY = "language"  # the person's choice, for the visit (the session cookie)
babel = Babel()
bp = Blueprint("language", __name__)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.extensions["screening"].bank.language)
    babel.init_app(
        app,
        locale_selector=lambda: _locale(language()),
        default_translation_directories=str(PROJECT_DIR / "translations"),
    )
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # as `make translations` extracts them
    # Flask-Babel's template callables find the catalog through the app context for every word,
    # and a page has twenty or more: the page's catalog is found once per request instead.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _catalog().ugettext(s),
        ngettext=lambda s, p, n: _catalog().ungettext(s, p, n),
        pgettext=lambda c, s: _catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalog().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.register_blueprint(bp)
    app.context_processor(_switch)
    # The bank's words in the page's language, for pages with no check in progress (the
    # person's own use); pages of a check give their own mode's `t` (check.render).
    app.jinja_env.globals.update(t=_page_words, paragraphs=_page_paragraphs)
    app.jinja_env.filters["count"] = count


def _catalog():
    """This request's catalog of the interface's words (Flask-Babel's, for the page's language)."""
    catalog = g.get("page_catalog")
    if catalog is None:
        catalog = g.page_catalog = get_translations()
    return catalog


def count(number: int) -> str:
    """A whole number as people in the deployer's region write it in the page's language
    ("1,285" in the US, in English and Spanish alike), else as the language does ("1.285")."""
    base = language().replace("-", "_")
    territory = content().region.territory
    try:
        locale = Locale.parse(f"{base}_{territory}" if territory else base)
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse(base)
    return format_decimal(number, locale=locale)


def page_wording() -> Wording:
    return content().wording(content().bank.mode_of({}), language())


def _page_words(text: Text | None) -> str:
    return page_wording()(text)


def _page_paragraphs(text: Text | None) -> list[str]:
    return page_wording().paragraphs(text)


def languages() -> tuple[str, ...]:
    """The languages offered: those the bank is written in, its default first."""
    return content().bank.all_languages


def language() -> str:
    """The language of this response: the person's choice, else their browser's best match
    (worked out once per request: every `t(...)` on a page asks)."""
    if "page_language" not in g:
        offered = languages()
        chosen = session.get(SESSION_KEY)
        if chosen in offered:
            g.page_language = chosen
        else:
            g.page_language = _best_match(request.headers.get("Accept-Language", ""), offered)
    return g.page_language


@functools.lru_cache(maxsize=256)
def _best_match(accept_language: str, offered: tuple[str, ...]) -> str:
    """The offered language a browser's Accept-Language likes best, else the bank's own (a
    browser sends the same header on every request: it is read once)."""
    return parse_accept_header(accept_language, LanguageAccept).best_match(offered) or offered[0]


@functools.lru_cache(maxsize=64)
def _locale(code: str) -> Locale:
    """A language's Babel locale, made once (Flask-Babel would parse the code, and look for its
    data on disk, on every request)."""
    return Locale.parse(code.replace("-", "_"))


@functools.lru_cache(maxsize=64)
def _display_name(code: str, in_language: str) -> str:
    """A language's name, written in a language, with a capital: "Spanish", "Español"."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(in_language.replace("-", "_"))
    except (ValueError, LookupError):
        return code
    name = name or code
    return name[:1].upper() + name[1:]


def language_name(code: str) -> str:
    """A language's name in the page's language ("Spanish" on an English page)."""
    return _display_name(code, language())


def native_name(code: str) -> str:
    """A language's name in itself: "English", "Español"."""
    return _display_name(code, code)


@bp.get("/language/<code>")
def choose(code: str):
    """Keep the chosen language for the visit and go back to the page it was chosen on."""
    if code in languages():
        session[SESSION_KEY] = code
    return redirect(_safe_return(request.args.get("next", "")), code=303)


def _safe_return(target: str) -> str:
    """A page of this site that can be shown again: a path (with its query) that a GET here
    answers; anything else, the start page."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or "\\" in target:
        return "/"
    try:
        current_app.url_map.bind("", url_scheme="http").match(parts.path, method="GET")
    except RequestRedirect:
        pass  # the page exists, at an address Werkzeug would tidy
    except HTTPException:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def this_page() -> str:
    """Where a language switch on this page leads back to: the page itself when a GET shows it
    (a form that was posted: shown again empty), else the start page."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    return same_page() if holds_form() else "/"


def _switch() -> dict:
    """What every page is given: its language and the others to switch to."""
    here = language()
    return {
        "language": here,
        "other_languages": [(code, native_name(code)) for code in languages() if code != here],
        "this_page": this_page,
        "native_name": native_name,
        "language_name": language_name,
    }
