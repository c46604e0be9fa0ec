"""``gridscreen serve``: the dashboard under gunicorn (threads, app preloaded once)."""

from __future__ import annotations

import click

from dashboard import strings
from dashboard.cli import main


@main.command()
@click.option("--host", default=None, help="Address to bind (default GRIDSCREEN_HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default GRIDSCREEN_PORT or 8050).")
@click.option("--workers", type=int, default=1, show_default=True, help="gunicorn worker processes.")
@click.option("--threads", type=int, default=8, show_default=True, help="Threads per worker.")
def serve(host, port, workers, threads):
    """Run the dashboard (and the API) on HOST:PORT."""
    from gunicorn.app.base import BaseApplication

    from dashboard.store import db
    from dashboard.settings import Settings

    settings = Settings.from_env()
    if workers > 1 and not settings.cache_url:  # one cache for the workers of this machine
        from dashboard.settings import default_data_dir

        settings = settings.with_(cache_url=f"filesystem://{default_data_dir() / 'cache'}")
    host = host or settings.host
    port = port or settings.port
    # The checks at start (GRIDSCREEN_AUTH=off only on loopback ...) see the real address.
    settings = settings.with_(host=host, port=port)
    try:
        settings.check_web()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None

    class _App(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            # Build the app (and seed the embedded demo) once, before the workers fork.
            self.cfg.set("preload_app", True)
            self.cfg.set("timeout", 120)
            self.cfg.set("accesslog", None)
            # One fixed control-socket path per user would make two instances collide; not needed here.
            self.cfg.set("control_socket_disable", True)
            # Connections opened while preloading belong to the master: each worker opens its own.
            self.cfg.set("post_fork", lambda _server, _worker: db.after_fork())
            self.cfg.set("when_ready", lambda _server: ready())
            if settings.runner:
                self.cfg.set("on_exit", lambda _server: stop_runner())

        def load(self):
            # The web tier lives beside this package (app.py), never inside it.
            from app import create_app

            from dashboard.web.api.geo import warm
            from dashboard.web.runtime import EXTENSION_KEY

            # The geometry is built here, before the fork and in this thread, never by a thread
            # of the master: a lock that thread held at the fork would hang a worker for good.
            app = create_app(settings.with_(warm_geometry=False))
            if settings.warm_geometry:
                warm(app.server.extensions[EXTENSION_KEY], background=False)
            return app.server

    database = settings.database_url.split("@")[-1]
    click.echo(strings.SERVE_CLI["preparing"].format(database=database), err=True)
    # Schema and (the first time) the demo county, here where a person sees it happen; the app
    # built below finds them ready. Its connections are closed before the workers fork.
    from dashboard import startup

    startup.prepare(settings, say=lambda text: click.echo(text, err=True)).dispose()
    def ready():
        if settings.runner:
            start_runner()
        click.echo(strings.SERVE_CLI["ready"].format(host=host, port=port), err=True)

    click.echo(strings.SERVE_CLI["serving"].format(host=host, port=port, database=database))
    _App().run()


_RUNNER: list = []


def start_runner() -> None:
    """The background runner (``gridscreen runner``) as a child process of the gunicorn master,
    once the app is built (the embedded demo's database is ready by then): the writes no screen
    makes — warning evaluation, the sources' sync, the demo simulator — in a process of their own,
    never in a thread of the master that forks the workers."""
    import subprocess
    import sys

    from dashboard import strings

    _RUNNER.append(subprocess.Popen([sys.executable, "-m", "dashboard.cli", "runner"]))
    click.echo(strings.RUNNER_CHILD.format(pid=_RUNNER[-1].pid), err=True)


def stop_runner() -> None:
    for proc in _RUNNER:
        proc.terminate()
        try:
            proc.wait(15)
        except Exception:  # noqa: BLE001 - it would not stop: it goes with us
            proc.kill()
