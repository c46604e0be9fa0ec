"""Export downloads over HTTP (a Flask blueprint under /export; no Dash here).

| route | what |
|---|---|
| ``GET /export/charts`` | the chart catalogue: names, titles, default sizes |
| ``GET /export/chart/<name>.<png/svg/pdf>`` | one chart in the print theme; ``range`` (today, 7d, 30d, all, custom) with ``start``/``end``, ``area``, optional ``width``/``height`` (CSS px) and ``scale`` (PNG) |
| ``POST /export/bulletin`` | start the weekly bulletin of ``week`` (2026-W47) for ``area``; 202 with the job |
| ``GET /export/bulletin/<job>`` | the job's progress |
| ``GET /export/bulletin/<job>/<pptx/xlsx/zip>`` | its files once done |

Errors are JSON ``{"error": message, "fields": {field: reason}}`` with a 4xx status, as in the API.
A chart is bounded before anything is drawn (``limits``: time range, picture size) and rendered
only through the render gate: too many exports of one account at once, or a full render pool,
answer 429 with ``Retry-After``.
"""

from __future__ import annotations

import contextlib
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request, send_file

from dashboard import strings
from dashboard.web import access
from dashboard.domain import areas
from dashboard.present import charts
from dashboard.domain import windows
from dashboard.web.api import ApiError
from dashboard.web.attachments import disposition
from dashboard.web.runtime import current
from dashboard.timeutil import to_local
from dashboard.export import bulletin as bulletin_mod
from dashboard.export import bundle, images, jobs, limits

blueprint = Blueprint("export", __name__, url_prefix="/export")
E = strings.EXPORT_FIELD_ERRORS


@blueprint.errorhandler(ApiError)
def _error(exc: ApiError):
    body = {"error": exc.message}
    if exc.fields:
        body["fields"] = exc.fields
    return jsonify(body), exc.status, exc.headers


def chart_url(name: str, fmt: str, range_key: str | None = None, start: str | None = None, end: str | None = None,
              area: str | None = None) -> str:
    """The download link of a chart for a screen's filters (what the panels' buttons point at).
    An incomplete custom range falls back to the last 7 days, as the screen itself does."""
    range_key = range_key or "7d"
    params = {"range": range_key}
    if range_key == "custom":
        if start and end:
            params.update(start=str(start)[:10], end=str(end)[:10])
        else:
            params["range"] = "7d"
    if area:
        params["area"] = area
    return f"/export/chart/{name}.{fmt}?{urlencode(params)}"


def _int_arg(name: str, kind=int):
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        return kind(raw)
    except ValueError:
        raise ApiError(400, strings.EXPORT_ERRORS["size"].format(lo=images.MIN_SIDE, hi=images.MAX_SIDE,
                                                                 scale=images.MAX_SCALE),
                       {name: E["number"]}) from None


def _area(engine, code: str | None) -> str | None:
    """The area code to scope by (None = the county), 404 when unknown — or not the user's
    (a town's account exports its town; no area means all of its town)."""
    if not code:
        return access.area(None)
    info = areas.get(engine, code)
    if info is None or not access.sees(info.code):
        raise ApiError(404, strings.EXPORT_ERRORS["area"].format(area=code), {"area": E["missing"]})
    return None if info.level == "county" else info.code


def _job_visible(st: dict | None) -> dict | None:
    """A bulletin job is there only for who may see its area."""
    if st is None:
        return None
    area = st.get("area")
    return st if (access.sees(area) if area else access.limit() is None) else None


@blueprint.get("/charts")
def chart_list():
    return jsonify([{"name": s.name, "title": s.title(), "width": s.width, "height": s.height}
                    for s in charts.CHARTS.values()])


@blueprint.get("/chart/<name>.<fmt>")
def chart(name: str, fmt: str):
    rt = current()
    if name not in charts.CHARTS:
        raise ApiError(404, strings.EXPORT_ERRORS["chart"].format(name=name, names=strings.LIST_SEP.join(charts.CHARTS)),
                       {"name": E["missing"]})
    if fmt not in images.FORMATS:
        raise ApiError(404, strings.EXPORT_ERRORS["format"].format(fmt=fmt), {"format": E["format"]})
    args = request.args
    range_key = args.get("range") or ("custom" if args.get("start") else "7d")
    if range_key not in windows.RANGES:
        raise ApiError(400, strings.EXPORT_ERRORS["range"], {"range": E["range"]})
    first = windows.first_report(rt.engine)
    try:
        window = windows.window_for(range_key, rt.now(), first=first, start=args.get("start"), end=args.get("end"))
    except windows.WindowError as exc:
        raise ApiError(400, E["window"], exc.fields) from None
    except OverflowError:  # a date at the calendar's edge (9999-12-31 plus the day it includes)
        raise ApiError(400, strings.EXPORT_ERRORS["dates"], {"start": E["dates"], "end": E["dates"]}) from None
    spec = charts.CHARTS[name]
    width, height, scale = _int_arg("width"), _int_arg("height"), _int_arg("scale", float)
    try:
        limits.check_window(window, rt.now(), first)
        images.check_size(width, height, scale, fmt=fmt, default=(spec.width, spec.height))
    except limits.LimitError as exc:
        raise ApiError(400, str(exc), exc.fields) from None
    area = _area(rt.engine, args.get("area"))
    with _render_slot(rt):
        access.audit(rt.engine, "export", target=request.full_path)
        data = images.chart(rt.engine, name, fmt, window, area, width=width, height=height, scale=scale)
    stamp = f"{to_local(window.start):%Y%m%d}-{to_local(window.end):%Y%m%d}"
    info = areas.get(rt.engine, area) if area else areas.root(rt.engine)
    where = info.name if info else ""
    filename = f"{where}{spec.title(area)}-{stamp}.{fmt}"
    resp = Response(data, mimetype=images.MEDIA_TYPES[fmt])
    resp.headers["Content-Disposition"] = disposition(filename)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _account(rt) -> str:
    """The current principal as one account of this database (``limits.account_key``)."""
    p = access.current()
    return limits.account_key(rt.engine.url.render_as_string(hide_password=True), p.kind,
                              p.user_id if p.user_id is not None else p.audit_name)


@contextlib.contextmanager
def _render_slot(rt):
    """Hold a render slot of the current principal (``limits.RenderGate``), or answer 429."""
    st = rt.settings
    images.renderer().tabs = st.render_pool  # the browser's tabs follow the pool (from its next start)
    gate = limits.gate(jobs.default_root() / "render-slots", per_account=st.renders_per_account,
                       pool=st.render_pool, wait=st.render_wait_seconds)
    try:
        with gate.admit(_account(rt)):
            yield
    except limits.Busy as exc:
        access.audit(rt.engine, "export", target=request.full_path, outcome="busy")
        raise ApiError(429, str(exc), {"account" if exc.reason == "account" else "server": str(exc)},
                       headers={"Retry-After": str(exc.retry_after)}) from None


def _job_body(job_id: str, st: dict) -> dict:
    body = {"id": job_id, **{k: st.get(k) for k in ("state", "progress", "text", "week", "area", "error")}}
    if st.get("state") == "done":
        body["files"] = {k: f"/export/bulletin/{job_id}/{k}" for k in st.get("files", {})}
        body["names"] = st.get("files", {})
        body["seconds"] = st.get("seconds")
    return body


@blueprint.post("/bulletin")
def bulletin_start():
    rt = current()
    args = request.get_json(silent=True) or request.values
    area = _area(rt.engine, args.get("area"))
    try:
        job_id = jobs.runner().submit_bulletin(rt.engine, args.get("week") or "", area, rt.now(), owner=_account(rt),
                                               per_owner=rt.settings.renders_per_account)
    except bulletin_mod.BulletinError as exc:
        raise ApiError(400, str(exc), {exc.field: str(exc)}) from None
    except limits.Busy as exc:
        access.audit(rt.engine, "export", target=f"bulletin:{args.get('week') or ''}:{area or ''}", outcome="busy")
        raise ApiError(429, str(exc), {"account": str(exc)}, headers={"Retry-After": str(exc.retry_after)}) from None
    access.audit(rt.engine, "export", target=f"bulletin:{args.get('week') or ''}:{area or ''}")
    return jsonify(_job_body(job_id, jobs.runner().status(job_id))), 202


@blueprint.get("/bulletin/<job_id>")
def bulletin_status(job_id: str):
    st = _job_visible(jobs.runner().status(job_id))
    if st is None:
        raise ApiError(404, strings.EXPORT_ERRORS["job"], {"job": E["missing"]})
    return jsonify(_job_body(job_id, st))


@blueprint.get("/bulletin/<job_id>/<kind>")
def bulletin_file(job_id: str, kind: str):
    if _job_visible(jobs.runner().status(job_id)) is None:
        raise ApiError(404, strings.EXPORT_ERRORS["job"], {"job": E["missing"]})
    hit = jobs.runner().file(job_id, kind) if kind in bundle.KINDS else None
    if hit is None:
        raise ApiError(404, strings.EXPORT_ERRORS["file"], {"kind": E["file"]})
    path, name = hit
    access.audit(current().engine, "export", target=request.path)
    return send_file(path, mimetype=bundle.MEDIA_TYPES[kind], as_attachment=True, download_name=name, max_age=0)
