"""``gridscreen user add|passwd|disable|enable|revoke|list``: accounts for the web screens."""

from __future__ import annotations

import sys

import click

from dashboard import strings
from dashboard.cli import engine_from_env, main

U = strings.USER_CLI


def _engine():
    from dashboard.store import db

    engine = engine_from_env()
    db.upgrade(engine)
    return engine


def _password(given: str | None, stdin: bool) -> str:
    if given is not None:
        return given
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(U["password"], hide_input=True, confirmation_prompt=U["password_again"])


def _audit(engine, action: str, username: str, detail: dict | None = None) -> None:
    from dashboard.store import audit

    audit.record(engine, action=action, actor=strings.CLI_ACTOR, actor_kind="cli", target=f"user:{username}", detail=detail)


def _act(engine, action: str, username: str, change):
    """Run one account change, refuse a bad one with its reason, and audit a done one."""
    from dashboard.web import accounts

    try:
        result = change()
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    _audit(engine, action, username)
    return result


@main.group()
def user():
    """Accounts: admin, leader, duty_officer, town_officer (with --area), display (wall screens)."""


@user.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["admin", "leader", "duty_officer", "town_officer", "display"]))
@click.option("--area", "--town", "area", default=None,
              help="The area the account is limited to: a town's code today (area officers; optional for a town's wall screen).")
@click.option("--name", "display_name", default=None, help="Name shown on the screens and in the records.")
@click.option("--password", default=None, help="The password (else asked for; or --password-stdin).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def user_add(username, role, area, display_name, password, password_stdin):
    """Create account USERNAME with ROLE."""
    from dashboard.web import accounts

    engine = _engine()
    try:
        info = accounts.add_user(engine, username, _password(password, password_stdin), role,
                                 display_name=display_name, area=area)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    _audit(engine, "user.add", info.username, {"role": info.role, "area": info.area_code})
    role = strings.USER_ROLE_LABELS[info.role]
    if info.area_code:
        role = strings.WITH_NOTE.format(text=role, note=info.area_code)
    click.echo(U["added"].format(username=info.username, role=role))


@user.command("passwd")
@click.argument("username")
@click.option("--password", default=None, help="The new password (else asked for; or --password-stdin).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def user_passwd(username, password, password_stdin):
    """Set a new password for USERNAME (its sessions end)."""
    from dashboard.web import accounts

    engine = _engine()
    new = _password(password, password_stdin)
    ended = _act(engine, "user.passwd", username, lambda: accounts.set_password(engine, username, new))
    click.echo(U["passwd"].format(username=username, n=ended))


@user.command("disable")
@click.argument("username")
def user_disable(username):
    """Disable USERNAME: it can no longer log in and its sessions end at once."""
    from dashboard.web import accounts

    engine = _engine()
    ended = _act(engine, "user.disable", username, lambda: accounts.set_active(engine, username, False))
    click.echo(U["disabled"].format(username=username, n=ended))


@user.command("enable")
@click.argument("username")
def user_enable(username):
    """Enable a disabled account again."""
    from dashboard.web import accounts

    engine = _engine()
    _act(engine, "user.enable", username, lambda: accounts.set_active(engine, username, True))
    click.echo(U["enabled"].format(username=username))


@user.command("revoke")
@click.argument("username")
def user_revoke(username):
    """End every session of USERNAME (e.g. a wall screen that was moved or lost); the account stays."""
    from dashboard.web import accounts

    engine = _engine()
    ended = _act(engine, "user.revoke", username, lambda: accounts.revoke_sessions(engine, username))
    click.echo(U["revoked"].format(username=username, n=ended))


@user.command("list")
def user_list():
    """List accounts: name, role, town, status, live sessions (never passwords)."""
    from dashboard.web import accounts
    from dashboard.timeutil import fmt_local

    engine = _engine()
    users = accounts.list_users(engine)
    if not users:
        click.echo(U["none"])
        return
    live: dict[str, int] = {}
    for sess in accounts.list_sessions(engine):
        live[sess.user.username] = live.get(sess.user.username, 0) + 1
    c = strings.USER_LIST_COLUMNS
    click.echo(f"{c['username']:<16} {c['name']:<12} {c['role']:<12} {c['town']:<10} {c['created']:<16} "
               f"{c['sessions']:>4} {c['status']}")
    for u in users:
        click.echo(f"{u.username:<16} {u.display_name:<12} {strings.USER_ROLE_LABELS[u.role]:<12} "
                   f"{u.area_code or U['whole_county']:<10} {fmt_local(u.created_at):<16} {live.get(u.username, 0):>4} "
                   f"{U['active'] if u.active else U['inactive']}")


@main.command("audit")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--action", default=None, help="e.g. login, export, warning.issue, supervise, api.write")
def audit_list(limit, action):
    """The newest entries of the audit log (who, when, what)."""
    from dashboard.store import audit
    from dashboard.timeutil import fmt_local

    for e in audit.recent(_engine(), limit=limit, action=action):
        detail = "" if not e.detail else " " + ", ".join(f"{k}={v}" for k, v in e.detail.items())
        click.echo(f"{fmt_local(e.at):<16} {e.actor_kind:<5} {e.actor:<16} {e.action:<14} {e.outcome:<6} "
                   f"{e.target or ''}{detail}")
