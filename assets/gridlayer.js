/* Every grid of the big screen's map as ONE canvas layer (window.gridscreen.GridLayer).
 *
 * A city has 19,000 grids: as Leaflet polygons each is an object with its own projection, style
 * and event bookkeeping, and building them took longer than everything else on the page. Here the
 * rings live in typed arrays, projected once (to zoom-0 Web Mercator pixels) as the geometry
 * arrives, before any map exists, and each grid is written once as SVG path data in integer units
 * of a fixed fine zoom. A draw joins
 * the grids of one colour into one Path2D (parsed natively: a call per vertex from JavaScript cost
 * ten times more), fills it under a transform that scales it to the current view, and strokes
 * every edge from one cached path; panning and zooming reuse the paths, a recolour rebuilds the
 * colour groups only. The colours come from ``style`` (assets/map.js): the layer knows nothing
 * of measures.
 *
 * Pointing and clicking are answered by the map's own mouse events (the layer's canvas sits in a
 * pane under the town outlines and takes no pointer events): a grid is found by its bounding box,
 * then by point-in-polygon. The hovered and the selected grid are outlined on an SVG pane above.
 *
 * It extends L.Canvas for what a renderer already does right: sizing the canvas to the view
 * (retina included), following pans, and scaling during zoom animations. */
(function () {
  const R2D = 180 / Math.PI;
  const MAX_LAT = 85.0511287798;
  // The paths' unit: a pixel at zoom 18 (1/128 px at a city's zoom 11, exact integers in float32).
  const UNIT = Math.pow(2, 18);

  /* Zoom-0 pixel coordinates of [lng, lat] in Web Mercator (what L.CRS.EPSG3857 gives at zoom 0). */
  function mercator(lng, lat, out, o) {
    const la = Math.max(Math.min(lat, MAX_LAT), -MAX_LAT);
    const s = Math.sin(la / R2D);
    out[o] = 256 * (0.5 + lng / 360);
    out[o + 1] = 256 * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI));
  }

  /* The polygons' rings, each polygon's outer ring first. */
  function polygonsOf(geometry) {
    if (!geometry) return [];
    if (geometry.type === "Polygon") return [geometry.coordinates];
    if (geometry.type === "MultiPolygon") return geometry.coordinates;
    return [];
  }

  window.gridscreen = Object.assign({}, window.gridscreen, {
    GridLayer: L.Canvas.extend({
      options: { padding: 0.1, pane: "gsGrids" },

      /* ``fc``: the compact grids (properties c code, n name, i position of its colours), read,
       * projected and written as paths at once (before any map exists: the page may still be
       * booting). ``setStyle(style)`` before it goes on a map: {fill(k) -> colour, alpha(k) -> fill opacity, look: {edge, edgeWeight, selected,
       * selectedWeight}, selected() -> the selected grid or -1, tooltip(k) -> a DOM node,
       * click(k, latlng)}. */
      initialize: function (fc, options) {
        L.Canvas.prototype.initialize.call(this, options);
        const feats = (fc && fc.features) || [];
        const n = feats.length;
        let rings = 0, verts = 0;
        feats.forEach(function (f) {
          polygonsOf(f.geometry).forEach(function (poly) {
            poly.forEach(function (r) { rings += 1; verts += r.length; });
          });
        });
        this.n = n;
        this.props = new Array(n);
        this.index = {};
        this.lnglat = new Float64Array(verts * 2);
        this.ringStart = new Int32Array(rings + 1);
        this.hole = new Uint8Array(rings);
        this.featRing = new Int32Array(n + 1);
        let ri = 0, vi = 0;
        for (let k = 0; k < n; k++) {
          const f = feats[k];
          this.props[k] = f.properties || {};
          this.index[this.props[k].c] = k;
          this.featRing[k] = ri;
          const polys = polygonsOf(f.geometry);
          for (let q = 0; q < polys.length; q++) {
            for (let r = 0; r < polys[q].length; r++) {
              this.hole[ri] = r > 0 ? 1 : 0;
              this.ringStart[ri++] = vi;
              const ring = polys[q][r];
              for (let v = 0; v < ring.length; v++) {
                this.lnglat[2 * vi] = ring[v][0];
                this.lnglat[2 * vi + 1] = ring[v][1];
                vi += 1;
              }
            }
          }
        }
        this.featRing[n] = ri;
        this.ringStart[ri] = vi;
        this.hovered = -1;
        this._project(null);
      },

      setStyle: function (style) {
        this.style = style;
        this.groups = null;
        this.keys = null;
        return this;
      },

      onAdd: function (map) {
        if (!map.getPane(this.options.pane)) {
          const pane = map.createPane(this.options.pane);
          pane.style.zIndex = 390; // under the overlay pane: the town outlines are drawn over the grids
          pane.style.pointerEvents = "none";
        }
        if (!map.getPane("gsMark")) {
          const pane = map.createPane("gsMark");
          pane.style.zIndex = 440; // the hovered and the selected grid, over the towns, under the pulse
          pane.style.pointerEvents = "none";
        }
        if (map.options.crs !== L.CRS.EPSG3857) this._project(map);
        this._marks = L.layerGroup().addTo(map);
        this._markRenderer = L.svg({ pane: "gsMark", padding: 0.3 });
        this._tip = L.tooltip({ sticky: true, className: "grid-tip", direction: "top" });
        map.on({ mousemove: this._onMove, mouseout: this._onOut, click: this._onGridClick }, this);
        this.groups = null;  // the colours may have changed while it was off a map
        L.Canvas.prototype.onAdd.call(this, map);
      },

      onRemove: function (map) {
        map.off({ mousemove: this._onMove, mouseout: this._onOut, click: this._onGridClick }, this);
        map.removeLayer(this._marks);
        map.closeTooltip(this._tip);
        L.Canvas.prototype.onRemove.call(this, map);
      },

      /* Zoom-0 pixels of every vertex, and every grid's box in them (Web Mercator without a map). */
      _project: function (map) {
        const xy = this.xy = new Float64Array(this.lnglat.length);
        const ll = this.lnglat;
        if (!map || map.options.crs === L.CRS.EPSG3857) {
          for (let o = 0; o < ll.length; o += 2) mercator(ll[o], ll[o + 1], xy, o);
        } else {
          for (let o = 0; o < ll.length; o += 2) {
            const p = map.project([ll[o + 1], ll[o]], 0);
            xy[o] = p.x;
            xy[o + 1] = p.y;
          }
        }
        const box = this.box = new Float64Array(this.n * 4);
        for (let k = 0; k < this.n; k++) {
          let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
          const a = this.ringStart[this.featRing[k]], b = this.ringStart[this.featRing[k + 1]];
          for (let v = a; v < b; v++) {
            const x = xy[2 * v], y = xy[2 * v + 1];
            if (x < x0) x0 = x;
            if (x > x1) x1 = x;
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
          }
          box[4 * k] = x0; box[4 * k + 1] = y0; box[4 * k + 2] = x1; box[4 * k + 3] = y1;
        }
        this._paths();
      },

      /* Each grid as SVG path data: integers in UNIT from the layers' top-left corner, relative
       * moves (short to write and to parse), holes wound against their outer ring so that the
       * nonzero rule leaves them empty. And every grid in one Path2D, for the edges. */
      _paths: function () {
        const xy = this.xy, box = this.box;
        let ox = Infinity, oy = Infinity;
        for (let k = 0; k < this.n; k++) {
          if (box[4 * k] < ox) ox = box[4 * k];
          if (box[4 * k + 1] < oy) oy = box[4 * k + 1];
        }
        this.origin = [ox, oy];
        const d = this.d = new Array(this.n);
        for (let k = 0; k < this.n; k++) {
          let str = "";
          let outer = 0;
          for (let r = this.featRing[k]; r < this.featRing[k + 1]; r++) {
            const a = this.ringStart[r], z = this.ringStart[r + 1];
            if (z - a < 3) continue;
            let area = 0;
            for (let i = a, j = z - 1; i < z; j = i++) area += (xy[2 * j] - xy[2 * i]) * (xy[2 * j + 1] + xy[2 * i + 1]);
            if (!this.hole[r]) outer = area;
            const reverse = this.hole[r] && (area > 0) === (outer > 0);
            let px = 0, py = 0;
            for (let t = 0; t < z - a; t++) {
              const v = reverse ? z - 1 - t : a + t;
              const x = Math.round((xy[2 * v] - ox) * UNIT), y = Math.round((xy[2 * v + 1] - oy) * UNIT);
              str += t === 0 ? "M" + x + " " + y + "l" : (x - px) + " " + (y - py) + " ";
              px = x; py = y;
            }
            str += "z";
          }
          d[k] = str;
        }
        this.edges = new Path2D(d.join(""));
        this.groups = null;
      },

      /* The canvas takes no events of its own (see the file's head). */
      _initContainer: function () {
        const c = this._container = document.createElement("canvas");
        this._ctx = c.getContext("2d");
      },
      _destroyContainer: function () {
        L.DomUtil.remove(this._container);
        delete this._ctx;
        delete this._container;
      },

      // L.Canvas draws its layers in these; this renderer has none, only its grids.
      _draw: function () {},
      _redraw: function () {},
      _update: function () {
        if (this._map._animatingZoom && this._bounds) return;
        L.Canvas.prototype._update.call(this);
        this.redraw();
      },

      /* The grids of one fill colour and opacity in one path each. Returns how many grids
       * changed colour or opacity since the last grouping. */
      _group: function () {
        const style = this.style, byKey = new Map(), before = this.keys || [];
        const keys = this.keys = new Array(this.n);
        let changed = 0;
        for (let k = 0; k < this.n; k++) {
          const fill = style.fill(k), alpha = style.alpha(k), key = keys[k] = fill + "|" + alpha;
          if (key !== before[k]) changed += 1;
          let g = byKey.get(key);
          if (!g) byKey.set(key, g = { fill: fill, alpha: alpha, d: [] });
          g.d.push(this.d[k]);
        }
        this.groups = [];
        byKey.forEach(function (g) { this.groups.push({ fill: g.fill, alpha: g.alpha, path: new Path2D(g.d.join("")) }); }, this);
        return changed;
      },

      /* The colours may have changed: regroup and redraw when any grid's did (else only the
       * selected grid's outline may have moved). Returns how many grids changed. */
      recolour: function () {
        const byKey = this.groups;
        const changed = this._group();
        if (changed || !byKey) this.redraw();
        else this._outline();
        return changed;
      },

      /* Paint every grid: each colour group filled, then every edge stroked at once. */
      redraw: function () {
        const map = this._map, ctx = this._ctx, b = this._bounds;
        if (!map || !ctx || !b) return this;
        if (!this.groups) this._group();
        const s = Math.pow(2, map.getZoom()), o = map.getPixelOrigin();
        const m = L.Browser.retina ? 2 : 1, f = s / UNIT;
        ctx.save();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, this._container.width, this._container.height);
        // path unit -> canvas pixels: zoom-0 pixels scaled to this zoom, less the map's origin and the canvas' corner
        ctx.setTransform(m * f, 0, 0, m * f, m * (this.origin[0] * s - o.x - b.min.x), m * (this.origin[1] * s - o.y - b.min.y));
        this.groups.forEach(function (g) {
          ctx.globalAlpha = g.alpha;
          ctx.fillStyle = g.fill;
          ctx.fill(g.path);
        });
        ctx.globalAlpha = 1;
        ctx.strokeStyle = this.style.look.edge;
        ctx.lineWidth = this.style.look.edgeWeight / f;
        ctx.stroke(this.edges);
        ctx.restore();
        this.drawn = (this.drawn || 0) + 1;
        this._outline();
        return this;
      },

      /* The grid under a map point (its index), or -1. */
      gridAt: function (latlng) {
        const p = new Float64Array(2);
        if (this._map.options.crs === L.CRS.EPSG3857) {
          mercator(latlng.lng, latlng.lat, p, 0);
        } else {
          const q = this._map.project(latlng, 0);
          p[0] = q.x; p[1] = q.y;
        }
        const x = p[0], y = p[1], box = this.box, xy = this.xy;
        for (let k = 0; k < this.n; k++) {
          if (x < box[4 * k] || x > box[4 * k + 2] || y < box[4 * k + 1] || y > box[4 * k + 3]) continue;
          let inside = false;
          for (let r = this.featRing[k]; r < this.featRing[k + 1]; r++) {
            const a = this.ringStart[r], z = this.ringStart[r + 1];
            for (let i = a, j = z - 1; i < z; j = i++) {
              const xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
              if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
            }
          }
          if (inside) return k;
        }
        return -1;
      },

      /* The rings of grid ``k`` as Leaflet lat/lngs (for outlines drawn over it). */
      latLngs: function (k) {
        const out = [];
        for (let r = this.featRing[k]; r < this.featRing[k + 1]; r++) {
          const ring = [];
          for (let v = this.ringStart[r]; v < this.ringStart[r + 1]; v++) ring.push([this.lnglat[2 * v + 1], this.lnglat[2 * v]]);
          out.push(ring);
        }
        return out;
      },
      bounds: function (k) {
        return L.latLngBounds(this.latLngs(k).reduce(function (a, r) { return a.concat(r); }, []));
      },

      /* Open grid ``k``'s tooltip (``content(k)``: a DOM node) at ``latlng`` (its centre if none). */
      openTooltip: function (k, latlng) {
        if (!this._map || k < 0) return;
        this._tip.setContent(this.style.tooltip(k));
        this._tip.setLatLng(latlng || this.bounds(k).getCenter());
        if (!this._map.hasLayer(this._tip)) this._map.openTooltip(this._tip);
      },

      _onMove: function (e) {
        const k = this.gridAt(e.latlng);
        if (k !== this.hovered) {
          this.hovered = k;
          this._map.getContainer().style.cursor = k < 0 ? "" : "pointer";
          this._outline();
          if (k < 0) this._map.closeTooltip(this._tip);
        }
        if (k >= 0) this.openTooltip(k, e.latlng);
      },
      _onOut: function () {
        if (this.hovered < 0) return;
        this.hovered = -1;
        this._map.getContainer().style.cursor = "";
        this._map.closeTooltip(this._tip);
        this._outline();
      },
      _onGridClick: function (e) {
        const k = this.gridAt(e.latlng);
        if (k >= 0 && this.style.click) this.style.click(k, e.latlng);
      },

      /* The selected grid (``style.selected()``: its index or -1) and the hovered one, outlined. */
      _outline: function () {
        if (!this._marks) return;
        this._marks.clearLayers();
        const sel = this.style.selected ? this.style.selected() : -1;
        const self = this;
        const look = this.style.look;
        [[sel, look.selectedWeight], [this.hovered, look.hoverWeight]].forEach(function (m) {
          if (m[0] < 0) return;
          self._marks.addLayer(L.polygon(self.latLngs(m[0]), {
            renderer: self._markRenderer, pane: "gsMark", interactive: false, fill: false, color: look.selected, weight: m[1],
          }));
        });
      },
    }),
  });
})();
