"""The screens' callbacks: each page ``site.py`` lists registers its own (one module per screen),
on top of the shell's (the router and the live poller). Callbacks call ``dashboard`` for data and
``layouts`` for component trees, and return props; every panel goes through ``panel.py``. Every
callback request is checked against what the page could send before any callback runs
(``guard``)."""

from dashboard.web.runtime import Runtime


def register_all(app, runtime: Runtime) -> None:
    from dashboard.web.auth import set_screen_ids
    from layouts import ids

    from . import guard, live, router, site
    from .pages import SCREEN

    router.register(app, runtime)
    live.register(app, runtime)
    site.register(app, runtime)
    for page in site.PAGES:
        if page.register is not None:
            page.register(app, runtime)

    # A wall screen (display role) may run only the callbacks that update the shell and the pages
    # everyone may open (every output id is one of these): see dashboard/web/auth/gate.py.
    screen = [p.id_prefix for p in site.PAGES if p.permission == SCREEN and p.id_prefix]
    set_screen_ids(app.server, [v for k, v in vars(ids.Shell).items() if not k.startswith("_")],
                   prefixes=tuple(screen))
    guard.install(app)
