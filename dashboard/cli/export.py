"""Meeting materials from the command line: one chart as PNG / SVG / PDF in the print theme, and
the weekly bulletin (deck, workbook, zip of charts)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dashboard import strings
from dashboard.cli import engine_from_env, main


def _now():
    from dashboard.settings import Settings
    from dashboard.timeutil import now_utc

    return Settings.from_env().frozen_now or now_utc()


def _area(engine, code):
    from dashboard.domain import areas

    if not code:
        return None
    info = areas.get(engine, code)
    if info is None:
        raise click.ClickException(strings.EXPORT_ERRORS["area"].format(area=code))
    return None if info.level == "county" else info.code


@main.group()
def export():
    """Charts as print-quality files (the same charts as the screens, light print theme)."""


@export.command("list")
def export_list():
    """The chart names and their default sizes."""
    from dashboard.present.charts import CHARTS

    for spec in CHARTS.values():
        click.echo(f"{spec.name:14s} {spec.width}×{spec.height}  {spec.title()}")


@export.command("chart")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["png", "svg", "pdf"]), default=None,
              help="Default: from the output file's suffix, else png.")
@click.option("--range", "range_key", type=click.Choice(["today", "7d", "30d", "all", "custom"]), default=None,
              help="Time range as on the big screen (default 7d; custom when --start is given).")
@click.option("--start", default=None, help="Custom range start (ISO date/time; naive = Asia/Shanghai).")
@click.option("--end", default=None, help="Custom range end (a bare date includes that day).")
@click.option("--area", default=None, help="Town, community or grid code (default: the county).")
@click.option("--width", type=int, default=None, help="Width in CSS pixels (default: the chart's print size).")
@click.option("--height", type=int, default=None, help="Height in CSS pixels.")
@click.option("--scale", type=float, default=None, help="PNG pixels per CSS pixel (default 3).")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), required=True)
def export_chart(name, fmt, range_key, start, end, area, width, height, scale, output):
    """Write chart NAME (see `gridscreen export list`) for the range and area to OUTPUT."""
    from dashboard.present import charts
    from dashboard.domain import windows
    from dashboard.export import images, limits

    if name not in charts.CHARTS:
        raise click.ClickException(strings.EXPORT_ERRORS["chart"].format(name=name, names=strings.LIST_SEP.join(charts.CHARTS)))
    out = Path(output)
    fmt = fmt or (out.suffix.lstrip(".").lower() if out.suffix.lstrip(".").lower() in images.FORMATS else "png")
    engine = engine_from_env()
    range_key = range_key or ("custom" if start else "7d")
    first = windows.first_report(engine)
    try:
        window = windows.window_for(range_key, _now(), first=first, start=start, end=end)
        limits.check_window(window, _now(), first)
    except (windows.WindowError, limits.LimitError) as exc:
        raise click.ClickException(str(exc)) from None
    except OverflowError:
        raise click.ClickException(strings.EXPORT_ERRORS["dates"]) from None
    try:
        data = images.chart(engine, name, fmt, window, _area(engine, area), width=width, height=height, scale=scale)
    except limits.LimitError as exc:
        raise click.ClickException(str(exc)) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    click.echo(f"{out}  ({len(data):,} bytes)")


@main.command()
@click.option("--week", required=True, help="ISO week, e.g. 2026-W47 (Monday to Sunday, Asia/Shanghai).")
@click.option("--area", default=None, help="A town's code (default: the county).")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Directory for the .pptx, .xlsx and the charts' .zip.")
@click.option("--font", default=None, help="Font for every text run of the deck (default Noto Sans CJK SC).")
def bulletin(week, area, out_dir, font):
    """The weekly bulletin (周通报) of WEEK: PowerPoint deck, Excel workbook, charts as PNG in a zip."""
    from dashboard.export import browser

    # Chromium starts (seconds) while the rest loads and the data is read. One tab: a second one
    # costs this one-off process ≈ 2 s of CPU to load plotly.js, more than it saves on seven charts.
    browser.renderer().tabs = 1
    browser.renderer().start()
    from dashboard.export import bulletin as bulletin_mod
    from dashboard.export import bundle, deck

    engine = engine_from_env()

    def progress(step, fraction, text):
        click.echo(f"[{fraction * 100:3.0f}%] {text}", err=True)

    try:
        res = bundle.build(engine, week, _area(engine, area), Path(out_dir), now=_now(), progress=progress,
                           font=font or deck.FONT)
    except bulletin_mod.BulletinError as exc:
        raise click.ClickException(str(exc)) from None
    for kind, path in res.files.items():
        click.echo(str(path))
    click.echo(f"done in {res.seconds['total']:.1f} s", err=True)
    sys.stdout.flush()
