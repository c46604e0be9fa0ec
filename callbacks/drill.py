"""The drill-down desk pages: town, community, grid, event, department and the event
explorer. Importing the page modules registers their routes with the router."""

from dashboard.web.runtime import Runtime

from . import drill_area, drill_common, drill_department, drill_event, drill_explorer, drill_grid

PAGES = (drill_common, drill_area, drill_grid, drill_event, drill_department, drill_explorer)


def register(app, runtime: Runtime) -> None:
    for module in PAGES:
        module.register(app, runtime)
