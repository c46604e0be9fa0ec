"""Callback registration, one module per screen. Callbacks call ``dashboard`` for data and
``layouts`` for component trees, and return props."""

from dashboard.runtime import Runtime


def register_all(app, runtime: Runtime) -> None:
    from . import bigscreen, live, router

    for module in (router, live, bigscreen):
        module.register(app, runtime)
    # --- issue 5: drill-down desk pages (importing them registers their routes) ---
    from . import drill_area, drill_common, drill_department, drill_event, drill_explorer, drill_grid

    for module in (drill_common, drill_area, drill_grid, drill_event, drill_department, drill_explorer):
        module.register(app, runtime)
    # --- end issue 5 ---
