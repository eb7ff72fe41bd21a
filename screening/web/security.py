"""Headers on every response (flask-talisman's security headers, and no-store), what a post may
carry, and trusted proxies (ProxyFix)."""

from __future__ import annotations

from flask import Flask, Response, abort, request
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

# Everything comes from this site; nothing inline, nothing framed, forms post only here.
CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
}
talisman = Talisman()


def cookie_options(app: Flask) -> dict[str, object]:
    """The attributes of every cookie the app sets: the session's and the answers'."""
    return {"httponly": True, "secure": app.config["SESSION_COOKIE_SECURE"], "samesite": "Lax"}


def init_app(app: Flask) -> None:
    cookies = cookie_options(app)
    talisman.init_app(
        app,
        force_https=False,  # TLS ends at the proxy; development runs on plain http
        strict_transport_security=True,  # sent on HTTPS requests only
        strict_transport_security_max_age=365 * 24 * 3600,
        strict_transport_security_include_subdomains=True,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",  # Flask-WTF's HTTPS referrer check needs same-origin
        session_cookie_secure=cookies["secure"],
        session_cookie_http_only=cookies["httponly"],
        session_cookie_samesite=cookies["samesite"],
        x_content_type_options=True,
    )
    app.before_request(only_form_posts)  # registered before CSRF, so it sees bodies first
    app.after_request(no_store)
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies
        )


def no_store(response: Response) -> Response:
    """Keep every page out of caches: pages here show, or lead to, a person's answers."""
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def only_form_posts() -> None:
    """Refuse bodies no page here sends: every form posts urlencoded fields, never files or JSON."""
    if (
        request.method == "POST"
        and request.content_length
        and (request.mimetype != "application/x-www-form-urlencoded")
    ):
        abort(415)
