"""Ketamine use self-check: a Flask app driven by a YAML question bank."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, the bank and help content, extensions, then the pages."""
    # Imported here so that the pure core (bank, flow, scoring) can be used without Flask.
    from flask import Flask

    from .settings import PROJECT_DIR

    app = Flask(
        __name__,
        template_folder=str(PROJECT_DIR / "templates"),
        static_folder=str(PROJECT_DIR / "static"),
    )
    from . import settings
    from .cli import admin
    from .web import (
        check,
        clinician,
        content,
        drafts,
        errors,
        i18n,
        pages,  # noqa: F401  (its views join the check's blueprint on import)
        plan,
        security,
        sharing,
        store,
    )
    from .web.forms import csrf
    from .web.limits import limiter

    settings.configure(app, test_config)
    security.init_app(app)
    content.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    drafts.init_app(app)
    store.init_app(app)
    errors.init_app(app)
    app.register_blueprint(check.bp)  # with plan.py's pages after the result, and pages.py's
    app.jinja_env.globals["offers_plan"] = plan.offers_plan
    app.register_blueprint(sharing.bp)
    clinician.init_app(app)
    admin.init_app(app)  # the deployer's `flask` commands
    return app
