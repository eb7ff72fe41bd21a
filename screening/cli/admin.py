"""Flask commands for deployers: clinician accounts (there is no sign-up page) and purging.

Run them as `flask --app screening clinician add|list|disable|enable|reset-password|reset-2fa`
and `flask --app screening purge`; they use the app's settings, so the same database.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlite_utils import Database

from ..core.passwords import PASSWORD_MIN
from ..core.totp import shown_code
from ..storage import counts as tallies
from ..storage import twofactor
from ..storage.connection import DatabaseError, backup, connect
from ..storage.records import (
    RecordError,
    add_clinician,
    list_clinicians,
    set_password,
    update_clinician,
)
from ..storage.shares import purge


def init_app(app: Flask) -> None:
    """Register the deployer's commands with the app: `flask clinician|purge|backup|bank|stats`."""
    from .bank import bank_commands
    from .stats import stats_command

    commands = (clinician_commands, purge_command, backup_command, bank_commands, stats_command)
    for command in commands:
        app.cli.add_command(command)


@click.group("clinician", cls=AppGroup)
def clinician_commands() -> None:
    """Manage clinician accounts (there is no sign-up page)."""


@contextmanager
def _db() -> Iterator[Database]:
    """The database for one command, closed when it is done."""
    database = connect(current_app.config["DATABASE"])
    try:
        yield database
    finally:
        database.close()


def _password(generate: bool) -> tuple[str, bool]:
    if generate:
        return secrets.token_urlsafe(15), True
    return click.prompt(
        f"Password ({PASSWORD_MIN} characters or more)", hide_input=True, confirmation_prompt=True
    ), False


@clinician_commands.command("add")
@click.argument("email")
@click.option("--name", required=True, help="The name patients see, e.g. 'Dr Amira Shah'.")
@click.option(
    "--generate-password", is_flag=True, help="Print a random password instead of asking."
)
@click.option("--admin", is_flag=True, help="The deployer's role: also sees the site's statistics.")
def add_clinician_command(email: str, name: str, generate_password: bool, admin: bool) -> None:
    """Create an account. Example: flask --app screening clinician add a@b.org --name 'Dr A'"""
    password, show = _password(generate_password)
    method = current_app.config["PASSWORD_HASH"]
    try:
        with _db() as db:
            clinician = add_clinician(db, email, name, password, method, admin=admin)
            setup = twofactor.new_setup_code(db, clinician.id, method)
    except RecordError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Account created for {clinician.email}.")
    if show:
        click.echo(f"Password (shown once): {password}")
    _echo_setup_code(setup)


def _echo_setup_code(code: str) -> None:
    click.echo(
        f"Set-up code for two-factor sign-in (shown once, works for {twofactor.SETUP_DAYS} "
        f"days): {shown_code(code)}\nGive it to the clinician, apart from the password if you "
        "can: they type it once, after the password, to set up their authenticator app."
    )


@clinician_commands.command("list")
def list_clinicians_command() -> None:
    """List accounts. Example: flask --app screening clinician list"""
    with _db() as db:
        found = list_clinicians(db)
    for clinician in found:
        state = "active" if clinician.active else "disabled"
        second = "two-factor on" if clinician.totp_enrolled else "two-factor not set up"
        role = "\tadmin" if clinician.admin else ""
        click.echo(f"{clinician.email}\t{clinician.name}\t{state}\t{second}{role}")


@clinician_commands.command("disable")
@click.argument("email")
def disable_clinician_command(email: str) -> None:
    """Stop an account signing in; ends its sessions. Example: ... clinician disable a@b.org"""
    try:
        with _db() as db:
            update_clinician(db, email, active=0)
    except RecordError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"{email} is disabled and signed out everywhere.")


@clinician_commands.command("admin")
@click.argument("email")
@click.option("--off", is_flag=True, help="Take the role away.")
def admin_clinician_command(email: str, off: bool) -> None:
    """Give an account the deployer's role (the site's statistics), or take it away with --off;
    ends its sessions. Example: flask --app screening clinician admin a@b.org"""
    try:
        with _db() as db:
            update_clinician(db, email, admin=0 if off else 1)
    except RecordError as err:
        raise click.ClickException(str(err)) from None
    click.echo(
        f"{email} {'no longer has' if off else 'has'} the admin role; signed out everywhere."
    )


@clinician_commands.command("enable")
@click.argument("email")
def enable_clinician_command(email: str) -> None:
    """Let a disabled account sign in again. Example: ... clinician enable a@b.org"""
    try:
        with _db() as db:
            update_clinician(db, email, active=1)
    except RecordError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"{email} can sign in again.")


@clinician_commands.command("reset-password")
@click.argument("email")
@click.option(
    "--generate-password", is_flag=True, help="Print a random password instead of asking."
)
def reset_password_command(email: str, generate_password: bool) -> None:
    """Set a new password and end all sessions. Example: ... clinician reset-password a@b.org"""
    password, show = _password(generate_password)
    try:
        with _db() as db:
            set_password(db, email, password, current_app.config["PASSWORD_HASH"])
    except RecordError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"New password set for {email}; its sessions have ended.")
    if show:
        click.echo(f"Password (shown once): {password}")


@clinician_commands.command("reset-2fa")
@click.argument("email")
def reset_two_factor_command(email: str) -> None:
    """Forget an account's two-factor set-up and recovery codes (a lost phone), end its sessions
    and print a new set-up code for its next sign-in. Example: ... clinician reset-2fa a@b.org"""
    try:
        with _db() as db:
            _, setup = twofactor.reset(db, email, current_app.config["PASSWORD_HASH"])
    except RecordError as err:
        raise click.ClickException(str(err)) from None
    click.echo(
        f"Two-factor sign-in for {email} is reset and its sessions have ended. At the next "
        "sign-in, after the password, it is set up again with an authenticator app."
    )
    _echo_setup_code(setup)


@click.command("purge")
@with_appcontext
@click.option(
    "--days", type=int, default=None, help="Keep this many days (default: RETENTION_DAYS)."
)
def purge_command(days: int | None) -> None:
    """Delete shared results older than RETENTION_DAYS, and counts older than COUNTS_DAYS.
    Example: flask --app screening purge"""
    keep = days if days is not None else int(current_app.config["RETENTION_DAYS"])
    counted = int(current_app.config["COUNTS_DAYS"])
    with _db() as db:
        click.echo(f"Deleted {purge(db, keep)} shared results older than {keep} days.")
        gone = tallies.purge(db, counted)
        click.echo(f"Deleted {gone} daily counts older than {counted} days.")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(target: str) -> None:
    """Write a consistent, checked copy of the database. Example: ... backup copy.sqlite3"""
    try:
        counts = backup(current_app.config["DATABASE"], target)
    except (OSError, RuntimeError, *DatabaseError) as err:
        raise click.ClickException(str(err)) from None
    rows = ", ".join(f"{table} {n}" for table, n in sorted(counts.items()))
    click.echo(f"Backup written to {target} and checked (integrity ok): {rows}.")
