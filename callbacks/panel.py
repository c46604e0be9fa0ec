"""One mechanism for every panel of every screen.

A panel says *what data it needs for which view* — ``data(runtime, view, *own_inputs)``, a
function of a ``View`` (the area or handler, the window, the moment, resolved on the server) — how
that data looks (``view(view, data, *own_inputs, *view_inputs)``: the outputs' values, no database)
and which data channels it reads. ``register`` adds the
rest, the same way for every panel, so no panel can forget any of it:

- the scope: the screen's filters (big screen) or the page's parameters (desk pages) become a
  ``View`` through ``dashboard.web.access`` (``Source.resolve``): a panel never sees an area its
  principal may not see, and never writes the scope itself;
- the cache key: the panel's name, the view (the area asked for *and* the principal's own scope),
  its own inputs, the data versions of the channels it reads and the clock's tick
  (``dashboard.web.cache.answer``): N screens asking the same question cost one computation, a
  write is seen at the next refresh, and two principals never share an answer they should not;
- the no-change answer: a fingerprint of what the screen shows travels in a small store per panel
  (``ids.panel_store``); an unchanged answer sends nothing and redraws nothing;
- the stale fallback: while the poller says the database is away, or when a query fails on the
  database, the panel keeps what it shows (the banner says since when);
- partial updates: a panel may give ``patch(before, after)`` that turns the previous outputs and
  the new ones into ``dash.Patch`` objects (the big screen's 19,000 map colours).

Screens only read here: nothing below writes to the database, so every panel reads through the
runtime's read engine (``Runtime.reads``: a hot-standby replica when one is configured).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Sequence

from dash import Input, Output, State, no_update
from dash.exceptions import PreventUpdate

from dashboard.domain import windows
from dashboard.figures import metrics
from dashboard.store import db
from dashboard.web.cache import answer
from dashboard.web.runtime import Runtime
from layouts import ids

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class View:
    """What a panel's figures are about, resolved on the server: an area of any level (or a
    handler, within an area), a window evaluated as of its end, the principal's own scope
    (``limit``: None = everything), and the words the URL or the controls used for the window."""

    area: str | None
    window: windows.Window
    now: datetime
    limit: str | None = None
    root: str | None = None  # the root area's code (the county, the city): "the whole of it"
    department: str | None = None
    subject: str | int | None = None  # what else the page is about (a case's id)
    permissions: tuple[str, ...] = ()  # what the principal may do (a view may offer the acts it may)
    selection: windows.Selection | None = None
    link_query: str = ""  # "?range=30d" or "": what links to other pages carry

    @property
    def scope(self) -> metrics.Scope:
        return metrics.Scope(area=self.area, department=self.department)

    def key(self) -> tuple:
        return (self.area, self.limit, self.department, self.subject, self.permissions, self.window.start.isoformat(),
                self.window.end.isoformat())

    def principal_key(self) -> tuple:
        """For data that depends on the principal's scope and the window, not on the area asked
        for (the big screen's map colours every grid the principal may see)."""
        return (self.limit, self.window.start.isoformat(), self.window.end.isoformat())


class Source:
    """How a screen states what its panels are about: its inputs, and their resolution into a
    ``View`` (raising ``access.Denied`` for what the principal may not see)."""

    inputs: tuple = ()

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


@dataclass
class Panel:
    name: str
    outputs: list
    source: Source
    reads: tuple[str, ...]
    data: Callable[..., Any]
    view: Callable[..., Sequence[Any]] | None = None  # without one, ``data`` is the outputs' values
    patch: Callable[[Sequence[Any] | None, Sequence[Any]], Sequence[Any]] | None = None
    inputs: list = field(default_factory=list)
    view_inputs: list = field(default_factory=list)  # read by ``view`` only: not part of the data's key
    live: str = ids.Shell.LIVE
    by_principal: bool = False  # the data depends on the principal's scope, not on the area asked for
    prevent_initial_call: bool = False

    def outputs_for(self, runtime: Runtime, v: View, own: tuple, seen: tuple = (),
                    versions: dict | None = None, shown: str | None = None) -> tuple[tuple | None, str]:
        """(the outputs' values, the fingerprint of what they show) for a view, the panel's own
        inputs and its view-only inputs (``seen``). Read through ``runtime.reads``: a replica
        when one is configured. When the fingerprint is ``shown`` (what the screen shows already)
        the values are not read at all: ``None``."""
        runtime = runtime.reads
        versions = versions if versions is not None else db.versions(runtime.engine)
        key = v.principal_key() if self.by_principal else v.key()
        question = (self.name, key, own)

        def compute():
            d = self.data(runtime, v, *own)
            return fingerprint(d), d

        @functools.cache  # read from the shared cache at most once per call
        def data():
            return answer(runtime, question, self.reads, compute, versions)

        # The data's fingerprint is kept on its own: a refresh that changes nothing compares it
        # without reading back (unpickling) the data behind it.
        fp = answer(runtime, (self.name + ":fp", key, own), self.reads, lambda: data()[0], versions)
        if self.view is None:
            return (None if fp == shown else plain(data()[1])), fp
        view_fp = fingerprint(fp, v.key(), v.root, v.link_query, own, seen)
        if view_fp == shown:
            return None, view_fp
        values = answer(runtime, (self.name + ":view", view_fp), ("catalog", "areas"),
                        lambda: plain(self.view(v, data()[1], *own, *seen)), versions)
        return values, view_fp


def only_changed(before: Sequence[Any] | None, after: Sequence[Any]) -> list:
    """A ``patch`` for panels of several outputs: each output that differs from what the screen
    shows, the others left alone, so nothing unchanged redraws (a map layer drawn again would close
    the tooltip an officer is reading)."""
    if before is None:
        return list(after)
    return [a if fingerprint(b) != fingerprint(a) else no_update for b, a in zip(before, after)]


PANELS: dict[str, Panel] = {}
_OUT_KEY = "panel-out:"


def register(app, runtime: Runtime, p: Panel) -> Panel:
    """Register ``p``'s callback: the live state, the source's inputs and the panel's own inputs
    in; the panel's outputs and its fingerprint store out."""
    if p.name in PANELS and PANELS[p.name] is not p:
        raise ValueError(f"panel {p.name!r} registered twice")
    PANELS[p.name] = p
    n_src, n_own, n_seen = len(p.source.inputs), len(p.inputs), len(p.view_inputs)
    store = ids.panel_store(p.name)

    @app.callback(*p.outputs, Output(store, "data"), Input(p.live, "data"), *p.source.inputs, *p.inputs,
                  *p.view_inputs, State(store, "data"), prevent_initial_call=p.prevent_initial_call)
    def run(live, *args):
        if live and live.get("stale"):
            raise PreventUpdate
        src = args[:n_src]
        own = tuple(args[n_src:n_src + n_own])
        seen = tuple(args[n_src + n_own:n_src + n_own + n_seen])
        shown = args[-1]
        v = p.source.resolve(runtime.reads, src)
        values, fp = p.outputs_for(runtime, v, own, seen, shown=shown)
        if values is None:
            raise PreventUpdate
        if p.patch is not None:
            runtime.cache.add(_OUT_KEY + fp, values)
            before = runtime.cache.get(_OUT_KEY + shown) if shown else None
            values = p.patch(before, values)
        return (*values, fp)

    run.__name__ = f"panel_{p.name.replace('-', '_')}"
    return p


def first_values(runtime: Runtime, p: Panel, v: View, own: tuple = (), seen: tuple = ()) -> tuple[tuple, str]:
    """A panel's outputs for a page's first paint (the page carries them; the panel then only
    sends changes), remembered for its ``patch``."""
    values, fp = p.outputs_for(runtime, v, own, seen)
    if p.patch is not None:
        runtime.cache.add(_OUT_KEY + fp, values)
    return values, fp
