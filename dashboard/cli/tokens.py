"""``gridscreen token create|revoke|list``: API tokens for the systems that write through the API."""

from __future__ import annotations

import click

from . import engine_from_env, main


@main.group()
def token():
    """API tokens (writes through the REST API need one)."""


@token.command("create")
@click.argument("name")
@click.option("--town", default=None, help="Limit the token to one town's data (reads and writes).")
def token_create(name, town):
    """Create a token for client NAME (e.g. "网格通App"). The token is shown once: keep it."""
    from .. import apiclients, db

    engine = engine_from_env()
    db.upgrade(engine)
    try:
        info, secret = apiclients.create(engine, name, town=town)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已创建 API 令牌 #{info.id}（{info.name}）。令牌只显示这一次，请妥善保存：", err=True)
    click.echo(secret)


@token.command("revoke")
@click.argument("name", required=False)
@click.option("--id", "client_id", type=int, default=None, help="Revoke one token by its id (see `token list`).")
def token_revoke(name, client_id):
    """Revoke every active token of client NAME (or one token with --id)."""
    from .. import apiclients

    if (name is None) == (client_id is None):
        raise click.UsageError("give a client NAME or --id")
    revoked = apiclients.revoke(engine_from_env(), name=name, client_id=client_id)
    if not revoked:
        raise click.ClickException(f"没有可吊销的令牌：{name if name is not None else '#' + str(client_id)}")
    for info in revoked:
        click.echo(f"已吊销 #{info.id} {info.name}（{info.token_prefix}…）")


@token.command("list")
def token_list():
    """List tokens: id, client, prefix, created, last used, status (never the tokens themselves)."""
    from .. import apiclients
    from ..timeutil import fmt_local

    rows = apiclients.list_clients(engine_from_env())
    if not rows:
        click.echo("（没有 API 令牌）")
        return
    click.echo(f"{'id':>4}  {'客户端':<16} {'前缀':<12} {'创建':<16} {'最近使用':<16} 状态")
    for r in rows:
        status = "有效" if r.active else f"已吊销 {fmt_local(r.revoked_at)}"
        if r.town_code:
            status += f"（限 {r.town_code}）"
        click.echo(f"{r.id:>4}  {r.name:<16} {r.token_prefix + '…':<12} {fmt_local(r.created_at):<16} "
                   f"{fmt_local(r.last_used_at) or '—':<16} {status}")
