"""Helpers for the account tests: an app with login on, logged-in test clients, and
crafted Dash callback requests (a callback is an HTTP endpoint: the tests call it like a browser
— or an attacker editing the request — would)."""

from __future__ import annotations

import json
import re

from dash import ALL

from dashboard.web import accounts

ORIGIN = "http://localhost"
PASSWORD = "correct horse battery"


class Browser:
    """A Flask test client that logs in like a browser: the form's CSRF token, the Origin header,
    and the ``_csrf_token`` cookie echoed in X-CSRFToken on callbacks (what Dash's renderer does)."""

    def __init__(self, app):
        self.app = app
        self.c = app.server.test_client()

    def login(self, username: str, password: str = PASSWORD, nxt: str = "/"):
        page = self.c.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
        return self.c.post("/login", data={"username": username, "password": password, "csrf_token": token,
                                           "next": nxt}, headers={"Origin": ORIGIN})

    def get(self, path: str, **kw):
        return self.c.get(path, **kw)

    def csrf(self) -> str | None:
        if self.c.get_cookie("_csrf_token") is None:
            self.c.get("/")  # the page hands out the token
        cookie = self.c.get_cookie("_csrf_token")
        return cookie.value if cookie else None

    def callback(self, output_contains: str, values: dict | None = None, *, outputs=None, csrf: bool = True,
                 changed: list[str] | None = None, matches: dict | None = None):
        """POST /_dash-update-component for the callback whose output key contains
        ``output_contains``, with input/state values by "id.property" (default None)."""
        return self.c.post("/_dash-update-component", json=callback_body(self.app, output_contains, values,
                                                                          outputs=outputs, changed=changed,
                                                                          matches=matches),
                           headers=self._headers(csrf))

    def _headers(self, csrf: bool) -> dict:
        h = {"Origin": ORIGIN}
        if csrf:
            token = self.csrf()
            if token:
                h["X-CSRFToken"] = token
        return h


def callback_body(app, output_contains: str, values: dict | None = None, *, outputs=None, changed=None,
                  matches: dict | None = None) -> dict:
    """The body Dash's renderer sends for the callback whose output key contains
    ``output_contains``: input and state values by "id.property" (default None); ``matches``: for a
    pattern-matching id, by its type, the ids present on the page (default: none)."""
    values = values or {}
    matches = matches or {}
    key = output_contains if output_contains in app.callback_map else next(k for k in app.callback_map
                                                                            if output_contains in k)
    spec = app.callback_map[key]

    def entry(d):
        cid = d["id"]
        pattern = json.loads(cid) if cid.startswith("{") else None
        if pattern and any(isinstance(v, list) for v in pattern.values()):  # a wildcard (ALL): the page's ids
            return [{"id": i, "property": d["property"],
                     "value": i if d["property"] == "id" else values.get(f"{json.dumps(i, sort_keys=True)}.{d['property']}")}
                    for i in matches.get(pattern.get("type"), [])]
        return {"id": pattern or cid, "property": d["property"], "value": values.get(f"{cid}.{d['property']}")}

    if outputs is None:
        outs = spec["output"] if isinstance(spec["output"], list) else [spec["output"]]
        outputs = [[{"id": i, "property": o.component_property} for i in matches.get(o.component_id.get("type"), [])]
                   if isinstance(o.component_id, dict) and any(isinstance(v, (list, type(ALL))) for v in
                                                               o.component_id.values())
                   else {"id": o.component_id, "property": o.component_property} for o in outs]
        if not isinstance(spec["output"], list):
            outputs = outputs[0]
    inputs = [entry(d) for d in spec["inputs"]]
    return {"output": key, "outputs": outputs, "inputs": inputs, "state": [entry(d) for d in spec["state"]],
            "changedPropIds": changed or [f"{d['id']}.{d['property']}" for d in spec["inputs"][:1]]}


def add(engine, username: str, role: str, town: str | None = None, name: str | None = None):
    """An account; ``town``: the area it is limited to (a town in these tests)."""
    return accounts.add_user(engine, username, PASSWORD, role, area=town, display_name=name)


def txt(r) -> str:
    """A response's text, JSON decoded (Dash escapes Chinese as \\uXXXX)."""
    if r.is_json:
        return json.dumps(r.get_json(), ensure_ascii=False)
    return r.get_data(as_text=True)
