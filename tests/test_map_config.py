"""The map works with no network by default; a tile layer is configuration, and GCJ-02 tiles get
geometry shifted to match."""

import dash_leaflet as dl
import pytest
from dash import dcc

from app import create_app
from callbacks.router import resolve
from dashboard import strings
from dashboard.domain import geo
from dashboard.web.runtime import EXTENSION_KEY
from layouts import ids

from .conftest import settings_for


def find_all(component, kind):
    found = []

    def walk(c):
        if isinstance(c, kind):
            found.append(c)
        children = getattr(c, "children", None)
        if isinstance(children, (list, tuple)):
            for x in children:
                walk(x)
        elif children is not None and hasattr(children, "to_plotly_json"):
            walk(children)

    walk(component)
    return found


def test_default_map_has_no_tile_layer(demo_app):
    runtime = demo_app.server.extensions[EXTENSION_KEY]
    page = resolve(runtime, "/")
    assert find_all(page, dl.TileLayer) == []
    layers = find_all(page, dl.GeoJSON)
    grid = next(g for g in layers if g.id == ids.BigScreen.GRID_LAYER)
    assert grid.zoomToBounds is False
    # The first colours travel with the page, in the store the map is recoloured from; the grid
    # layer's hideout only names that store's state, the geometry and the map (assets/map.js draws
    # the grids as one canvas layer from them), so it never changes (no rebuild).
    stores = {s.id: s for s in find_all(page, dcc.Store) if isinstance(s.id, str)}
    colours = stores[ids.BigScreen.MAP_COLOURS].data
    assert colours["layer"] == ids.BigScreen.GRID_LAYER and len(colours["v"]) == colours["n"] == 211
    assert grid.hideout == {"layer": ids.BigScreen.GRID_LAYER, "url": "/api/v1/geo/grid.geojson?detail=overview",
                            "map": ids.BigScreen.MAP, "ready": ids.BigScreen.MAP_READY, "tip": strings.MAP_TIP}
    # The big screen's HTML asks for that geometry in its head (it downloads while Dash boots);
    # other pages do not.
    client = demo_app.server.test_client()
    preload = '<link rel="preload" class="gs-grids" href="/api/v1/geo/grid.geojson?detail=overview" as="fetch"'
    assert preload in client.get("/").get_data(as_text=True).split("</head>")[0]
    assert "rel=\"preload\"" not in client.get("/events").get_data(as_text=True)
    assert client.get(grid.hideout["url"]).status_code == 200


def test_tile_layer_and_gcj02_shift(demo_url):
    app = create_app(settings_for(demo_url, tile_url="https://t{s}.example.intranet/img_w/{z}/{x}/{y}?tk={tk}",
                                  tile_key="SECRET", tile_attribution="天地图", tile_crs="gcj02"))
    runtime = app.server.extensions[EXTENSION_KEY]
    tiles = find_all(resolve(runtime, "/"), dl.TileLayer)
    assert len(tiles) == 1 and tiles[0].url.endswith("tk=SECRET") and tiles[0].attribution == "天地图"
    client = app.server.test_client()
    shifted = client.get("/api/v1/geo/county.geojson").get_json()
    plain_app = create_app(settings_for(demo_url))
    plain = plain_app.server.test_client().get("/api/v1/geo/county.geojson").get_json()
    x0, y0 = plain["features"][0]["geometry"]["coordinates"][0][0]
    x1, y1 = shifted["features"][0]["geometry"]["coordinates"][0][0]
    ex, ey = geo.wgs84_to_gcj02(x0, y0)
    assert (x1, y1) == pytest.approx((ex, ey), abs=2e-6)
    assert 0.001 < abs(x1 - x0) < 0.01  # a few hundred metres, as GCJ-02 is


def test_geojson_is_cached_with_an_etag(api):
    r = api.get("/api/v1/geo/grid.geojson")
    assert r.status_code == 200 and len(r.get_json()["features"]) == 211
    again = api.get("/api/v1/geo/grid.geojson", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    gz = api.get("/api/v1/geo/grid.geojson", headers={"Accept-Encoding": "gzip"})
    assert gz.headers.get("Content-Encoding") == "gzip" and len(gz.data) < len(r.data) / 2
    assert api.get("/api/v1/geo/province.geojson").status_code == 404
    assert api.get("/api/v1/geo/grid.geojson?within=x1").status_code == 400
    town = api.get("/api/v1/geo/grid.geojson?within=340223100").get_json()
    assert 0 < len(town["features"]) < 211 and all(f["properties"]["c"].startswith("340223100") for f in town["features"])


def test_the_big_screens_compact_geometry(api, demo_engine):
    """The grids the big screen loads once: code, name and position ``i`` in the colour
    arrays, simplified for the county-wide view as a coverage (still no gaps, no overlaps), the
    same features as geobuf, gzipped once per areas version with an ETag."""
    import geobuf
    import shapely
    from shapely.geometry import shape

    from dashboard.present import mapdata

    r = api.get("/api/v1/geo/grid.geojson?detail=overview")
    assert r.status_code == 200
    fc = r.get_json()
    codes = mapdata.grid_index(demo_engine).codes
    assert [f["properties"]["c"] for f in fc["features"]] == list(codes)
    assert [f["properties"]["i"] for f in fc["features"]] == list(range(len(codes)))
    assert set(fc["features"][0]["properties"]) == {"c", "n", "i"}
    full = api.get("/api/v1/geo/grid.geojson").get_json()
    simple = [shape(f["geometry"]) for f in fc["features"]]
    exact = [shape(f["geometry"]) for f in full["features"]]
    assert all(g.is_valid for g in simple)
    union = shapely.union_all(simple)
    assert abs(union.area - shapely.union_all(exact).area) / union.area < 0.01
    assert abs(sum(g.area for g in simple) - union.area) / union.area < 1e-6, "simplified grids overlap"
    pbf = api.get("/api/v1/geo/grid.pbf?detail=overview")
    decoded = geobuf.decode(pbf.data)
    assert [f["properties"] for f in decoded["features"]] == [f["properties"] for f in fc["features"]]
    again = api.get("/api/v1/geo/grid.geojson?detail=overview", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    gz = api.get("/api/v1/geo/grid.geojson?detail=overview", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and len(gz.data) < len(r.data) / 2
    assert api.get("/api/v1/geo/grid.geojson?detail=x").status_code == 400
    assert api.get("/api/v1/geo/grid.pbf?detail=x").status_code == 400
