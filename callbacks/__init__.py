"""Callback registration, one module per screen. Callbacks call ``dashboard`` for data and
``layouts`` for component trees, and return props."""

from dashboard.runtime import Runtime


def register_all(app, runtime: Runtime) -> None:
    from . import bigscreen, drill, live, router  # drill: issue 5's desk pages

    for module in (router, live, bigscreen, drill):
        module.register(app, runtime)

    # --- warnings ---
    from . import warnings as warnings_page

    warnings_page.register(app, runtime)

    # --- issue 7: print exports from the big screen, the weekly bulletin page ---
    from . import bulletin, export

    for module in (export, bulletin):
        module.register(app, runtime)
    # --- end issue 7 ---

    from . import sources  # /sources: the connector's health (administrators)

    sources.register(app, runtime)

    # --- issue 8: a wall screen (display role) may run only the callbacks that update the shell and
    # the big screen (every output id is one of these): see dashboard/auth/gate.py ---
    from dashboard.auth import set_screen_ids
    from layouts import ids

    set_screen_ids(app.server, [v for k, v in vars(ids.Shell).items() if not k.startswith("_")], prefixes=("bs-",))
    # --- end issue 8 ---
