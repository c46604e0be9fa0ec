"""GET /api/v1/warnings: the stored warning levels of the grids, their rollup, and the warnings
(manual and computed) concerning an area, with filters. Bad input gets a 4xx naming the field."""

from __future__ import annotations

import math

from flask import jsonify, request

from dashboard import strings
from dashboard.web import access
from dashboard.domain import areas
from dashboard import warnings as engine_warnings
from dashboard.web.runtime import current
from dashboard.timeutil import to_local
from dashboard.web.api import ApiError, bad_query, blueprint

MAX_LIMIT = 5000


def _iso(v):
    if v is None or (isinstance(v, float) and math.isnan(v)) or str(v) == "NaT":
        return None
    return to_local(v.to_pydatetime() if hasattr(v, "to_pydatetime") else v).isoformat()


def _levels(raw: str | None, fields: dict) -> tuple[int, ...] | None:
    if not raw:
        return None
    try:
        levels = tuple(sorted({int(x) for x in raw.split(",") if x.strip() != ""}))
    except ValueError:
        levels = ()
    if not levels or any(lv not in (0, 1, 2, 3, 4) for lv in levels):
        fields["level"] = strings.API_BAD_WARNING_LEVEL
        return None
    return levels


@blueprint.get("/warnings")
def warnings_endpoint():
    rt = current()
    args = request.args
    fields: dict[str, str] = {}
    levels = _levels(args.get("level"), fields)
    kind = args.get("kind") or None
    if kind not in (None, "manual", "computed"):
        fields["kind"] = strings.API_BAD_KIND
    status = args.get("status") or "active"
    if status not in engine_warnings.read.STATUSES:
        fields["status"] = strings.API_BAD_STATUS
    limit = MAX_LIMIT
    if args.get("limit"):
        try:
            limit = int(args["limit"])
        except ValueError:
            limit = 0
        if not 1 <= limit <= MAX_LIMIT:
            fields["limit"] = strings.API_BAD_LIMIT
    if fields:
        raise bad_query(fields)
    area_code = args.get("area") or None
    scope_code = area_code or access.limit()  # a town's account gets its town
    info = areas.get(rt.engine, scope_code) if scope_code else areas.root(rt.engine)
    if info is None or not access.sees(info.code):
        raise ApiError(404, strings.API_UNKNOWN_AREA.format(code=area_code), {"area": strings.API_MISSING})

    now = rt.now()
    # Normal grids are listed only when asked for (level=0): the map gets them all by code.
    grid_levels = levels if levels is not None else (1, 2, 3, 4)
    grids = engine_warnings.grid_levels(rt.engine, info.code, grid_levels).head(limit)
    summary = engine_warnings.county_rollup(rt.engine, info.code)
    child = {"county": "town", "town": "community"}.get(info.level)
    rollup = engine_warnings.rollup(rt.engine, child, info.code) if child else None
    warning_levels = tuple(lv for lv in levels if lv) if levels else None
    listed = engine_warnings.list_warnings(rt.engine, now, area=info.code, levels=warning_levels or None, kind=kind,
                                           status=status, limit=limit) if warning_levels != () else None
    body = {
        "area": info.code,
        "area_name": info.name,
        "level": info.level,
        "evaluated_at": _iso(summary["evaluated_at"]),
        "worst": summary["worst"],
        "grids_total": summary["grids"],
        "counts": {str(k): v for k, v in summary["counts"].items()},
        "rollup": [] if rollup is None else [
            {"code": r.code, "name": r.name, "grids": int(r.grids), "worst": int(r.worst),
             "counts": {str(k): int(getattr(r, f"n{k}")) for k in range(5)}} for r in rollup.itertuples()],
        "grids": [
            {"code": r.code, "name": r.name, "community_code": r.community_code, "community_name": r.community_name,
             "town_code": r.town_code, "town_name": r.town_name, "level": int(r.level), "since": _iso(r.since),
             "reasons": r.reasons} for r in grids.itertuples()],
        "warnings": [] if listed is None else [
            {"id": int(r.id), "scope_code": r.scope_code, "scope_name": r.scope_name, "scope_level": r.scope_level,
             "level": int(r.level), "kind": r.kind, "reasons": r.reasons, "issued_at": _iso(r.issued_at),
             "expires_at": _iso(r.expires_at), "lifted_at": _iso(r.lifted_at), "issued_by": r.issued_by,
             "status": r.status} for r in listed.itertuples()],
    }
    return jsonify(body)
