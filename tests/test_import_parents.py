"""An areas file may not put a child outside its parent: a grid drawn near Beijing under a Nanling
community is refused with its feature number and field named, and nothing is stored; a grid that
shares its community's edge (exactly, or within the tolerance of a separately drawn outline) is
accepted; a re-imported parent must still hold its stored children. The demo county's own areas,
written out as a GeoJSON file, import cleanly into an empty database."""

from __future__ import annotations

import json

import pytest
from shapely.affinity import translate
from shapely.geometry import box, mapping
from sqlalchemy import func, select

from dashboard.domain import geo
from dashboard.ingest import ImportFailed
from dashboard.ingest.areas import EDGE_TOLERANCE_M, M_PER_DEG_LAT, import_areas
from dashboard.store.models import Area

COMMUNITY = "340223100001"
NEAR_BEIJING = box(116.38, 39.90, 116.40, 39.92)


def feature(code, name, level, parent, geom, **props):
    return {"type": "Feature", "properties": {"code": code, "name": name, "level": level, "parent_code": parent, **props},
            "geometry": mapping(geom)}


def sq(x0, x1, y0=30.8, y1=30.9):
    return box(118 + x0, y0, 118 + x1, y1)


def county(*extra, community=None):
    return [
        feature("340223", "南陵县", "county", None, sq(0, 0.2)),
        feature("340223100", "籍山镇", "town", "340223", sq(0, 0.2)),
        feature(COMMUNITY, "和顺社区", "community", "340223100", community or sq(0, 0.2)),
        feature("340223100001001", "和顺社区第1网格", "grid", COMMUNITY, sq(0, 0.1)),
        feature("340223100001002", "和顺社区第2网格", "grid", COMMUNITY, sq(0.1, 0.2)),
        *extra,
    ]


def write(tmp_path, features, name="areas.geojson"):
    p = tmp_path / name
    p.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), encoding="utf-8")
    return p


def stored(engine) -> dict[str, str]:
    with engine.connect() as c:
        return dict(c.execute(select(Area.code, Area.geometry)).all())


def count(engine) -> int:
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(Area))


def test_a_grid_near_beijing_under_a_nanling_community_is_refused_whole(engine, tmp_path):
    beijing = feature("340223100001003", "和顺社区第3网格", "grid", COMMUNITY, NEAR_BEIJING)
    with pytest.raises(ImportFailed) as e:
        import_areas(engine, write(tmp_path, county(beijing)))
    assert [(err.row, err.column) for err in e.value.errors] == [(6, "geometry")]
    text = str(e.value)
    assert "第6个要素 “geometry”字段" in text
    assert "网格“和顺社区第3网格”（340223100001003）有 100.0% 的面积" in text
    assert "不在上级社区（村）“和顺社区”（340223100001）的范围内" in text
    assert "未导入任何数据" in text
    assert count(engine) == 0  # the good features of the file are not written either


def test_the_parent_may_already_be_stored(engine, tmp_path):
    import_areas(engine, write(tmp_path, county()))
    before = stored(engine)
    beijing = feature("340223100001003", "和顺社区第3网格", "grid", COMMUNITY, NEAR_BEIJING)
    with pytest.raises(ImportFailed) as e:
        import_areas(engine, write(tmp_path, [beijing], "more.geojson"))
    assert [(err.row, err.column) for err in e.value.errors] == [(1, "geometry")]
    assert "和顺社区" in str(e.value)
    assert stored(engine) == before
    # moving a stored grid there is refused the same way, and its stored outline stays
    moved = feature("340223100001002", "和顺社区第2网格", "grid", COMMUNITY, NEAR_BEIJING)
    with pytest.raises(ImportFailed):
        import_areas(engine, write(tmp_path, [moved], "moved.geojson"))
    assert stored(engine) == before


def test_a_grid_sharing_its_communitys_edge_is_accepted(engine, tmp_path):
    # both grids share three edges with the community's outline, exactly
    r = import_areas(engine, write(tmp_path, county()))
    assert r.created == 5


def test_edges_drawn_separately_may_differ_within_the_tolerance(engine, tmp_path):
    metres = 1 / M_PER_DEG_LAT  # a degree of latitude is about 110.6 km
    # the community's outline sits 5 m inside the grids' outer edges at the top and bottom
    inset = sq(0, 0.2, 30.8 + 5 * metres, 30.9 - 5 * metres)
    r = import_areas(engine, write(tmp_path, county(community=inset)))
    assert r.created == 5
    # a grid reaching 200 m beyond the community (into the next one) is refused, with its share
    grid = sq(0.1, 0.2, 30.8 + 5 * metres, 30.9 + 200 * metres)
    over = feature("340223100001002", "和顺社区第2网格", "grid", COMMUNITY, grid)
    with pytest.raises(ImportFailed) as e:
        import_areas(engine, write(tmp_path, [over], "over.geojson"))
    assert [(err.row, err.column) for err in e.value.errors] == [(1, "geometry")]
    assert f"共用边界允许 {EDGE_TOLERANCE_M:g} 米误差" in str(e.value)
    assert "的面积（约 " in str(e.value) and "% 的面积" in str(e.value)


def test_every_level_is_checked_not_only_grids(engine, tmp_path):
    far_town = feature("340223101", "远镇", "town", "340223", translate(sq(0, 0.1), xoff=2))
    with pytest.raises(ImportFailed) as e:
        import_areas(engine, write(tmp_path, county(far_town)))
    assert [(err.row, err.column) for err in e.value.errors] == [(6, "geometry")]
    assert "不在上级县“南陵县”" in str(e.value)


def test_a_reimported_parent_must_still_hold_its_stored_children(engine, tmp_path):
    import_areas(engine, write(tmp_path, county()))
    before = stored(engine)
    shrunk = feature(COMMUNITY, "和顺社区", "community", "340223100", sq(0, 0.1))  # drops grid 2
    with pytest.raises(ImportFailed) as e:
        import_areas(engine, write(tmp_path, [shrunk], "shrunk.geojson"))
    assert [(err.row, err.column) for err in e.value.errors] == [(1, "geometry")]
    assert "已有的下级网格“和顺社区第2网格”（340223100001002）" in str(e.value)
    assert stored(engine) == before
    # with the grid moved along in the same file, the change is accepted
    grid2 = feature("340223100001002", "和顺社区第2网格", "grid", COMMUNITY, sq(0.05, 0.1))
    grid1 = feature("340223100001001", "和顺社区第1网格", "grid", COMMUNITY, sq(0, 0.05))
    r = import_areas(engine, write(tmp_path, [shrunk, grid1, grid2], "together.geojson"))
    assert r.updated == 3


def test_the_demo_countys_real_outlines_import_cleanly(demo_engine, engine, tmp_path):
    """Nanling's outline and its generated towns, communities and grids, as a GeoJSON file: no
    child is refused (the tolerance does not trip on real outlines)."""
    with demo_engine.connect() as c:
        rows = c.execute(select(Area.code, Area.name, Area.level, Area.parent_code, Area.geometry, Area.households)
                         .order_by(Area.code)).all()
    feats = [feature(r.code, r.name, r.level, r.parent_code, geo.from_geojson(r.geometry), households=r.households)
             for r in rows]
    r = import_areas(engine, write(tmp_path, feats, "nanling.geojson"))
    assert r.created == len(rows) > 200
    # and a demo grid moved to Beijing is refused, naming its feature
    grid_at = next(k for k, r in enumerate(rows, start=1) if r.level == "grid")
    moved = dict(feats[grid_at - 1], geometry=mapping(NEAR_BEIJING))
    with pytest.raises(ImportFailed) as e:
        import_areas(engine, write(tmp_path, feats[:grid_at - 1] + [moved] + feats[grid_at:], "moved.geojson"))
    assert (grid_at, "geometry") in {(err.row, err.column) for err in e.value.errors}
