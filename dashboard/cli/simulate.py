"""``gridscreen simulate``: a live stream of reports, case moves and heartbeats for demos."""

from __future__ import annotations

import os

import click

from dashboard import strings
from dashboard.cli import main


@main.command()
@click.option("--rate", default="2/min", show_default=True,
              help="Mean new reports per minute over a working day (e.g. 2, 2/min, 120/h); the hour of day modulates it.")
@click.option("--speed", type=float, default=60.0, show_default=True,
              help="Cases move this many times faster than real ones (60: a day's work in 24 minutes).")
@click.option("--via", type=click.Choice(["db", "api"]), default="db", show_default=True,
              help="Write through lifecycle into DATABASE_URL, or through the REST API like any client.")
@click.option("--url", default=None, help="The dashboard's address for --via api (default http://GRIDSCREEN_HOST:PORT).")
@click.option("--token", default=None, help="API token for --via api (default GRIDSCREEN_API_TOKEN).")
@click.option("--duration", type=float, default=None, help="Stop after this many seconds (default: until Ctrl-C).")
@click.option("--seed", "seed_", type=int, default=None, help="Random seed (same seed, same stream of decisions).")
@click.option("--no-heartbeats", is_flag=True, help="Do not simulate the grid workers' app heartbeats.")
@click.option("--floor", type=click.FloatRange(0, 1), default=None,
              help="At any hour at least this share of the peak rate arrives, so the demo never goes quiet "
                   "(default 0.3; 0 = the county's rhythm exactly, quiet at night).")
def simulate(rate, speed, via, url, token, duration, seed_, no_heartbeats, floor):
    """Simulate a live county: new reports, cases moving through their life cycle, app heartbeats."""
    import logging

    from dashboard import simulate as sim
    from dashboard.settings import Settings

    try:
        per_minute = sim.parse_rate(rate)
    except ValueError:
        raise click.BadParameter(f"{rate!r}: give a number of reports per minute, e.g. 2 or 2/min or 120/h",
                                 param_hint="--rate") from None
    settings = Settings.from_env()
    if via == "db":
        from dashboard import startup

        engine = startup.prepare(settings)
        writer = sim.DbWriter(engine, now=_now)
        try:
            world = sim.world_from_db(engine)
        except sim.WorldError as exc:
            raise click.ClickException(str(exc)) from None
        where = settings.database_url.split("@")[-1]
    else:
        token = token or os.environ.get("GRIDSCREEN_API_TOKEN")
        if not token:
            raise click.UsageError("--via api needs --token (or GRIDSCREEN_API_TOKEN): gridscreen token create "
                                   + strings.SIMULATOR_CLIENT)
        url = url or f"http://{settings.host}:{settings.port}"
        writer = sim.ApiWriter(url, token)
        try:
            world = sim.world_from_catalog(writer.catalog())
        except Exception as exc:  # noqa: BLE001  (connection refused, 5xx, an empty county: say it plainly)
            raise click.ClickException(f"cannot read {url}/api/v1/catalog: {exc}") from None
        where = url
    logging.getLogger("dashboard.simulate").setLevel(logging.INFO)
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(message)s")
    click.echo(strings.SIMULATOR_STARTED.format(where=where, rate=per_minute, speed=speed, grids=len(world.grids),
                                                workers=len(world.workers)), err=True)
    simulator = sim.Simulator(world, writer, rate=per_minute, speed=speed, seed=seed_, heartbeats=not no_heartbeats,
                              **({} if floor is None else {"floor": floor}))
    try:
        stats = simulator.run(duration)
    except KeyboardInterrupt:
        stats = simulator.stats
    except sim.ApiError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(stats.line())


def _now():
    from dashboard.timeutil import now_utc

    return now_utc()
