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
      // pointer over its whole area, and whichever layer loaded last is on top.
      return { fill: false, interactive: false, color: on ? "#ffe066" : "#9ad0ff", weight: on ? 4 : 2.2, opacity: 0.95 };
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
  },
});
