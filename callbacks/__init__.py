"""Callback registration, one module per screen. Callbacks call ``dashboard`` for data and
``layouts`` for component trees, and return props."""

from dashboard.runtime import Runtime


def register_all(app, runtime: Runtime) -> None:
    from . import bigscreen, drill, live, router  # drill: issue 5's desk pages

    for module in (router, live, bigscreen, drill):
        module.register(app, runtime)
