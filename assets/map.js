/* Map style and event functions, referenced from Python with dash-extensions' Namespace
 * ("gridscreen", "map"). Geometry never changes after the first load.
 *
 * Colours come in one of two ways, both through ``colours(h)``:
 * - the layer's hideout carries them (the area pages: a hideout change restyles from scratch);
 * - the hideout only names a layer ({layer: id}) and the colours arrive in a store that the
 *   clientside ``recolour`` applies to the existing Leaflet layers in place (the big screen:
 *   a hideout change would rebuild all 19,000 polygons; setStyle on the changed ones
 *   costs a fraction of that). Layers created later (geometry still loading, a hover reset)
 *   read the same state, so both paths give every grid the same colour.
 * Values are keyed by grid code (``values``) or aligned with the features' position ``i``
 * (``v``, ``open``: arrays, about 4 bytes a grid). */
window.gridscreen = Object.assign({}, window.gridscreen, {
  map: {
    state: {},   // layer id -> colours applied by recolour
    layers: {},  // layer id -> {grid code: Leaflet layer}
    colours: function (h) {
      h = h || {};
      if (h.v || h.values) return h;
      return (h.layer && window.gridscreen.map.state[h.layer]) || h;
    },
    value: function (h, p) {
      if (h.v) return p.i === undefined ? undefined : h.v[p.i];
      return h.values ? h.values[p.c] : undefined;
    },
    openCount: function (h, p) {
      if (Array.isArray(h.open)) return p.i === undefined ? 0 : (h.open[p.i] || 0);
      return h.open ? (h.open[p.c] || 0) : 0;
    },
    styleOf: function (feature, h) {
      const M = window.gridscreen.map;
      const code = feature.properties.c;
      const v = M.value(h, feature.properties);
      const dim = h.town && code.indexOf(h.town) !== 0;
      const sel = h.selected === code;
      return {
        fillColor: M.fill(v, h),
        fillOpacity: dim ? 0.15 : 0.8,
        color: sel ? "#ffffff" : "#06122b",
        weight: sel ? 3.5 : 0.7,
        opacity: 1,
      };
    },
    /* Apply ``data`` to the layers of ``data.layer`` that differ from it; returns what the
     * colours store's follower (MAP_PAINTED) records: the fingerprint and the time it took. */
    recolour: function (data) {
      const M = window.gridscreen.map;
      if (!data || !data.layer) return window.dash_clientside.no_update;
      const t0 = performance.now();
      performance.mark("gs-recolour-start");
      M.state[data.layer] = data;
      const reg = M.layers[data.layer] || {};
      let changed = 0;
      for (const code in reg) {
        const layer = reg[code];
        const s = M.styleOf(layer.feature, data);
        const o = layer.options;
        if (o.fillColor !== s.fillColor || o.fillOpacity !== s.fillOpacity || o.color !== s.color || o.weight !== s.weight) {
          layer.setStyle(s);
          changed += 1;
        }
      }
      const t1 = performance.now();
      // The canvas redraws on the next animation frame: mark when that frame has been drawn.
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          performance.mark("gs-recolour-end");
          performance.measure("gs-recolour", "gs-recolour-start", "gs-recolour-end");
        });
      });
      return {fp: data.fp || null, changed: changed, ms: Math.round((t1 - t0) * 10) / 10};
    },
    fill: function (v, h) {
      const none = h.no_data || "#3b4a66";
      if (v === null || v === undefined) return none;
      if (h.mode === "category") return (h.colors || {})[String(v)] || none;
      if (v === 0 && h.zero_color) return h.zero_color;
      const b = h.breaks || [];
      let i = b.findIndex(function (x) { return v <= x; });
      if (i < 0) i = b.length - 1;
      return (h.colors || [])[i] || none;
    },
    label: function (v, h, tip) {
      if (v === null || v === undefined) return (tip && tip.no_data) || "—";
      if (h.mode === "category") return (h.text || {})[String(v)] || String(v);
      if (h.fmt === "rate") return (v * 100).toFixed(1) + "%";
      return String(Math.round(v * 100) / 100);
    },
    gridStyle: function (feature, ctx) {
      const M = window.gridscreen.map;
      return M.styleOf(feature, M.colours(ctx && ctx.hideout));
    },
    /* The grid's name, code, the measure's value and its open cases. Built from text nodes
     * (window.gridscreen.text): names come from imports, never markup. The words come from the
     * layer's hideout (``tip``: dashboard/strings.py MAP_TIP). */
    gridTooltip: function (feature, layer, ctx) {
      const M = window.gridscreen.map;
      const T = window.gridscreen.text;
      const hideout = (ctx && ctx.hideout) || {};
      if (hideout.layer) {  // remember the layer so recolour can restyle it in place
        (M.layers[hideout.layer] = M.layers[hideout.layer] || {})[feature.properties.c] = layer;
        M.painted(hideout.layer);
      }
      layer.bindTooltip(function () {
        const h = M.colours(hideout);
        const tip = hideout.tip || h.tip || {};
        const p = feature.properties;
        return T.lines([p.n, p.c, (tip.labelled || "{label}: {value}").replace("{label}", h.label || "")
                          .replace("{value}", M.label(M.value(h, p), h, tip)),
                        (tip.open || "{n}").replace("{n}", String(M.openCount(h, p)))]);
      }, { sticky: true, className: "grid-tip", direction: "top" });
    },
    /* Performance marks for the benchmark: "gs-map-painted" once the frame after the last grid
     * layer was added has been drawn (layers are added synchronously, so one frame later). */
    painted: function (name) {
      const M = window.gridscreen.map;
      if (M._paintPending) return;
      M._paintPending = true;
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          M._paintPending = false;
          const n = Object.keys(M.layers[name] || {}).length;
          M.drawPulse();
          performance.mark("gs-map-painted", {detail: {layer: name, grids: n}});
        });
      });
    },
    gridClick: function (e, ctx) {
      const f = e.layer && e.layer.feature;
      if (!f) return;
      ctx.setProps({
        n_clicks: (ctx.n_clicks || 0) + 1,
        clickData: { code: f.properties.c, name: f.properties.n, latlng: [e.latlng.lat, e.latlng.lng] },
      });
    },
    townStyle: function (feature, ctx) {
      const h = (ctx && ctx.hideout) || {};
      const on = h.town === feature.properties.c;
      // interactive:false here too: on the shared canvas a path without fill still catches the
      // pointer over its whole area, and whichever layer loaded last is on top. Thick and light:
      // the towns read at county scale over the dark grids.
      return { fill: false, interactive: false, color: on ? "#ffe066" : "#d6ebff", weight: on ? 5 : 3.4, opacity: 0.95 };
    },
    /* The town layers, remembered by code so the map can fit the county or a chosen town. */
    townLayer: function (feature, layer, ctx) {
      const M = window.gridscreen.map;
      const name = ((ctx && ctx.hideout) || {}).layer;
      if (!name) return;
      M.townLayerName = name;
      (M.layers[name] = M.layers[name] || {})[feature.properties.c] = layer;
      if (M._fitPending) return;
      M._fitPending = true;
      requestAnimationFrame(function () { M._fitPending = false; M.fit(); });
    },
    /* Fit the county (every town) or the chosen town to the map's panel. */
    fit: function () {
      const M = window.gridscreen.map;
      const reg = M.layers[M.townLayerName] || {};
      const codes = Object.keys(reg);
      const map = codes.length ? reg[codes[0]]._map : null;
      if (!map) return false;
      let b = null;
      const chosen = M.fitTown && reg[M.fitTown];
      (chosen ? [M.fitTown] : codes).forEach(function (c) {
        const lb = reg[c].getBounds();
        b = b ? b.extend(lb) : L.latLngBounds(lb.getSouthWest(), lb.getNorthEast());
      });
      if (!b || !b.isValid()) return false;
      map.invalidateSize(false);
      map.fitBounds(b, { padding: [10, 10], animate: false });
      M.drawPulse();
      return true;
    },
    /* The pulsing outlines: the grids at Ⅰ/Ⅱ and those with an unacknowledged alert, drawn on a
     * pane of their own (SVG, so CSS animates them) over the canvas; a grid too small to see at
     * this zoom (the dense urban core) gets a ring around it as well. Redrawn on zoom. ``grids``:
     * [code, level, 1 when it has an unacknowledged alert]. */
    drawPulse: function () {
      const M = window.gridscreen.map;
      const data = M.pulseState;
      if (!data) return;
      const reg = M.layers[data.layer] || {};
      const first = Object.keys(reg)[0];
      const map = first ? reg[first]._map : null;
      if (!map) return;  // the grids are still loading: gridTooltip's painted() calls again
      if (!M.pulseGroup || M.pulseMap !== map) {
        if (!map.getPane("gsPulse")) {
          const pane = map.createPane("gsPulse");
          pane.style.zIndex = 450;
          pane.style.pointerEvents = "none";
        }
        M.pulseRenderer = L.svg({ pane: "gsPulse", padding: 0.3 });
        M.pulseGroup = L.layerGroup().addTo(map);
        M.pulseMap = map;
        map.on("zoomend", M.drawPulse);
      }
      M.pulseGroup.clearLayers();
      (data.grids || []).forEach(function (g) {
        const layer = reg[g[0]];
        if (!layer) return;
        const colour = g[1] === 1 ? "#ff2d2d" : "#ff9a1a";
        const opts = { renderer: M.pulseRenderer, pane: "gsPulse", fill: false, interactive: false, color: colour };
        M.pulseGroup.addLayer(L.polygon(layer.getLatLngs(), Object.assign({ className: "gs-pulse", weight: 3 }, opts)));
        const b = layer.getBounds();
        const a = map.latLngToLayerPoint(b.getNorthWest());
        const z = map.latLngToLayerPoint(b.getSouthEast());
        const size = Math.max(Math.abs(z.x - a.x), Math.abs(z.y - a.y));
        if (size < 28) {
          M.pulseGroup.addLayer(L.circleMarker(b.getCenter(), Object.assign(
            { className: "gs-pulse-ring", weight: g[2] ? 4 : 3, radius: 20 }, opts)));
        }
      });
    },
    townLabel: function (feature, latlng) {
      return L.marker(latlng, {
        icon: L.divIcon({ className: "town-label", html: window.gridscreen.text.el("span", null, feature.properties.n),
                          iconSize: null }),
        interactive: false,
        keyboard: false,
      });
    },
    heatStyle: function (feature) {
      const s = feature.properties.share || 0;
      const stops = ["#ffe08a", "#ffb020", "#ff6b2d", "#e02424"];
      return { fillColor: stops[Math.min(3, Math.floor(s * 4))], fillOpacity: 0.3 + 0.55 * s, color: "#ffffff", weight: 0.4,
               opacity: 0.35, interactive: false };
    },
  },
});

/* The clientside callback behind the big screen's colours store. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  gridscreen_map: {
    recolour: function (data) { return window.gridscreen.map.recolour(data); },
    pulse: function (data) {
      const M = window.gridscreen.map;
      if (!data || !data.layer) return window.dash_clientside.no_update;
      M.pulseState = data;
      M.drawPulse();
      return { n: (data.grids || []).length };
    },
    fitTo: function (town) {
      const M = window.gridscreen.map;
      M.fitTown = town || null;
      return { town: M.fitTown, fitted: M.fit() };
    },
  },
});
