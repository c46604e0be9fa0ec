"""``gridscreen source add|list|remove|runs`` and ``gridscreen sync``: reading a county's platform."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dashboard.cli import engine_from_env, main


@main.group("source")
def source_group():
    """The county platforms' databases GridScreen reads (the connector)."""


def _audit(engine, action: str, name: str, detail: dict | None = None) -> None:
    from dashboard.store import audit
    from dashboard.web.access import SYSTEM

    audit.record(engine, action=action, actor=SYSTEM.name, actor_kind="cli", target=f"source:{name}", detail=detail)


@source_group.command("add")
@click.argument("name")
@click.option("--url", required=True, help="SQLAlchemy URL of the platform's database, or env:VARIABLE naming "
                                            "an environment variable that holds it (keeps the password out of "
                                            "GridScreen's database).")
@click.option("--mapping", "mapping_path", required=True, type=click.Path(dir_okay=False),
              help="The mapping file (TOML): a query per entity and the translation of codes and statuses.")
@click.option("--replace", is_flag=True, help="Give an existing source a new URL and mapping (watermarks kept).")
def source_add(name, url, mapping_path, replace):
    """Add a source NAME: its database and its mapping file (checked first, every mistake named)."""
    from dashboard.connector import mapping, runs
    from dashboard.connector.source import shown_url
    from dashboard.strings import SOURCE_CLI

    engine = engine_from_env()
    try:
        _, text = mapping.load(mapping_path)
        runs.add_source(engine, name, url, text, Path(mapping_path).name, replace=replace)
    except (mapping.MappingError, runs.SourceError) as exc:
        raise click.ClickException(str(exc)) from None
    _audit(engine, "source.add", name, {"url": shown_url(url), "mapping": Path(mapping_path).name, "replace": replace})
    click.echo(SOURCE_CLI["replaced" if replace else "added"].format(name=name, url=shown_url(url),
                                                                     mapping=Path(mapping_path).name))


@source_group.command("list")
def source_list():
    """Every source with its last run, the age of its data and whether it is late."""
    from dashboard import strings
    from dashboard.present import fmt
    from dashboard.connector import runs
    from dashboard.settings import Settings
    from dashboard.timeutil import now_utc

    engine = engine_from_env()
    rows = runs.health(engine, now_utc(), Settings.from_env().sync_late_seconds)
    if not rows:
        click.echo(strings.SOURCE_CLI["none"])
    for h in rows:
        line = strings.SOURCE_CLI["health"].format(
            name=h.name, url=h.url, last=fmt.when(h.last_started, "%Y-%m-%d %H:%M:%S"),
            status=strings.SYNC_STATUS_LABELS[h.last_status or "never"], read=h.rows_read, written=h.rows_written,
            refused=h.rows_refused,
            lag=strings.SOURCES_LAG_NEVER if h.lag_seconds is None else fmt.duration_seconds(h.lag_seconds))
        click.echo(line + (f"  {strings.SOURCES_LATE}" if h.late else "") + (f"\n    {h.last_error}" if h.last_error else ""))


@source_group.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask.")
def source_remove(name, yes):
    """Forget source NAME, its watermarks and its runs (the data it brought stays)."""
    from dashboard.connector import runs
    from dashboard.strings import SOURCE_CLI

    engine = engine_from_env()
    if not yes:
        click.confirm(SOURCE_CLI["confirm_remove"].format(name=name), abort=True)
    try:
        runs.remove_source(engine, name)
    except runs.SourceError as exc:
        raise click.ClickException(str(exc)) from None
    _audit(engine, "source.remove", name)
    click.echo(SOURCE_CLI["removed"].format(name=name))


@source_group.command("runs")
@click.argument("name")
@click.option("--limit", type=int, default=10, show_default=True)
def source_runs(name, limit):
    """The last runs of source NAME, and every row its last run refused."""
    from dashboard import strings
    from dashboard.present import fmt
    from dashboard.connector import runs

    engine = engine_from_env()
    try:
        src = runs.source(engine, name)
    except runs.SourceError as exc:
        raise click.ClickException(str(exc)) from None
    recent = runs.runs(engine, src.id, limit)
    for r in recent:
        took = fmt.duration_seconds((r.finished_at - r.started_at).total_seconds()) if r.finished_at else "—"
        click.echo(strings.SOURCE_CLI["run"].format(
            at=fmt.when(r.started_at, "%Y-%m-%d %H:%M:%S"), status=strings.SYNC_STATUS_LABELS[r.status],
            read=r.rows_read, written=r.rows_written, refused=r.rows_refused, took=took)
            + (f"\n    {r.error}" if r.error else ""))
    if recent:
        for x in runs.refusals(engine, recent[0].id, limit=None):
            click.echo(strings.SOURCE_CLI["refused"].format(entity=x["entity"], key=x["source_key"], reason=x["reason"]))


@main.command("sync")
@click.argument("name", required=False)
@click.option("--every", type=float, default=None, help="Keep running: sync every SECONDS (default: once).")
def sync_cmd(name, every):
    """Read what changed in source NAME (default: every source) since its last run. Exits 1 when
    a run failed (run once)."""
    from dashboard.connector import runner, runs
    from dashboard.strings import SOURCE_CLI

    engine = engine_from_env()
    names = [name] if name else None
    if name:
        try:
            runs.source(engine, name)
        except runs.SourceError as exc:
            raise click.ClickException(str(exc)) from None
    if every is None:
        reports = runner.sync_all(engine, names, _print_report)
        if not reports and not runs.sources(engine):
            click.echo(SOURCE_CLI["none"])
        if any(r.status != "ok" for r in reports):
            sys.exit(1)
        return
    if every <= 0:
        raise click.BadParameter("must be > 0", param_hint="--every")
    try:
        runner.run_forever(engine, every, names, on_report=_print_report)
    except KeyboardInterrupt:
        pass


def _print_report(report) -> None:
    from dashboard import strings
    from dashboard.present import fmt

    c = strings.SOURCE_CLI
    click.echo(c["report"].format(name=report.source, status=strings.SYNC_STATUS_LABELS[report.status], read=report.read,
                                  written=report.written, refused=report.refused,
                                  took=fmt.duration_seconds(report.seconds))
               + (f"\n  {report.error}" if report.error else ""))
    for x in report.refusals:
        click.echo(c["refused"].format(entity=x["entity"], key=x["source_key"], reason=x["reason"]))
    if report.refused > len(report.refusals):
        click.echo(c["more_refused"].format(n=report.refused - len(report.refusals), name=report.source))
