"""``gridscreen runner``: the background runner in the foreground (``dashboard/runner.py``)."""

from __future__ import annotations

import signal
import threading

import click

from dashboard.cli import main


@main.command()
def runner():
    """Keep the warnings current, sync the sources and run the demo simulator (as configured)."""
    from dashboard import startup, strings
    from dashboard.runner import Runner
    from dashboard.settings import Settings

    settings = Settings.from_env()
    engine = startup.prepare(settings)
    r = Runner(settings, engine).start()
    tasks = strings.LIST_SEP.join(strings.RUNNER_TASKS[t.name.removeprefix("runner-")] for t in r.threads)
    click.echo(strings.RUNNER_STARTED.format(what=tasks), err=True)
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    r.close()
