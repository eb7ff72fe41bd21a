"""Headers on every response (flask-talisman's security headers, and no-store), what a post may
carry, and trusted proxies (ProxyFix)."""

from __future__ import annotations

import re

from flask import Flask, Response, abort, request
from flask_talisman import Talisman
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix

# Everything comes from this site; nothing inline, nothing framed, forms post only here.
CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "connect-src": "'self'",  # idle.js asks this site to keep the answers
    "form-action": "'self'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
}
# Browser features no page here uses, all off (Permissions-Policy).
FEATURES_OFF = (
    "accelerometer",
    "ambient-light-sensor",
    "autoplay",
    "battery",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "document-domain",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "identity-credentials-get",
    "idle-detection",
    "interest-cohort",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "otp-credentials",
    "payment",
    "picture-in-picture",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "storage-access",
    "usb",
    "web-share",
    "window-management",
    "xr-spatial-tracking",
)
# Set on every response, beside Talisman's: no window or page of another site shares ours.
CROSS_ORIGIN = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# A host name (labels of 1-63 letters, digits and inner hyphens), an IPv4 or a bracketed IPv6
# address, then an optional port: anything else in Host (or X-Forwarded-Host) is refused.
_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
HOST = re.compile(rf"(?:{_LABEL}(?:\.{_LABEL})*\.?|\[[0-9A-Fa-f:.]{{2,45}}\])(?::[0-9]{{1,5}})?")
talisman = Talisman()


class BadHost(BadRequest):
    """A Host this site does not serve: malformed, too long, or not in SCREENING_TRUSTED_HOSTS."""


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
        permissions_policy=", ".join(f"{feature}=()" for feature in FEATURES_OFF),  # joined once
    )
    app.before_request(well_formed_host)
    app.before_request(only_form_posts)  # registered before CSRF, so it sees bodies first
    app.after_request(more_headers)
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        # Address and scheme from the proxy; its Host and Prefix only when the deployer says so.
        host = proxies if app.config["PROXY_SETS_HOST"] else 0
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=host, x_prefix=host
        )


def well_formed_host() -> None:
    """Refuse a Host that is malformed or too long (Flask's TRUSTED_HOSTS, when set, has already
    refused one it does not list: reading request.host raises)."""
    try:
        host = request.host
    except BadRequest:
        raise BadHost() from None
    if len(host) > 260 or not HOST.fullmatch(host):
        raise BadHost()


def more_headers(response: Response) -> Response:
    """Keep every page out of caches (pages here show, or lead to, a person's answers), and
    every response to this site's own windows."""
    if request.endpoint != "static" or response.status_code >= 400:  # error pages too
        response.headers["Cache-Control"] = "no-store"
    response.headers.update(CROSS_ORIGIN)
    return response


def only_form_posts() -> None:
    """Refuse bodies no page here sends: every form posts urlencoded fields, never files or JSON."""
    if (
        request.method == "POST"
        and request.content_length
        and (request.mimetype != "application/x-www-form-urlencoded")
    ):
        abort(415)
