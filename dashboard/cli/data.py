"""Database, demo data, imports and figures from the command line."""

from __future__ import annotations

import json
import sys

import click

from dashboard import strings
from dashboard.cli import engine_from_env, main


@main.group()
def db():
    """Schema management (Alembic)."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision):
    """Upgrade the schema to REVISION (default: head)."""
    from dashboard.domain import rollups
    from dashboard.store import db as dbmod

    engine = engine_from_env()
    dbmod.upgrade(engine, revision)
    if revision == "head" and rollups.ensure(engine):
        click.echo("rollups built")
    click.echo(f"schema at {revision}")


@db.command("rebuild-rollups")
def db_rebuild_rollups():
    """Build every rollup again from the events (every write keeps them; this is for a
    database written to by something else)."""
    import time

    from dashboard.domain import rollups

    t0 = time.perf_counter()
    with engine_from_env().begin() as conn:
        rollups.rebuild(conn)
    click.echo(f"rollups rebuilt in {time.perf_counter() - t0:.1f} s")


@db.command("current")
def db_current():
    """Show the schema revision of the database."""
    from alembic.runtime.migration import MigrationContext

    with engine_from_env().connect() as conn:
        click.echo(MigrationContext.configure(conn).get_current_revision() or "(empty)")


@main.command()
@click.option("--profile", type=click.Choice(["nanling", "city"]), default="nanling", show_default=True)
@click.option("--seed", "seed_", type=int, default=7, show_default=True, help="Random seed: same seed, same data.")
@click.option("--as-of", default=None, help="End of the generated history (ISO; naive = Asia/Shanghai). Default: now.")
@click.option("--scale", type=float, default=1.0, show_default=True, help="Fraction of the city profile's size.")
@click.option("--reset", is_flag=True, help="Wipe the database first (it must be empty otherwise).")
def seed(profile, seed_, as_of, scale, reset):
    """Fill the database with a demo county (nanling) or a Zhengzhou-scale city (city)."""
    import time

    from dashboard import demo
    from dashboard.timeutil import parse_time

    engine = engine_from_env()
    bars = {}

    def progress(stage, done, total):
        if stage == "done":
            for b in bars.values():
                b.render_finish()
            return
        if stage not in bars:
            labels = strings.DEMO_SEED_STEPS
            bars[stage] = click.progressbar(length=total, label=labels.get(stage, stage), file=sys.stderr)
            bars[stage].__enter__()
        b = bars[stage]
        b.update(done - b.pos)

    t0 = time.perf_counter()
    try:
        counts = demo.seed(engine, profile, seed_, parse_time(as_of) if as_of else None, reset=reset, scale=scale,
                           progress=progress)
    except demo.SeedError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"seeded {profile} in {time.perf_counter() - t0:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


@main.group("import")
def import_():
    """Import a county's own catalogue, map and events (all-or-nothing, idempotent)."""


def _run_import(fn, path):
    from dashboard.ingest import ImportFailed

    try:
        report = fn(engine_from_env(), path)
    except ImportFailed as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(str(report))


@import_.command("departments")
@click.argument("path", type=click.Path(dir_okay=False))
def import_departments(path):
    """CSV with columns code, name, level (county_department, town, community, grid)."""
    from dashboard.ingest.catalog import import_departments as fn

    _run_import(fn, path)


@import_.command("categories")
@click.argument("path", type=click.Path(dir_okay=False))
def import_categories(path):
    """CSV with columns code, name, parent_code, time_limit_hours, default_handler_code."""
    from dashboard.ingest.catalog import import_categories as fn

    _run_import(fn, path)


@import_.command("areas")
@click.argument("path", type=click.Path(dir_okay=False))
def import_areas(path):
    """GeoJSON FeatureCollection with code, name, level, parent_code (and figures for grids)."""
    from dashboard.ingest.areas import import_areas as fn

    _run_import(fn, path)


@import_.command("events")
@click.argument("path", type=click.Path(dir_okay=False))
def import_events(path):
    """CSV or XLSX, one row per event (see the README for the columns)."""
    from dashboard.ingest.events import import_events as fn

    _run_import(fn, path)


@main.command()
@click.option("--start", default=None, help="Window start (ISO; naive = Asia/Shanghai).")
@click.option("--end", default=None, help="Window end, the as-of (default now).")
@click.option("--area", default=None, help="Area code (default: the county).")
@click.option("--department", default=None, help="Handler code instead of an area.")
def summary(start, end, area, department):
    """Print the indicators as JSON (the same figures as GET /api/v1/summary)."""
    from dashboard.domain import areas
    from dashboard.figures import metrics
    from dashboard.domain import windows
    from dashboard.timeutil import now_utc

    engine = engine_from_env()
    try:
        window = windows.parse_window(start, end, now_utc())
    except windows.WindowError as exc:
        raise click.ClickException(str(exc)) from None
    if department:
        scope = metrics.Scope(department=department)
    else:
        info = areas.get(engine, area) if area else areas.root(engine)
        if info is None:
            raise click.ClickException(strings.UNKNOWN_AREA.format(code=area))
        scope = metrics.Scope(area=info.code)
    click.echo(json.dumps(metrics.summary(engine, window, scope), ensure_ascii=False, indent=2))
