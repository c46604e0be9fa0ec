"""``gridscreen`` command line. Each group of commands lives in its own module."""

from __future__ import annotations

import logging

import click


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="More log output.")
def main(verbose: bool) -> None:
    """GridScreen 网格化治理指挥大屏."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def engine_from_env():
    from dashboard.store.db import engine_for
    from dashboard.settings import Settings

    return engine_for(Settings.from_env().database_url)


# Each module registers its commands on ``main``.
from dashboard.cli import data, export, runner, serve, simulate, sources, tokens, users, warnings  # noqa: E402,F401
