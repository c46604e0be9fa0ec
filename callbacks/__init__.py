"""Callback registration, one module per screen. Callbacks call ``dashboard`` for data and
``layouts`` for component trees, and return props. Every callback request is checked against
what the page could send before any callback runs (``guard``)."""

from dashboard.web.runtime import Runtime


def register_all(app, runtime: Runtime) -> None:
    from dashboard.web.auth import set_screen_ids
    from layouts import ids

    from . import bigscreen, bulletin, drill, export, guard, live, router, sources
    from . import warnings as warnings_page

    for module in (router, live, bigscreen, drill, warnings_page, export, bulletin, sources):
        module.register(app, runtime)

    # A wall screen (display role) may run only the callbacks that update the shell and the big
    # screen (every output id is one of these): see dashboard/auth/gate.py.
    set_screen_ids(app.server, [v for k, v in vars(ids.Shell).items() if not k.startswith("_")], prefixes=("bs-",))
    guard.install(app)
