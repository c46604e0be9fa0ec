"""What the screens and the API read: the stored levels (as the runner last wrote them), rollups
per town / community / county, the red and orange grids with their reasons, a grid's history,
and the list of warnings with filters. Grouped SQL over small tables; DataFrames and dicts out.
"""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from dashboard import strings
from dashboard import vocabulary
from dashboard.domain import areas
from dashboard.store.models import Area, GridWarningState, Warning, WarningHistory, WarningRun
from dashboard.timeutil import to_utc

LEVELS = (0, 1, 2, 3, 4)
PREFIX = {"county": 6, "town": 9, "community": 12, "grid": 15}


def _json(s):
    if not isinstance(s, str):  # normal grids: no state row, no reasons
        return []
    try:
        return json.loads(s or "[]")
    except ValueError:
        return []


def _levels_source(at: datetime | None):
    """The grids above normal with ``grid_code, level, since, reasons, pending_level``: the stored
    state (now), or, for a past moment ``at``, each grid's latest history row at or before it
    (every change of a shown level is in the history, so this replays the board exactly)."""
    if at is None:
        return GridWarningState.__table__.alias("src")
    t = to_utc(at)
    latest = (select(WarningHistory.grid_code, func.max(WarningHistory.id).label("id"))
              .where(WarningHistory.at <= t).group_by(WarningHistory.grid_code).subquery())
    return (select(WarningHistory.grid_code, WarningHistory.new_level.label("level"), WarningHistory.at.label("since"),
                   WarningHistory.reasons, literal(None).label("pending_level"))
            .join(latest, WarningHistory.id == latest.c.id)
            .where(WarningHistory.new_level > 0)
            .subquery("src"))


def evaluated_at(engine: Engine) -> datetime | None:
    """The moment the stored levels were evaluated as of (None: never)."""
    with engine.connect() as conn:
        return conn.execute(select(WarningRun.evaluated_at).where(WarningRun.id == 1)).scalar()


def levels_by_grid(engine: Engine, area: str | None = None, at: datetime | None = None) -> dict[str, int]:
    """{grid code: level} for grids above normal (absent = normal): the map's ``hideout``.
    ``at``: as of a past moment, from the history."""
    src = _levels_source(at)
    with engine.connect() as conn:
        return dict(conn.execute(select(src.c.grid_code, src.c.level).where(areas.within(area, src.c.grid_code))).all())


def grid_levels(engine: Engine, area: str | None = None, levels: tuple[int, ...] | None = None,
                at: datetime | None = None, limit: int | None = None) -> pd.DataFrame:
    """Every grid (in ``area``) with its level, since, and reasons: columns ``code, name,
    community_code, community_name, town_code, town_name, level, since, reasons`` (list of
    ``{signal, level, text}``), ``reasons_text`` (one line) and ``pending_level``. Normal grids have
    level 0, no since, no reasons. Sorted most severe first, then longest standing."""
    community = aliased(Area)
    town = aliased(Area)
    src = _levels_source(at)
    stmt = (select(Area.code, Area.name, community.code.label("community_code"), community.name.label("community_name"),
                   town.code.label("town_code"), town.name.label("town_name"),
                   func.coalesce(src.c.level, 0).label("level"), src.c.since, src.c.reasons, src.c.pending_level)
            .select_from(Area)
            .join(community, community.code == Area.parent_code, isouter=True)
            .join(town, town.code == community.parent_code, isouter=True)
            .join(src, src.c.grid_code == Area.code, isouter=True)
            .where(Area.level == "grid", areas.within(area, Area.code)))
    if levels is not None:
        stmt = stmt.where(func.coalesce(src.c.level, 0).in_(list(levels)))
    if limit is not None:  # the same order as below, in SQL: only ``limit`` rows are read
        lv = func.coalesce(src.c.level, 0)
        stmt = stmt.order_by(case((lv == 0, 9), else_=lv), src.c.since.is_(None), src.c.since, Area.code).limit(limit)
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(stmt).all(),
                          columns=["code", "name", "community_code", "community_name", "town_code", "town_name", "level",
                                   "since", "reasons", "pending_level"])
    df["level"] = df["level"].astype("int64")
    df["reasons"] = [_json(r) for r in df["reasons"]]
    df["reasons_text"] = [strings.CLAUSE_SEP.join(x["text"] for x in r) for r in df["reasons"]]
    df["sort"] = df["level"].replace(0, 9)
    df = df.sort_values(["sort", "since", "code"], na_position="last").drop(columns="sort")
    return df.reset_index(drop=True)


def top_grids(engine: Engine, levels: tuple[int, ...] = (1, 2), area: str | None = None, limit: int | None = None,
              at: datetime | None = None) -> pd.DataFrame:
    """The red and orange grids (by default) with their reasons: the warning board."""
    return grid_levels(engine, area, levels, at, limit=limit)


def rollup(engine: Engine, by: str = "town", area: str | None = None, at: datetime | None = None) -> pd.DataFrame:
    """Per town (or community, or the county): ``code, name, grids, worst, n0..n4`` where ``worst``
    is the most severe level among its grids (0 = all normal) and ``nK`` the grids at level K."""
    if by not in ("county", "town", "community"):
        raise ValueError(f"rollup by county, town or community, not {by!r}")
    n = PREFIX[by]
    parent = func.substr(Area.code, 1, n)
    with engine.connect() as conn:
        grids = pd.DataFrame(conn.execute(
            select(parent.label("code"), func.count().label("grids"))
            .where(Area.level == "grid", areas.within(area, Area.code)).group_by(parent)).all(),
            columns=["code", "grids"])
        src = _levels_source(at)
        sp = func.substr(src.c.grid_code, 1, n)
        per = pd.DataFrame(conn.execute(
            select(sp.label("code"), src.c.level, func.count().label("n"))
            .where(areas.within(area, src.c.grid_code)).group_by(sp, src.c.level)).all(),
            columns=["code", "level", "n"])
        names = dict(conn.execute(select(Area.code, Area.name).where(Area.level == by, areas.within(area, Area.code))).all())
    wide = per.pivot_table(index="code", columns="level", values="n", aggfunc="sum", fill_value=0)
    df = grids.set_index("code").join(wide, how="left").fillna(0)
    for lvl in (1, 2, 3, 4):
        if lvl not in df.columns:
            df[lvl] = 0
    df = df.rename(columns={lvl: f"n{lvl}" for lvl in (1, 2, 3, 4)})
    for c in ("grids", "n1", "n2", "n3", "n4"):
        df[c] = df[c].astype("int64")
    df["n0"] = df["grids"] - df[["n1", "n2", "n3", "n4"]].sum(axis=1)
    df["worst"] = 0
    for lvl in (4, 3, 2, 1):
        df.loc[df[f"n{lvl}"] > 0, "worst"] = lvl
    df["name"] = [names.get(c, c) for c in df.index]
    df = df.reset_index()
    return df[["code", "name", "grids", "worst", "n0", "n1", "n2", "n3", "n4"]].sort_values("code").reset_index(drop=True)


def county_rollup(engine: Engine, area: str | None = None, at: datetime | None = None) -> dict:
    """{"worst", "grids", "counts": {0..4: grids}, "evaluated_at"} for the county (or ``area``)."""
    df = rollup(engine, "county", area, at)
    row = df.iloc[0] if len(df) else None
    counts = {lvl: int(row[f"n{lvl}"]) if row is not None else 0 for lvl in LEVELS}
    return {"worst": int(row["worst"]) if row is not None else 0, "grids": int(row["grids"]) if row is not None else 0,
            "counts": counts, "evaluated_at": evaluated_at(engine)}


def history(engine: Engine, grid: str | None = None, area: str | None = None, start: datetime | None = None,
            end: datetime | None = None, levels: tuple[int, ...] | None = None, limit: int = 500,
            offset: int = 0) -> pd.DataFrame:
    """Changes of grid levels, newest first: ``id, grid_code, grid_name, at, old_level,
    new_level, reasons`` (list). ``levels`` keeps changes into or out of those levels; ``offset``
    rows are skipped (a page further down)."""
    stmt = (select(WarningHistory.id, WarningHistory.grid_code, Area.name.label("grid_name"), WarningHistory.at,
                   WarningHistory.old_level, WarningHistory.new_level, WarningHistory.reasons)
            .join(Area, Area.code == WarningHistory.grid_code))
    if grid:
        stmt = stmt.where(WarningHistory.grid_code == grid)
    if area:
        stmt = stmt.where(areas.within(area, WarningHistory.grid_code))
    if start:
        stmt = stmt.where(WarningHistory.at >= to_utc(start))
    if end:
        stmt = stmt.where(WarningHistory.at < to_utc(end))
    if levels:
        stmt = stmt.where(or_(WarningHistory.new_level.in_(levels), WarningHistory.old_level.in_(levels)))
    stmt = stmt.order_by(WarningHistory.at.desc(), WarningHistory.id.desc()).limit(limit).offset(offset)
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(stmt).all(),
                          columns=["id", "grid_code", "grid_name", "at", "old_level", "new_level", "reasons"])
    df["reasons"] = [_json(r) for r in df["reasons"]]
    return df


def grid_history(engine: Engine, grid: str, limit: int = 200) -> pd.DataFrame:
    """One grid's changes of level, newest first (the grid profile's warning history)."""
    return history(engine, grid=grid, limit=limit)


STATUSES = ("active", "ended", "all")


def list_warnings(engine: Engine, now: datetime, *, area: str | None = None, levels: tuple[int, ...] | None = None,
                  kind: str | None = None, status: str = "all", start: datetime | None = None,
                  end: datetime | None = None, limit: int = 500, offset: int = 0,
                  warning_id: int | None = None) -> pd.DataFrame:
    """Warnings (manual and computed episodes), newest first, with filters (``warning_id``: that one):
    ``area``: warnings on that area, inside it, or on an area containing it (a county-wide warning
    concerns every town); ``levels``; ``kind`` manual/computed; ``status`` active (in force at
    ``now``), ended (lifted or expired by ``now``) or all; ``start``/``end``: in force at some
    moment of [start, end); ``offset`` rows skipped (a page further down). Columns: ``id, scope_code, scope_name, scope_level, level, kind,
    reasons`` (list of words), ``issued_at, expires_at, lifted_at, issued_by, status``."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}")
    now = to_utc(now)
    stmt = (select(Warning.id, Warning.scope_code, Area.name.label("scope_name"), Area.level.label("scope_level"),
                   Warning.level, Warning.kind, Warning.reasons, Warning.issued_at, Warning.expires_at, Warning.lifted_at,
                   Warning.issued_by)
            .join(Area, Area.code == Warning.scope_code))
    if area:
        ancestors = [c for c in vocabulary.ancestors(area).values() if c != area]
        stmt = stmt.where(or_(areas.within(area, Warning.scope_code), Warning.scope_code.in_(ancestors)))
    if levels:
        stmt = stmt.where(Warning.level.in_(levels))
    if warning_id is not None:
        stmt = stmt.where(Warning.id == warning_id)
    if kind:
        stmt = stmt.where(Warning.kind == kind)
    in_force = and_(Warning.issued_at <= now, or_(Warning.expires_at.is_(None), Warning.expires_at > now),
                    or_(Warning.lifted_at.is_(None), Warning.lifted_at > now))
    ended = or_(Warning.expires_at <= now, Warning.lifted_at <= now)
    if status == "active":
        stmt = stmt.where(in_force)
    elif status == "ended":
        stmt = stmt.where(ended)
    if end:
        stmt = stmt.where(Warning.issued_at < to_utc(end))
    if start:
        s = to_utc(start)
        stmt = stmt.where(or_(Warning.expires_at.is_(None), Warning.expires_at > s),
                          or_(Warning.lifted_at.is_(None), Warning.lifted_at > s))
    stmt = stmt.order_by(Warning.issued_at.desc(), Warning.id.desc()).limit(limit).offset(offset)
    cols = ["id", "scope_code", "scope_name", "scope_level", "level", "kind", "reasons", "issued_at", "expires_at",
            "lifted_at", "issued_by"]
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(stmt).all(), columns=cols)
    df["reasons"] = [_json(r) for r in df["reasons"]]
    df["status"] = [_status(r, now) for r in df.itertuples()]
    return df


def _status(r, now: datetime) -> str:
    if pd.notna(r.lifted_at) and r.lifted_at <= now:
        return "lifted"
    if pd.notna(r.expires_at) and r.expires_at <= now:
        return "expired"
    if r.issued_at > now:
        return "pending"
    return "active"


def scope_options(engine: Engine, max_grids: int = 3000) -> list[dict]:
    """Dropdown options for a manual warning's scope: the county, towns, communities and (while
    there are at most ``max_grids``) grids, each labelled with its parents."""
    with engine.connect() as conn:
        rows = conn.execute(select(Area.code, Area.name, Area.level).order_by(Area.code)).all()
    names = {c: n for c, n, _ in rows}
    grids = sum(1 for _, _, lv in rows if lv == "grid")
    out = []
    for code, name, level in rows:
        if level == "grid" and grids > max_grids:
            continue
        parents = [names[a] for lv, a in vocabulary.ancestors(code).items() if a != code and lv != "county" and a in names]
        label = " / ".join(parents + [name])
        out.append({"label": strings.SCOPE_OPTION.format(level=strings.LEVEL_LABELS[level], path=label), "value": code})
    return out
