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


from dashboard.cli import data, serve  # noqa: E402,F401  (commands register themselves on ``main``)

# --- warnings ---
from dashboard.cli import warnings  # noqa: E402,F401,F811  (``gridscreen warnings ...``)

from dashboard.cli import export  # noqa: E402,F401  (issue 7: export chart, bulletin)

# --- reporting API and simulator (issue 6) ---
from dashboard.cli import simulate, tokens  # noqa: E402,F401

# --- issue 8: accounts and the audit log ---
from dashboard.cli import users  # noqa: E402,F401  (``gridscreen user ...``, ``gridscreen audit``)

from dashboard.cli import sources  # noqa: E402,F401  (``gridscreen source ...``, ``gridscreen sync``)
