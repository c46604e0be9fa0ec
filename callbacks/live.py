"""Live polling: a clientside poller asks /api/v1/version on every tick and writes the live state
only when the data (or the clock tick) changed, so screens recompute only then."""

from dash import ClientsideFunction, Input, Output, State

from dashboard.web.runtime import Runtime
from layouts import ids


def register(app, runtime: Runtime) -> None:
    app.clientside_callback(
        ClientsideFunction(namespace="gridscreen", function_name="poll"),
        Output(ids.Shell.LIVE, "data"),
        Input(ids.Shell.TICK, "n_intervals"),
        State(ids.Shell.LIVE, "data"),
        State(ids.Shell.CONFIG, "data"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="gridscreen", function_name="slow"),
        Output(ids.Shell.LIVE_SLOW, "data"),
        Input(ids.Shell.LIVE, "data"),
        Input(ids.Shell.TICK, "n_intervals"),
        State(ids.Shell.LIVE_SLOW, "data"),
        State(ids.Shell.CONFIG, "data"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="gridscreen", function_name="banner"),
        Output(ids.Shell.BANNER, "children"),
        Output(ids.Shell.BANNER, "hidden"),
        Input(ids.Shell.LIVE, "data"),
        State(ids.Shell.CONFIG, "data"),
    )
