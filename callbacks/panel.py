"""One mechanism for every panel of every screen.

A panel says *what data it needs for which view* — a function of a ``View`` (the area or handler,
the window, the moment, resolved on the server) and its own inputs — and which data channels it
reads. ``register_panel`` adds everything else, the same way for every panel:

- the scope: the screen's filters (big screen) or the page's parameters (desk pages) are turned
  into a ``View`` through ``dashboard.access``, so a panel never sees an area its principal may not
  see and cannot forget to narrow it — it never writes the scope itself;
- the cache key: the panel's name, the resolved view, its own inputs, the data versions of the
  channels it reads and the clock's tick (``dashboard.web.cache.answer``): N screens asking the same
  question cost one computation, and a write is seen at the next refresh;
- the no-change answer: a fingerprint of what the screen already shows travels in a small store
  per panel; an unchanged answer sends nothing and redraws nothing;
- the stale fallback: while the poller says the database is away, or when a query fails on the
  database, the panel keeps what it shows (the banner says since when);
- partial updates: a panel may give a ``patch`` that turns the previous answer and the new one
  into ``dash.Patch`` objects (the big screen's 19,000 map colours).

Screens only read here: nothing below writes to the database.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Sequence

from dash import Input, Output, State
from dash.exceptions import PreventUpdate
from sqlalchemy.exc import DBAPIError

from dashboard.domain import areas
from dashboard.store import db
from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.web.cache import answer
from dashboard.web.runtime import Runtime
from layouts import ids

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class View:
    """What a panel's figures are about, resolved on the server: an area of any level (or a
    handler within an area), a window evaluated as of its end, and the words the URL or the
    controls used for it (for links that keep the window)."""

    area: str | None
    window: windows.Window
    now: datetime
    department: str | None = None
    range_key: str = "7d"
    start: str | None = None
    end: str | None = None
    link_query: str = ""  # "?range=30d" or "": what links to other pages carry

    @property
    def scope(self) -> metrics.Scope:
        return metrics.Scope(area=self.area, department=self.department)

    def key(self) -> tuple:
        return (self.area, self.department, self.window.start.isoformat(), self.window.end.isoformat())


class Source:
    """How a screen states what its panels are about: its inputs, and their resolution into a
    ``View`` (raising ``access.Denied`` for what the principal may not see)."""

    inputs: tuple[Input, ...] = ()

    def resolve(self, runtime: Runtime, values: Sequence[Any]) -> View:  # pragma: no cover - interface
        raise NotImplementedError


def fingerprint(*parts) -> str:
    def default(o):
        if hasattr(o, "to_json"):
            return o.to_json(orient="split", date_format="iso")
        if hasattr(o, "to_plotly_json"):
            return o.to_plotly_json()
        return str(o)

    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=default).encode()).hexdigest()


def plain(values) -> tuple:
    """Figures as plain dicts: what Dash sends anyway, and cheap to keep in the shared cache (a
    pickled ``go.Figure`` is validated all over again when read back)."""
    return tuple(v.to_plotly_json() if hasattr(v, "to_plotly_json") else v for v in values)


def fp_store_id(panel: str) -> dict:
    return {"type": ids.Shell.PANEL_FP, "panel": panel}


@dataclass
class Panel:
    name: str
    outputs: list[Output]
    source: Source
    reads: tuple[str, ...]
    data: Callable[..., Any]
    view: Callable[..., Sequence[Any]] | None = None
    patch: Callable[[Sequence[Any] | None, Sequence[Any]], Sequence[Any]] | None = None
    inputs: list[Input] = field(default_factory=list)
    live: str = ids.Shell.LIVE


PANELS: dict[str, Panel] = {}


def keep_last_on_db_error(fn):
    """A callback that fails on the database answers "no update": the screen keeps its last data
    (the stale banner, driven by the version poll, says since when) instead of an error."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DBAPIError as exc:
            log.warning("%s: database unavailable, keeping the last data (%s)", fn.__name__, exc.__class__.__name__)
            raise PreventUpdate from None

    return wrapper


def register_panel(app, runtime: Runtime, p: Panel, *, prevent_initial_call: bool = False) -> Panel:
    """Register ``p``'s callback: live state, the source's inputs and the panel's own inputs in;
    the panel's outputs and its fingerprint store out."""
    if p.name in PANELS:
        raise ValueError(f"panel {p.name!r} registered twice")
    PANELS[p.name] = p
    n_src, n_own = len(p.source.inputs), len(p.inputs)
    out_key = f"panel-out:{p.name}:"

    @app.callback(*p.outputs, Output(fp_store_id(p.name), "data"), Input(p.live, "data"), *p.source.inputs, *p.inputs,
                  State(fp_store_id(p.name), "data"), prevent_initial_call=prevent_initial_call)
    @keep_last_on_db_error
    def run(live, *args):
        if live and live.get("stale"):
            raise PreventUpdate
        src, own, shown = args[:n_src], tuple(args[n_src:n_src + n_own]), args[-1]
        v = p.source.resolve(runtime, src)
        versions = db.versions(runtime.engine)

        def compute():
            data = p.data(v, *own)
            return fingerprint(data), data

        fp, data = answer(runtime, (p.name, v.key(), own), p.reads, compute, versions)
        if p.view is not None:
            shown_fp = fingerprint(fp, v.link_query)
            if shown_fp == shown:
                raise PreventUpdate
            values = answer(runtime, (p.name + ":view", fp, v.key(), v.link_query, own), ("catalog", "areas"),
                            lambda: plain(p.view(v, data, *own)), versions)
        else:
            shown_fp = fp
            if shown_fp == shown:
                raise PreventUpdate
            values = plain(data)
        if p.patch is not None:
            runtime.cache.add(out_key + shown_fp, values)
            before = runtime.cache.get(out_key + shown) if shown else None
            values = p.patch(getattr(before, "value", before), values)
        return (*values, shown_fp)

    return p


# --- sources -------------------------------------------------------------------------------------


def root_area(runtime: Runtime) -> str | None:
    root = areas.root(runtime.engine)
    return root.code if root else None
