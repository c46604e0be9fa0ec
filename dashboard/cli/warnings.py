"""``gridscreen warnings ...``: issue, lift and list manual warnings; evaluate and run the engine."""

from __future__ import annotations

import json

import click

from dashboard import strings
from dashboard.cli import engine_from_env, main


def _settings():
    from dashboard.settings import Settings

    return Settings.from_env()


def _rules(settings):
    from dashboard.warnings import RulesError, rules_for

    try:
        return rules_for(settings)
    except RulesError as exc:
        raise click.ClickException(str(exc)) from None


def _now(settings):
    from dashboard.timeutil import now_utc

    return settings.frozen_now or now_utc()


def _refresh(engine, settings, at):
    """Re-evaluate right away so a manual change shows on the screens at once."""
    from dashboard.warnings import run_once

    res = run_once(engine, _rules(settings), at)
    if res.stored:
        click.echo(strings.WARNINGS_CLI["refreshed"].format(counts=_counts(res.counts)))


def _counts(c) -> str:
    return strings.WARNING_COUNTS.format(n1=c[1], n2=c[2], n3=c[3], n4=c[4], n0=c[0])


def _fail(exc):
    raise click.ClickException(strings.CLAUSE_SEP.join(f"{k}: {v}" for k, v in exc.fields.items())) from None


@main.group()
def warnings():
    """Four-level warnings (四级预警): manual warnings and the engine."""


@warnings.command("issue")
@click.option("--scope", required=True, help="Area code: the county, a town, a community or a grid.")
@click.option("--level", required=True, type=int, help="1 red (Ⅰ), 2 orange (Ⅱ), 3 yellow (Ⅲ), 4 blue (Ⅳ).")
@click.option("--reason", required=True, help="Why (in words, shown with the level).")
@click.option("--until", default=None, help="Expiry (ISO; naive = Asia/Shanghai; a bare date = end of that day). "
                                            "Default: until lifted.")
@click.option("--by", "issued_by", default=strings.WARNING_DEFAULT_ISSUER, show_default=True, help="Who issues it.")
def issue_cmd(scope, level, reason, until, issued_by):
    """Issue a manual warning: a floor for every grid in SCOPE while it lasts."""
    from dashboard.warnings import ManualWarningError, issue, parse_until

    settings = _settings()
    engine = engine_from_env()
    now = _now(settings)
    try:
        w = issue(engine, scope=scope, level=level, reason=reason, until=parse_until(until), issued_by=issued_by, at=now)
    except ManualWarningError as exc:
        _fail(exc)
    from dashboard.store import audit  # every warning issued is in the audit log

    audit.record(engine, action="warning.issue", actor=issued_by, actor_kind="cli", target=f"warning:{w.id}",
                 detail={"scope": w.scope_code, "level": w.level})
    click.echo(strings.MANUAL_ISSUED.format(level=strings.WARNING_LEVEL_LABELS[w.level], id=w.id, scope=w.scope_code))
    _refresh(engine, settings, now)


@warnings.command("lift")
@click.argument("warning_id", type=int)
def lift_cmd(warning_id):
    """Lift manual warning WARNING_ID now (before its expiry)."""
    from dashboard.warnings import ManualWarningError, lift

    settings = _settings()
    engine = engine_from_env()
    now = _now(settings)
    try:
        lifted = lift(engine, warning_id, now)
    except ManualWarningError as exc:
        _fail(exc)
    from dashboard.store import audit

    audit.record(engine, action="warning.lift", actor=strings.CLI_ACTOR, actor_kind="cli", target=f"warning:{warning_id}",
                 detail={"scope": getattr(lifted, "scope_code", None)})
    click.echo(strings.MANUAL_LIFTED.format(id=warning_id))
    _refresh(engine, settings, now)


@warnings.command("list")
@click.option("--scope", default=None, help="Only warnings concerning this area.")
@click.option("--level", type=click.IntRange(1, 4), multiple=True, help="Only these levels (repeatable).")
@click.option("--kind", type=click.Choice(["manual", "computed"]), default=None)
@click.option("--status", type=click.Choice(["active", "ended", "all"]), default="active", show_default=True)
@click.option("--limit", type=int, default=100, show_default=True)
def list_cmd(scope, level, kind, status, limit):
    """List warnings, newest first."""
    from dashboard.timeutil import fmt_local
    from dashboard.warnings import list_warnings

    settings = _settings()
    df = list_warnings(engine_from_env(), _now(settings), area=scope, levels=tuple(level) or None, kind=kind,
                       status=status, limit=limit)
    if df.empty:
        click.echo(strings.WARNINGS_NO_RECORDS)
        return
    for r in df.itertuples():
        until = fmt_local(r.lifted_at) if r.status == "lifted" else (fmt_local(r.expires_at) if r.expires_at is not None
                                                                      and str(r.expires_at) != "NaT" else "—")
        click.echo(f"#{r.id}\t{strings.WARNING_LEVEL_LABELS[r.level]}\t{strings.WARNING_KIND_LABELS[r.kind]}\t"
                   f"{r.scope_name}({r.scope_code})\t{fmt_local(r.issued_at)} → {until}\t"
                   f"{strings.WARNING_STATUS_LABELS[r.status]}\t{r.issued_by}\t{strings.CLAUSE_SEP.join(r.reasons)}")


@warnings.command("evaluate")
@click.option("--as-of", "as_of", default=None, help="Moment to evaluate (ISO; naive = Asia/Shanghai). Default: now.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def evaluate_cmd(as_of, as_json):
    """Evaluate every grid as of a moment and print the levels and reasons (stores nothing)."""
    import time

    from dashboard.timeutil import parse_time
    from dashboard.warnings import evaluate

    settings = _settings()
    try:
        t = parse_time(as_of) if as_of else _now(settings)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    t0 = time.perf_counter()
    ev = evaluate(engine_from_env(), _rules(settings), t)
    seconds = time.perf_counter() - t0
    hot = ev.grids[ev.grids["level"] > 0].sort_values("level")
    if as_json:
        click.echo(json.dumps({"as_of": t.isoformat(), "seconds": round(seconds, 3), "counts": ev.counts(),
                               "grids": [{"code": c, "level": int(lv), "reasons": ev.reasons(c)}
                                         for c, lv in hot["level"].items()]}, ensure_ascii=False, indent=2))
        return
    click.echo(strings.WARNINGS_CLI["evaluated"].format(grids=len(ev.grids), ms=seconds * 1000,
                                                         counts=_counts(ev.counts())))
    for code, lv in hot["level"].items():
        reasons = strings.CLAUSE_SEP.join(r["text"] for r in ev.reasons(code))
        click.echo(f"{code}\t{strings.WARNING_LEVEL_LABELS[int(lv)]}\t{reasons}")


@warnings.command("run")
@click.option("--every", type=float, default=None, help="Keep running: look every SECONDS (default: run once).")
@click.option("--tick", type=float, default=None, help="Re-evaluate at least this often even when no event changed "
                                                       "(seconds; default: --every).")
def run_cmd(every, tick):
    """Re-evaluate every grid now and store what changed (levels, history); with --every, loop."""
    from dashboard.warnings import run_forever, run_once

    settings = _settings()
    engine = engine_from_env()
    rules = _rules(settings)

    def report(res):
        if res.stored:
            click.echo(strings.WARNINGS_CLI["stored"].format(at=res.as_of.isoformat(), changed=res.changed_grids,
                                                             rows=res.history_rows, counts=_counts(res.counts)))
        else:
            click.echo(f"{res.as_of.isoformat()} skipped ({res.skipped_reason})")

    if every is None:
        report(run_once(engine, rules, _now(settings)))
        return
    if every <= 0:
        raise click.BadParameter("must be > 0", param_hint="--every")
    try:
        run_forever(engine, rules, every, clock=lambda: _now(settings), on_result=report, tick_seconds=tick)
    except KeyboardInterrupt:
        pass
