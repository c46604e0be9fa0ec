"""``gridscreen token create|permit|revoke|list``: API tokens for the systems that write through the API."""

from __future__ import annotations

import click

from dashboard import strings
from dashboard.cli import engine_from_env, main

T = strings.TOKEN_CLI
_SUPERVISE = strings.API_PERMISSION_LABELS["supervise"]
MAY_HELP = (f"What the token may write, comma-separated or repeated: report, transition, supervise ({_SUPERVISE}), "
            f"heartbeat. Default: report,transition,heartbeat ({_SUPERVISE} only when given).")


def _permissions(may: tuple[str, ...]):
    from dashboard import vocabulary

    if not may:
        return vocabulary.API_DEFAULT_PERMISSIONS
    return [p for item in may for p in item.split(",")]


def _described(info) -> str:
    from dashboard import vocabulary

    names = [strings.WITH_NOTE.format(text=p, note=strings.API_PERMISSION_LABELS[p])
             for p in vocabulary.API_PERMISSIONS if info.may(p)]
    return strings.LIST_SEP.join(names) or T["nothing"]


@main.group()
def token():
    """API tokens (writes through the REST API need one)."""


@token.command("create")
@click.argument("name")
@click.option("--area", "--town", "area", default=None,
              help="Limit the token to one area's data, a town's code today (reads and writes).")
@click.option("--may", "may", multiple=True, help=MAY_HELP)
def token_create(name, area, may):
    """Create a token for client NAME (e.g. "网格通App"). The token is shown once: keep it."""
    from dashboard.web import apiclients
    from dashboard.store import db

    engine = engine_from_env()
    db.upgrade(engine)
    try:
        info, secret = apiclients.create(engine, name, area=area, permissions=_permissions(may))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(T["created"].format(id=info.id, name=info.name, may=_described(info)), err=True)
    click.echo(secret)


@token.command("permit")
@click.argument("name", required=False)
@click.option("--id", "client_id", type=int, default=None, help="One token by its id (see `token list`).")
@click.option("--may", "may", multiple=True, required=True, help=MAY_HELP.split(" Default")[0])
def token_permit(name, client_id, may):
    """Set exactly what the active tokens of client NAME (or one token with --id) may write."""
    from dashboard.web import apiclients

    if (name is None) == (client_id is None):
        raise click.UsageError("give a client NAME or --id")
    try:
        changed = apiclients.set_permissions(engine_from_env(), _permissions(may), name=name, client_id=client_id)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if not changed:
        raise click.ClickException(T["none_active"].format(which=name if name is not None else f"#{client_id}"))
    for info in changed:
        click.echo(T["permitted"].format(id=info.id, name=info.name, may=_described(info)))


@token.command("revoke")
@click.argument("name", required=False)
@click.option("--id", "client_id", type=int, default=None, help="Revoke one token by its id (see `token list`).")
def token_revoke(name, client_id):
    """Revoke every active token of client NAME (or one token with --id)."""
    from dashboard.web import apiclients

    if (name is None) == (client_id is None):
        raise click.UsageError("give a client NAME or --id")
    revoked = apiclients.revoke(engine_from_env(), name=name, client_id=client_id)
    if not revoked:
        raise click.ClickException(T["none_to_revoke"].format(which=name if name is not None else f"#{client_id}"))
    for info in revoked:
        click.echo(T["revoked"].format(id=info.id, name=info.name, prefix=info.token_prefix))


@token.command("list")
def token_list():
    """List tokens: id, client, prefix, created, last used, status, what each may write (never the tokens)."""
    from dashboard.web import apiclients
    from dashboard.timeutil import fmt_local

    rows = apiclients.list_clients(engine_from_env())
    if not rows:
        click.echo(T["none"])
        return
    c = strings.TOKEN_LIST_COLUMNS
    click.echo(f"{'id':>4}  {c['client']:<16} {c['prefix']:<12} {c['created']:<16} {c['last_used']:<16} {c['status']}")
    for r in rows:
        status = T["active"] if r.active else T["revoked_at"].format(when=fmt_local(r.revoked_at))
        if r.area_code:
            status += T["town"].format(town=r.area_code)
        click.echo(f"{r.id:>4}  {r.name:<16} {r.token_prefix + '…':<12} {fmt_local(r.created_at):<16} "
                   f"{fmt_local(r.last_used_at) or '—':<16} {status}  {T['may'].format(may=_described(r))}")
