"""Every write of the API goes through ``run_write``: one order of checks, one transaction.

1. the bearer token (401 missing/unknown, 403 revoked) — before anything about the request is
   revealed;
2. the Idempotency-Key header (400 when missing or malformed);
3. the body: JSON (400), then the model (422, each bad field named);
4. the client's permission for this write (403, in words: ``domain.API_PERMISSIONS``);
5. one transaction: the key is claimed first (see ``idempotency``), the handler writes through
   ``lifecycle`` and may refuse (404/409/422: the transaction rolls back, nothing is written), the
   response is stored under the key, the client's last use is noted. A retry of a stored request
   replays the stored response with ``Idempotent-Replayed: true``.

The handler sees the world through ``Write.reach`` (``lookups``): whatever lies outside the
client's town answers like what does not exist. The actor of every write is the client's name;
a client's own operator travels beside it, labelled (``operator``).
Times of API writes are the server's clock (``runtime.current().now()``), never the client's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from flask import Response, request
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard import strings
from dashboard.web import access
from dashboard.web import apiclients
from dashboard.web import idempotency
from dashboard.store.db import transaction
from dashboard.web.runtime import current
from dashboard.web.api import ApiError
from dashboard.web.api.lookups import Reach
from dashboard.web.api.validation import NO_BODY, read_json, validate_body

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"


@dataclass(frozen=True)
class Written:
    status: int
    body: dict
    location: str | None = None
    # False for a write that changed nothing (a repeated 督办 answered with the first one): no
    # second audit entry for it.
    audited: bool = True


@dataclass(frozen=True)
class Write:
    """What a write's handler works with: the transaction, the client, what the client can reach
    (its town's things, or the county's), and the server's time."""

    session: Session
    client: apiclients.ClientInfo
    reach: Reach
    now: datetime


def check_permission(client: apiclients.ClientInfo, permission: str) -> None:
    if not client.may(permission):
        raise ApiError(403, strings.API_PERMISSION_DENIED.format(what=strings.API_PERMISSION_LABELS[permission],
                                                                 permission=permission))


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authenticate() -> apiclients.ClientInfo:
    try:
        return apiclients.authenticate(current().engine, bearer_token())
    except apiclients.AuthError as exc:
        if exc.reason == "revoked":
            raise ApiError(403, strings.API_AUTH_REVOKED) from None
        message = strings.API_AUTH_MISSING if exc.reason == "missing" else strings.API_AUTH_INVALID
        raise ApiError(401, message, headers={"WWW-Authenticate": 'Bearer realm="gridscreen"'}) from None


def _respond(w: Written, replayed: bool) -> Response:
    resp = Response(json.dumps(w.body, ensure_ascii=False), status=w.status, mimetype="application/json")
    if w.location:
        resp.headers["Location"] = w.location
    if replayed:
        resp.headers[REPLAYED_HEADER] = "true"
    return resp


def run_write(model: type[BaseModel], handler: Callable[[Write, BaseModel], Written], *,
              permission: str | Callable[[BaseModel], str], optional_body: bool = False) -> Response:
    """Run one write: ``permission`` is what the client needs (or, from the body, e.g. by action)."""
    rt = current()
    client = authenticate()
    key = request.headers.get(KEY_HEADER)
    if not idempotency.valid_key(key):
        raise ApiError(400, strings.API_KEY_MISSING, {KEY_HEADER: strings.API_KEY_BAD})
    data = read_json(request, optional=optional_body)
    body = validate_body(model, data)
    check_permission(client, permission(body) if callable(permission) else permission)
    fp = idempotency.fingerprint(request.method, request.path, None if data is NO_BODY else data)
    now = rt.now()
    principal = client.principal
    try:
        with transaction(rt.engine) as s:
            row = idempotency.claim(s, client.id, key, request.method, request.path, fp, now)
            try:
                written = handler(Write(s, client, Reach(s, principal), now), body)
                s.flush()
            except IntegrityError:
                # A unique value (ext_id) taken by a concurrent write between our check and insert.
                raise ApiError(409, strings.API_WRITE_CONFLICT) from None
            idempotency.finish(row, written.status, written.body, written.location)
            # The audit entry is part of the write: stored exactly when the write is.
            if written.audited:
                access.audit(s, "api.write", target=f"{request.method} {request.path}",
                             detail={"status": written.status}, principal=principal)
            apiclients.touch(s, client, now)
            idempotency.prune(s, now)
    except idempotency.KeyTaken:
        return _replay(client, key, fp)
    return _respond(written, replayed=False)


def _replay(client: apiclients.ClientInfo, key: str, fp: str) -> Response:
    stored = idempotency.lookup(current().engine, client.id, key)
    if stored is None or stored.status == 0:
        # The first request with this key rolled back while we waited: nothing to replay.
        raise ApiError(409, strings.API_KEY_IN_FLIGHT)
    if stored.fingerprint != fp:
        raise ApiError(422, strings.API_KEY_REUSED.format(method=stored.method, path=stored.path),
                       {KEY_HEADER: strings.API_KEY_USED})
    return _respond(Written(stored.status, stored.body, stored.location), replayed=True)
