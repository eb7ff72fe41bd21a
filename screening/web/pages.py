"""The pages around the check: keeping or clearing the answers, the quick exit, the privacy page,
and the icon and robots.txt. They are on the check's blueprint, as the plan's pages are."""

from __future__ import annotations

import functools
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from . import drafts
from .check import bp, with_draft


@bp.post("/still-here")
@with_draft()
def still_here(draft: drafts.Draft):
    """The person chose to keep going when warned that their answers would soon be cleared:
    write the cookie afresh, and say how long it now lasts (idle.js)."""
    drafts.keep(draft)
    return {"seconds": current_app.config["DRAFT_MINUTES"] * 60}


@bp.post("/clear")
def clear():
    """Forget the answers in this browser and go back to the start."""
    drafts.clear()
    flash(_("Your answers have been cleared."))
    return redirect(url_for(".start"))


@bp.get("/exit")
def quick_exit():
    """Leave at once: forget the answers, ask the browser to clear site data, go elsewhere."""
    drafts.clear()
    session.clear()
    response = redirect(current_app.config["QUICK_EXIT_URL"], code=303)
    response.headers["Clear-Site-Data"] = '"cookies", "storage"'
    return response


@bp.get("/favicon.ico")
def favicon():
    """The site's icon where browsers look for it, so no page's visit logs a 404."""
    return _site_file("favicon.ico", "image/vnd.microsoft.icon")


@bp.get("/robots.txt")
def robots():
    """Search engines may list the check; not the clinicians' pages or referral links."""
    return _site_file("robots.txt", "text/plain")


def _site_file(name: str, mimetype: str):
    """A small file from static/, sent from memory (no open file to leave behind when a browser
    drops the request, as it often does for the icon), with an ETag for revisits."""
    response = current_app.response_class(_static_bytes(name), mimetype=mimetype)
    response.add_etag()
    return response.make_conditional(request)


@functools.cache
def _static_bytes(name: str) -> bytes:
    return (Path(current_app.static_folder or "static") / name).read_bytes()


@bp.get("/privacy")
def privacy():
    """Say in plain words what is kept, where and for how long."""
    return render_template("check/privacy.html")
