"""Error pages in plain words for every error a person can meet; never a traceback."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from flask import Flask, flash, redirect, render_template, request, url_for
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from .security import BadHost

log = logging.getLogger(__name__)

# status -> (title, what happened and what to do), in the page's language when shown
MESSAGES = {
    400: (
        _l("Something was wrong with what was sent"),
        _l(
            "The page sent something we could not use, so nothing was changed. Your answers so "
            "far are safe. Go back to the question and choose one of the answers shown."
        ),
    ),
    403: (
        _l("You cannot see this page"),
        _l(
            "This page is not open to you. If you think it should be, contact the service that "
            "runs this site."
        ),
    ),
    404: (_l("Page not found"), _l("If you typed the web address, check it is correct.")),
    405: (
        _l("That did not work"),
        _l("This page cannot be used that way. Go back and try again."),
    ),
    413: (
        _l("Too much was sent"),
        _l(
            "The page sent more than a question needs, so nothing was changed. Go back and try "
            "again."
        ),
    ),
    415: (
        _l("Something was wrong with what was sent"),
        _l(
            "The page sent its answers in a form this service does not accept, so nothing was "
            "changed. Your answers so far are safe. Go back and try again."
        ),
    ),
    429: (
        _l("Too many tries"),
        _l(
            "For everyone's safety there is a limit on how often this can be done. Nothing was "
            "changed. Please wait a few minutes and try again."
        ),
    ),
    500: (
        _l("Sorry, there is a problem with the service"),
        _l("Nothing you have answered has been stored. Please try again in a few minutes."),
    ),
}
CSRF_AGAIN = _l(
    "This page had been open for a long time, so for your security your last choice was not "
    "saved. Your earlier answers are safe: please choose again."
)
CSRF_MESSAGE = (
    _l("The page was open for a long time"),
    _l(
        "For your security, forms stop working after a while. Your earlier answers are safe: go "
        "back to the page, choose your answer again and continue."
    ),
)


def init_app(app: Flask) -> None:
    app.register_error_handler(BadHost, _bad_host)
    app.register_error_handler(SecurityError, _bad_host)  # Flask's TRUSTED_HOSTS refused it
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def holds_form() -> bool:
    """Whether this address is a page with a form that posts to itself, so a person can be sent
    back to it after a refused post (its rule takes GET and POST); the others take only posts,
    or only show something."""
    rule = request.url_rule
    return rule is not None and {"GET", "POST"} <= (rule.methods or set())


def _bad_host(_error: HTTPException):
    """A page that stands alone: no address can be built for a Host this site does not serve."""
    return render_template("errors/bad_host.html"), 400


def _page(status: int, title: object, message: object):
    if request_ctx.url_adapter is None:  # Werkzeug could not even bind the Host to the routes
        return _bad_host(BadHost())
    back = same_page() if holds_form() else None
    # Lazy strings made plain text here, so the page escapes them like any other text.
    title, message = str(title), str(message)
    return render_template(
        "errors/error.html", status=status, title=title, message=message, back=back
    ), status


def _csrf_error(error: CSRFError):
    """A form that expired while the person was away is shown again; their answers are kept."""
    if holds_form():
        flash(str(CSRF_AGAIN))
        return redirect(same_page(), code=303)
    return _page(400, *CSRF_MESSAGE)


def same_page() -> str:
    """The page that was posted to, rebuilt from its route (never echoing the raw address)."""
    changing = {"change": 1} if "change" in request.args else {}
    return url_for(request.endpoint, **(request.view_args or {}), **changing)


def _http_error(error: HTTPException):
    status = error.code or 500
    title, message = MESSAGES.get(status, (error.name, _("Go back and try again.")))
    return _page(status, title, message)


def _unexpected(error: Exception):
    # Where it failed, but not the exception's message, which could quote what was sent.
    frames = traceback.extract_tb(error.__traceback__)
    at = " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames))
    rule = request.url_rule.rule if request.url_rule else "(no route)"  # never the path itself
    log.error("Unhandled %s on %s %s at %s", type(error).__name__, request.method, rule, at)
    return _http_error(InternalServerError())
