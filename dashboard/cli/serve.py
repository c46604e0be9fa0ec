"""``gridscreen serve``: the dashboard under gunicorn (threads, app preloaded once)."""

from __future__ import annotations

import click

from . import main


@main.command()
@click.option("--host", default=None, help="Address to bind (default GRIDSCREEN_HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default GRIDSCREEN_PORT or 8050).")
@click.option("--workers", type=int, default=1, show_default=True, help="gunicorn worker processes.")
@click.option("--threads", type=int, default=8, show_default=True, help="Threads per worker.")
def serve(host, port, workers, threads):
    """Run the dashboard (and the API) on HOST:PORT."""
    from gunicorn.app.base import BaseApplication

    from ..settings import Settings

    settings = Settings.from_env()
    host = host or settings.host
    port = port or settings.port
    # issue 8: the checks at start (GRIDSCREEN_AUTH=off only on loopback ...) see the real address
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

        def load(self):
            # The web tier lives beside this package (app.py), never inside it.
            from app import create_app

            return create_app(settings).server

    click.echo(f"GridScreen: http://{host}:{port}/  (数据库: {settings.database_url.split('@')[-1]})")
    _App().run()
