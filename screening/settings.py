"""Every setting, declared once with its default and help; each is read from SCREENING_<NAME>."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

PREFIX = "SCREENING"
MIN_SECRET_BYTES = 32  # outside development a shorter secret key stops start-up
PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str  # as the README's table gives it
    shown: str | None = None  # the default as the README gives it, when it is worked out

    def row(self) -> str:
        """This setting's row in the README's table of settings."""
        if self.shown is not None:
            default = self.shown
        elif isinstance(self.default, bool):
            default = f"`{str(self.default).lower()}`"
        else:
            default = f"`{self.default}`"
        return f"| `{PREFIX}_{self.name}` | {default} | {self.help} |"


SETTINGS = (
    Setting(
        "SECRET_KEY",
        None,
        "Signs and encrypts cookies. Required outside development; the same on every worker.",
        shown="generated in `instance/secret_key` in development",
    ),
    Setting(
        "BANK", str(PROJECT_DIR / "questions.yaml"), "The question bank file.", "`questions.yaml`"
    ),
    Setting(
        "SITE",
        None,
        "Your deployment file: your service's details and region (see below).",
        shown="`instance/site.yaml` if it exists",
    ),
    Setting(
        "DATABASE",
        None,
        "The SQLite database file, or a `postgresql://` URL for several app servers.",
        shown="`instance/screening.sqlite3`",
    ),
    Setting(
        "SERVERS",
        1,
        "How many app servers (machines) run this site. Above 1, the database must be PostgreSQL"
        " and the rate limits shared (`RATELIMIT_STORAGE_URI=redis://…`).",
    ),
    Setting(
        "DATABASE_POOL",
        4,
        "With PostgreSQL: connections each worker process keeps open, at most.",
    ),
    Setting(
        "ALLOW_OLD_SQLITE",
        False,
        "Start even with an SQLite older than 3.51.3 (safe only if one process writes).",
    ),
    Setting("DRAFT_MINUTES", 30, "Answers in progress are cleared after this many idle minutes."),
    Setting("RETENTION_DAYS", 30, "Shared results are deleted by `purge` after this many days."),
    Setting(
        "COUNTS_DAYS",
        730,
        "The anonymous daily counts are deleted by `purge` after this many days.",
    ),
    Setting(
        "RATELIMIT_ENABLED",
        True,
        "Rate limits on sign-in, sharing, withdrawing and making links. Keep them on.",
    ),
    Setting(
        "LINK_SHARES_PER_HOUR",
        30,
        "Results that can be shared through one referral link in an hour, from any address.",
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        "memory://",
        "Where rate limits count: per worker in memory, or shared (`redis://host:6379`).",
    ),
    Setting(
        "SESSION_HOURS",
        12,
        "A clinician is signed out this many hours after signing in, however active (and after"
        " 30 idle minutes).",
    ),
    Setting(
        "PASSWORD_HASH",
        "pbkdf2:sha256:600000",
        "How clinician passwords are hashed (a werkzeug method string).",
    ),
    Setting(
        "DEVELOPMENT",
        False,
        "Development mode: a generated secret, cookies over plain http. `make run` turns it on.",
    ),
    Setting(
        "TRUSTED_PROXIES",
        0,
        "How many proxies in front set `X-Forwarded-*` (1 behind one nginx); configures ProxyFix.",
    ),
    Setting(
        "PROXY_SETS_HOST",
        False,
        "Also trust the proxies' `X-Forwarded-Host` and `-Prefix` (only if your proxy sets both).",
    ),
    Setting(
        "TRUSTED_HOSTS",
        None,
        'The host names this site answers to, e.g. `["check.example.org"]`; others get a 400 page.',
        shown="any well-formed host",
    ),
    Setting(
        "QUICK_EXIT_URL",
        "https://www.bbc.co.uk/weather",
        'The neutral site the "Exit this page" button goes to.',
    ),
    Setting(
        "HOST",
        "127.0.0.1",
        "Address `make run` and `make serve` listen on (`make run HOST=0.0.0.0` works too).",
    ),
    Setting("PORT", 5000, "Port `make run` and `make serve` listen on."),
)
TABLE_HEAD = "| variable | default | what it does |\n| --- | --- | --- |"


def table() -> str:
    """The README's table of settings, made from SETTINGS: `python -m screening.settings`."""
    return "\n".join([TABLE_HEAD, *(s.row() for s in SETTINGS)])


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
    elif not development and len(config["SECRET_KEY"].encode()) < MIN_SECRET_BYTES:
        raise SystemExit(
            f"SCREENING_SECRET_KEY is too short: it needs at least {MIN_SECRET_BYTES} bytes (it "
            "signs sessions and encrypts answers). Make a new one, for example:\n"
            "  export SCREENING_SECRET_KEY=$(openssl rand -hex 32)"
        )


def _development_secret(instance: Path) -> str:
    """Read, or create once, a random secret kept under instance/ for development."""
    from .core.files import private_file, private_folder

    path = instance / "secret_key"
    private_folder(instance)
    if not path.exists() or not path.read_text().strip():
        private_file(path)
        path.write_text(secrets.token_hex(32))
    path.chmod(0o600)
    return path.read_text().strip()


if __name__ == "__main__":
    print(table())
