"""Every setting, declared once with its default and help; each is read from SCREENING_<NAME>."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

PREFIX = "SCREENING"
PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS = (
    Setting(
        "SECRET_KEY",
        None,
        "Signs and encrypts cookies. Required outside development; the same on every worker.",
    ),
    Setting("BANK", str(PROJECT_DIR / "questions.yaml"), "The question bank file."),
    Setting(
        "SITE",
        None,
        "Your deployment file: your service's details and region (instance/site.yaml).",
    ),
    Setting("DATABASE", None, "The SQLite database file (default: instance/screening.sqlite3)."),
    Setting("DRAFT_MINUTES", 30, "Answers in progress are cleared after this many idle minutes."),
    Setting("RETENTION_DAYS", 30, "Shared results are deleted by `purge` after this many days."),
    Setting(
        "RATELIMIT_ENABLED",
        True,
        "Rate limits on sign-in, sharing, withdrawing and making links. Keep them on.",
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        "memory://",
        "Where rate limits count: memory:// (per worker) or redis://host:6379 (shared).",
    ),
    Setting(
        "PASSWORD_HASH",
        "pbkdf2:sha256:600000",
        "How clinician passwords are hashed (werkzeug method string).",
    ),
    Setting("DEVELOPMENT", False, "Development mode: a generated secret, cookies over plain http."),
    Setting(
        "TRUSTED_PROXIES",
        0,
        "How many proxies (e.g. 1 for nginx) set X-Forwarded-For/-Proto/-Host/-Prefix in front.",
    ),
    Setting(
        "QUICK_EXIT_URL",
        "https://www.bbc.co.uk/weather",
        "The neutral site the 'Exit this page' button goes to.",
    ),
    Setting("HOST", "127.0.0.1", "Address `make run` and `make serve` listen on."),
    Setting("PORT", 5000, "Port `make run` and `make serve` listen on."),
)


def configure(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Apply defaults, then SCREENING_* environment variables, then `overrides` (tests)."""
    app.config.from_mapping({s.name: s.default for s in SETTINGS})
    app.config.from_prefixed_env(PREFIX)
    app.config.from_mapping(overrides or {})
    config = app.config
    instance = Path(app.instance_path)
    config["DATABASE"] = config["DATABASE"] or str(instance / "screening.sqlite3")
    if config["SITE"] is None and (instance / "site.yaml").exists():
        config["SITE"] = str(instance / "site.yaml")
    development = bool(config["DEVELOPMENT"] or config.get("TESTING"))
    config.update(
        SESSION_COOKIE_SECURE=not development,
        # __Host- cookies are Secure, host-only and for the whole site: not on plain http.
        SESSION_COOKIE_NAME="session" if development else "__Host-session",
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    if config["SECRET_KEY"] is not None:
        config["SECRET_KEY"] = str(config["SECRET_KEY"])  # from_prefixed_env parses digits as JSON
    if not config["SECRET_KEY"]:
        if not development:
            raise SystemExit(
                "SCREENING_SECRET_KEY is not set. Set it to a long random value, for example:\n"
                "  export SCREENING_SECRET_KEY=$(openssl rand -hex 32)"
            )
        config["SECRET_KEY"] = _development_secret(Path(app.instance_path))


def _development_secret(instance: Path) -> str:
    """Read, or create once, a random secret kept under instance/ for development."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()
