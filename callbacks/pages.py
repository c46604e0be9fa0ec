"""Every page declared once: its URL, how it is built, its callbacks, who may open it, what its
URL names (checked against the principal's scope), whether it keeps its page when only its query
changes, and whether the desk pages' navigation lists it.

Each screen module declares its ``Page`` next to the code that builds it; ``site.py`` lists the
app's pages. The router reads the declarations to answer a URL, to give a page request its HTTP
status, and to tell a wall screen which callbacks it may run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from dashboard.web import access
from dashboard.web.runtime import Runtime

SCREEN = "screen"  # the permission every principal has: the big screen (a wall screen's only page)


@dataclass(frozen=True)
class Page:
    key: str
    path: str  # a template: "/grid/<code>"
    build: Callable  # build(runtime, **path_args, query=parsed_query) -> component tree, or None (not found)
    register: Callable | None = None  # register(app, runtime): the page's callbacks
    permission: str = "pages"  # the access permission needed to open it (SCREEN: everyone)
    subject: str | None = None  # what the path's variable names: "area", "department" or "event"
    exists: Callable[..., bool] | None = None  # exists(runtime, **path_args): cheap, for the page's HTTP status
    owns_query: bool = False  # the page writes its own query (the explorer's filters): not rebuilt for it
    nav: bool = False  # listed in the desk pages' navigation (its label: strings.NAV[key])
    id_prefix: str | None = None  # its components' ids begin with this (a wall screen may update only these)
    # The geometry of the grids the page draws first (the big screen's): its HTML asks for it in
    # its head, so it downloads while Dash boots, and assets/map.js prepares it as it arrives.
    grids: str | None = None

    @property
    def pattern(self) -> re.Pattern:
        regex = re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", self.path)
        return re.compile(regex)

    def match(self, path: str) -> dict | None:
        m = self.pattern.fullmatch(path)
        return m.groupdict() if m else None

    @property
    def takes_query(self) -> bool:
        import inspect

        return "query" in inspect.signature(self.build).parameters

    def check(self, runtime: Runtime, args: dict) -> None:
        """May the current principal open this page for these path arguments? ``access.Forbidden``
        for a role without the permission, ``access.NotVisible`` for a subject outside its scope
        (answered like "not found")."""
        if self.permission != SCREEN:
            access.require(self.permission)
        if self.subject is not None:
            access.require_subject(runtime.engine, self.subject, next(iter(args.values())))

