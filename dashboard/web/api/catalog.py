"""GET /catalog: what a reporting client needs to know to report — categories, handlers, grids
with their grid worker, and the Chinese labels of the codes."""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import select
from sqlalchemy.orm import aliased

from dashboard import strings
from dashboard.web import access
from dashboard import vocabulary
from dashboard.domain import places
from dashboard.store.models import Area, Category, Department, Staff
from dashboard.web.runtime import current
from dashboard.web.api import blueprint
from dashboard.web.api.openapi import document
from dashboard.web.api.schemas import Catalog


@blueprint.get("/catalog")
@document("GET", "/catalog", strings.API_DOC_OPERATIONS["catalog"]["summary"],
          {200: (strings.API_DOC_OPERATIONS["catalog"][200], Catalog)}, tags=[strings.API_DOC_TAGS["catalog"]])
def catalog():
    engine = current().engine
    community, town = aliased(Area), aliased(Area)
    with engine.connect() as conn:
        county = conn.execute(select(Area.code, Area.name).where(Area.level == "county")).first()
        cats = conn.execute(select(Category.__table__).order_by(Category.code)).mappings().all()
        handlers = conn.execute(select(Department.code, Department.name, Department.level, Department.area_code)
                                .order_by(Department.level, Department.code)).all()
        workers = {}
        for sid, name, grid in conn.execute(select(Staff.id, Staff.name, Staff.grid_code)
                                            .where(Staff.role == "grid_worker", Staff.active.is_(True))
                                            .order_by(Staff.id)):
            workers.setdefault(grid, {"id": sid, "name": name})
        grids = conn.execute(
            select(Area.code, Area.name, Area.parent_code, community.name, community.parent_code, town.name,
                   Area.centroid_lon, Area.centroid_lat, Area.households)
            .join(community, community.code == Area.parent_code)
            .join(town, town.code == community.parent_code)
            .where(Area.level == "grid").order_by(Area.code)
        ).all()
    sizes = places.places(engine).area_km2
    body = Catalog(
        county=county.code if county else None,
        county_name=county.name if county else None,
        categories=[{"code": c["code"], "name": c["name"], "parent": c["parent_code"],
                     "time_limit_hours": c["time_limit_hours"], "is_major": c["is_major"],
                     "is_dispute": c["is_dispute"], "default_handler": c["default_handler_code"]}
                    for c in cats],
        # a town's account gets its town's grids and handlers (and the county's departments)
        handlers=[{"code": c, "name": n, "level": lvl, "area": a} for c, n, lvl, a in handlers
                  if a is None or access.sees(a)],
        grids=[{"code": g[0], "name": g[1], "community": g[2], "community_name": g[3], "town": g[4], "town_name": g[5],
                "centroid_lon": g[6], "centroid_lat": g[7], "households": g[8],
                "area_km2": round(sizes[g[0]], 3) if g[0] in sizes else None, "worker": workers.get(g[0])}
               for g in grids if access.sees(g[0])],
        labels={"sources": dict(strings.SOURCE_LABELS), "severities": dict(strings.SEVERITY_LABELS),
                "statuses": dict(strings.STATUS_LABELS), "actions": dict(strings.ACTION_LABELS),
                "handler_levels": {k: strings.HANDLER_LEVEL_LABELS[k] for k in vocabulary.HANDLER_LEVELS}},
    )
    return jsonify(body.model_dump(mode="json"))
