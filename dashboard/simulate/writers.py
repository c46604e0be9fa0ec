"""Where the simulator's writes go: straight through ``lifecycle`` (``DbWriter``) or through the
REST API like any client (``ApiWriter``). Both answer the same four calls.

A write the case's state no longer allows (someone else moved the case) is ``Refused``: the
simulator drops the rest of that case's plan. The API writer retries network failures and 5xx
with the same Idempotency-Key, so a retry never writes twice.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime
from typing import Callable

from sqlalchemy import select
from sqlalchemy.engine import Engine

from dashboard.domain import lifecycle
from dashboard.domain import presence
from dashboard.store.db import transaction
from dashboard.store.models import Event, Staff

log = logging.getLogger(__name__)


class Refused(Exception):
    """The server (or the life cycle) refused the write: the case is not where the plan thought."""


class DbWriter:
    def __init__(self, engine: Engine, now: Callable[[], datetime]):
        self.engine = engine
        self.now = now

    def report(self, fields: dict, actor: str) -> int:
        with transaction(self.engine) as s:
            ev = lifecycle.report(s, at=self.now(), actor=actor, **fields)
            s.flush()
            return ev.id

    def move(self, event_id: int, action: str, *, actor: str, handler: str | None = None, note: str | None = None):
        try:
            with transaction(self.engine) as s:
                ev = s.get(Event, event_id, with_for_update=True)
                if ev is None:
                    raise Refused(f"event {event_id} is gone")
                if action == "supervise":
                    lifecycle.supervise(s, ev, at=self.now(), actor=actor, note=note or "")
                else:
                    lifecycle.apply(s, ev, action, at=self.now(), actor=actor, handler_code=handler, note=note)
        except lifecycle.TransitionError as exc:
            raise Refused(str(exc)) from None

    def heartbeat(self, staff_id: int) -> None:
        with transaction(self.engine) as s:
            person = s.get(Staff, staff_id, with_for_update=True)
            if person is not None and person.active:
                presence.heartbeat(s, person, self.now())

    def pending(self) -> list[dict]:
        """Reports still waiting for intake (待受理), for the simulator to pick up."""
        with self.engine.connect() as c:
            rows = c.execute(select(Event.id, Event.grid_code, Event.category_code).where(Event.status == "reported"))
            return [{"id": i, "grid": g, "category": cat} for i, g, cat in rows]


class ApiError(RuntimeError):
    """The API refused a request the simulator should never send (a bug, or a bad token)."""


class ApiWriter:
    def __init__(self, base_url: str, token: str, *, retries: int = 4, timeout: float = 10.0, session=None):
        import requests

        self.base = base_url.rstrip("/") + "/api/v1"
        self.session = session or requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.retries = retries
        self.timeout = timeout

    def _post(self, path: str, body: dict | None):
        import requests

        key = uuid.uuid4().hex  # one key for every retry of this write
        for attempt in range(self.retries + 1):
            try:
                r = self.session.post(self.base + path, json=body, timeout=self.timeout,
                                      headers={"Idempotency-Key": key})
            except requests.ConnectionError as exc:
                error = f"connection failed: {exc}"
            else:
                if r.status_code < 300:
                    return r.json()
                if r.status_code in (404, 409):
                    raise Refused(r.json().get("error", r.text))
                if r.status_code < 500 and r.status_code != 429:
                    raise ApiError(f"POST {path}: {r.status_code} {r.text[:300]}")
                error = f"{r.status_code} {r.text[:200]}"
            if attempt < self.retries:
                log.warning("POST %s failed (%s); retrying with the same Idempotency-Key", path, error)
                time.sleep(min(8.0, 0.5 * 2**attempt))
        raise ApiError(f"POST {path}: gave up after {self.retries + 1} attempts ({error})")

    def catalog(self) -> dict:
        r = self.session.get(self.base + "/catalog", timeout=self.timeout)
        r.raise_for_status()
        return r.json()

    def report(self, fields: dict, actor: str) -> int:
        body = {"category": fields["category_code"], "title": fields["title"], "description": fields["description"],
                "grid": fields["grid_code"], "source": fields["source"], "severity": fields["severity"],
                "reporter": fields.get("reporter_staff_id")}
        if fields.get("lat") is not None:
            body.update(lat=fields["lat"], lon=fields["lon"])
        return self._post("/events", {k: v for k, v in body.items() if v is not None})["id"]

    def move(self, event_id: int, action: str, *, actor: str, handler: str | None = None, note: str | None = None):
        # The API records the token's client as the actor; the simulated officer is its operator.
        body = {"action": action, "operator": actor}
        if handler is not None:
            body["handler"] = handler
        if note:
            body["note"] = note
        self._post(f"/events/{event_id}/transitions", body)

    def heartbeat(self, staff_id: int) -> None:
        try:
            self._post(f"/staff/{staff_id}/heartbeat", None)
        except Refused:
            pass  # a worker removed meanwhile: nothing to keep alive

    def pending(self) -> list[dict]:
        out, page = [], 1
        while True:
            r = self.session.get(self.base + "/events", params={"status": "reported", "per_page": 200, "page": page},
                                 timeout=self.timeout)
            r.raise_for_status()
            items = r.json()["items"]
            out += [{"id": e["id"], "grid": e["grid"], "category": e["category"]} for e in items]
            if len(items) < 200:
                return out
            page += 1
