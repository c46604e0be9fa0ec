"""GridScreen web app.

``create_app(settings)`` returns the Dash app; ``server`` is its Flask server for
``gunicorn app:server``; ``python app.py`` runs it alone under Flask's development server
(``gridscreen serve`` is how it is deployed).
"""

from __future__ import annotations

from pathlib import Path

import dash
from flask import Flask

HERE = Path(__file__).resolve().parent


def create_app(settings=None) -> dash.Dash:
    import callbacks
    from dashboard import startup, strings
    from dashboard.web.api import blueprint
    from dashboard.web.runtime import EXTENSION_KEY, Runtime
    from dashboard.settings import Settings
    from layouts import shell

    settings = settings or Settings.from_env()
    engine = startup.prepare(settings)
    runtime = Runtime(settings, engine, read_engine=startup.read_engine(settings, engine))

    server = Flask(__name__)
    server.json.ensure_ascii = False  # the API answers in readable UTF-8 Chinese
    server.extensions[EXTENSION_KEY] = runtime
    server.config["COMPRESS_MIMETYPES"] = ["text/html", "text/css", "text/plain", "text/csv", "application/json",
                                           "application/javascript", "text/javascript", "application/geo+json",
                                           "image/svg+xml"]
    server.register_blueprint(blueprint)
    from dashboard.web.exports import blueprint as export_blueprint

    server.register_blueprint(export_blueprint)  # chart and bulletin downloads (/export)
    from dashboard.web import auth

    # Accounts, the request gate, security headers, error answers with an id; refuses settings
    # that would expose the data (GRIDSCREEN_AUTH=off off loopback ...).
    auth.init_app(server, runtime)

    app = dash.Dash(
        __name__,
        server=server,
        assets_folder=str(HERE / "assets"),
        title=strings.APP_TITLE,
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
        compress=True,  # gzip (Flask-Compress): geometry and callback answers are mostly text
    )
    app.layout = shell.layout(
        refresh_ms=settings.refresh_ms,
        tick_seconds=settings.tick_seconds,
        demo=settings.embedded,
        frozen_now=settings.frozen_now.isoformat() if settings.frozen_now else None,
        chart_refresh_ms=settings.chart_refresh_ms,
    )
    callbacks.register_all(app, runtime)  # and the check of every callback request (callbacks/guard.py)
    if settings.warm_geometry:  # build the big screen's geometry before the first screen asks for it
        from dashboard.web.api.geo import warm

        warm(runtime)
    # The CSP lists the inline scripts Dash writes (known once every callback is in).
    auth.finish(server, app.csp_hashes(), tile_url=settings.tile_url)
    return app


_default_app = None


def __getattr__(name: str):
    # ``server`` is built on first use, so importing this module (tests, tools) touches no database.
    global _default_app
    if name == "server":
        if _default_app is None:
            _default_app = create_app()
        return _default_app.server
    raise AttributeError(name)


if __name__ == "__main__":
    # Development: the app alone under Flask's server (``gridscreen serve`` runs it under gunicorn
    # beside its background runner).
    from dashboard.settings import Settings

    s = Settings.from_env()
    create_app(s).run(host=s.host, port=s.port, debug=False)
