/* Map style and event functions, referenced from Python with dash-extensions' Namespace
 * ("gridscreen", "map"). Geometry never changes after the first load.
 *
 * Colours come in one of two ways, both through ``colours(h)``:
 * - the layer's hideout carries them (the area pages: a hideout change restyles from scratch);
 * - the hideout only names a layer ({layer: id, url, map}) and the colours arrive in a store
 *   whose clientside ``recolour`` keeps them in ``state`` (the big screen). There every grid is
 *   drawn by one canvas layer (assets/gridlayer.js) over the map whose container is ``map``,
 *   from the geometry at ``url``; a recolour is one redraw of it.
 * Values are keyed by grid code (``values``) or aligned with the features' position ``i``
 * (``v``, ``open``: arrays, about 4 bytes a grid). */
window.gridscreen = Object.assign({}, window.gridscreen, {
  map: {
    state: {},   // layer id -> colours applied by recolour
    layers: {},  // layer id -> {area code: Leaflet layer} (the town outlines)
    grids: {},   // layer id -> the canvas layer of every grid (assets/gridlayer.js)
    maps: {},    // map container id -> its Leaflet map (the newest one: a page visited again makes another)
    geometry: {},  // url -> the promise of its GeoJSON (asked once; the page's head may have preloaded it)
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
    // How a grid looks: its edge, its fill's opacity (a grid outside the chosen town is dimmed)
    // and the outline of the selected grid. One place for both the Leaflet and the canvas layers.
    look: { edge: "#06122b", edgeWeight: 0.7, opacity: 0.8, dimmed: 0.15, selected: "#ffffff", selectedWeight: 3.5,
            hoverWeight: 3 },
    fillOpacity: function (h, code) {
      const K = window.gridscreen.map.look;
      return h.town && code.indexOf(h.town) !== 0 ? K.dimmed : K.opacity;
    },
    styleOf: function (feature, h) {
      const M = window.gridscreen.map, K = M.look;
      const code = feature.properties.c;
      const sel = h.selected === code;
      return {
        fillColor: M.fill(M.value(h, feature.properties), h),
        fillOpacity: M.fillOpacity(h, code),
        color: sel ? K.selected : K.edge,
        weight: sel ? K.selectedWeight : K.edgeWeight,
        opacity: 1,
      };
    },
    /* Keep ``data`` as the colours of ``data.layer`` and redraw its grids; the first call also
     * puts the layer on its map (``hideout``: the grid layer's, naming the geometry and the map).
     * Returns what the colours store's follower (MAP_PAINTED) records: the fingerprint, how many
     * grids changed colour and the time it took. */
    recolour: function (data, hideout) {
      const M = window.gridscreen.map;
      if (!data || !data.layer) return window.dash_clientside.no_update;
      const t0 = performance.now();
      performance.mark("gs-recolour-start");
      M.state[data.layer] = data;
      if (hideout && hideout.url) M.mount(data.layer, hideout);
      const g = M.grids[data.layer];
      const changed = g && g._map ? g.recolour() : 0;
      const t1 = performance.now();
      // Mark when the frame after the redraw has been drawn.
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          performance.mark("gs-recolour-end");
          performance.measure("gs-recolour", "gs-recolour-start", "gs-recolour-end");
        });
      });
      return {fp: data.fp || null, changed: changed, ms: Math.round((t1 - t0) * 10) / 10};
    },
    /* Put the canvas layer of every grid of ``layer`` on its map once both have arrived: the
     * geometry (fetched at once; the page's head preloads it) and the Leaflet map (made by
     * dash-leaflet as the page renders; see ``maps``). */
    mount: function (layer, hideout) {
      const M = window.gridscreen.map;
      const url = hideout.url;
      M.prepare(url).then(function (g) {
        if (M.grids[layer] && M.grids[layer] !== g) M.grids[layer].remove();
        if (!g.style) g.setStyle(M.canvasStyle(layer, hideout));
        M.grids[layer] = g;
        M.whenMap(hideout.map, function (map) {
          if (g._map === map) return;
          if (g._map) g.remove();
          map.addLayer(g);
          M.painted(layer, hideout.ready);
        });
      }).catch(function (e) {
        console.warn("the map's grids did not load:", e.message);
        M.ready(hideout.ready, 0);  // the charts need not wait for a map that will not come
      });
    },
    /* The promise of the JSON at ``url``, asked for once (again after a failure). */
    load: function (url) {
      const M = window.gridscreen.map;
      if (!M.geometry[url]) {
        M.geometry[url] = fetch(url).then(function (r) {
          if (!r.ok) throw new Error("geometry " + r.status);
          return r.json();
        });
        M.geometry[url].catch(function () { delete M.geometry[url]; });
      }
      return M.geometry[url];
    },
    /* The promise of the canvas layer of the grids at ``url``, read and projected as they arrive. */
    prepare: function (url) {
      const M = window.gridscreen.map;
      M.prepared = M.prepared || {};
      if (!M.prepared[url]) {
        M.prepared[url] = M.load(url).then(function (fc) { return new window.gridscreen.GridLayer(fc); });
        M.prepared[url].catch(function () { delete M.prepared[url]; });
      }
      return M.prepared[url];
    },
    /* Call ``fn(map)`` with the Leaflet map in the container ``id`` once its view is set. */
    whenMap: function (id, fn) {
      const M = window.gridscreen.map;
      const map = M.maps[id];
      if (map && map.getContainer().isConnected) {
        map.whenReady(function () { fn(map); });
        return;
      }
      (M._waiting = M._waiting || []).push([id, fn]);
    },
    /* How the canvas layer draws grid ``k`` of ``layer``: the colours in ``state``, the town
     * dimmed around, the selected grid outlined; its tooltip; a click selects it. */
    canvasStyle: function (layer, hideout) {
      const M = window.gridscreen.map;
      const props = function (k) { return M.grids[layer].props[k]; };
      const h = function () { return M.state[layer] || {}; };
      return {
        look: M.look,
        fill: function (k) { const c = h(); return M.fill(M.value(c, props(k)), c); },
        alpha: function (k) { return M.fillOpacity(h(), props(k).c); },
        selected: function () {
          const sel = h().selected, i = sel ? M.grids[layer].index[sel] : undefined;
          return i === undefined ? -1 : i;
        },
        tooltip: function (k) { return M.tipContent(hideout, h(), props(k)); },
        click: function (k, latlng) {
          const p = props(k);
          M._clicks = (M._clicks || 0) + 1;
          window.dash_clientside.set_props(layer, {
            n_clicks: M._clicks,
            clickData: { code: p.c, name: p.n, latlng: [latlng.lat, latlng.lng] },
          });
        },
      };
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
     * layer's hideout (``tip``: dashboard/strings.py MAP_TIP); ``h``: the colours. */
    tipContent: function (hideout, h, p) {
      const M = window.gridscreen.map;
      const tip = hideout.tip || h.tip || {};
      return window.gridscreen.text.lines([
        p.n, p.c, (tip.labelled || "{label}: {value}").replace("{label}", h.label || "")
          .replace("{value}", M.label(M.value(h, p), h, tip)),
        (tip.open || "{n}").replace("{n}", String(M.openCount(h, p)))]);
    },
    gridTooltip: function (feature, layer, ctx) {
      const M = window.gridscreen.map;
      const hideout = (ctx && ctx.hideout) || {};
      layer.bindTooltip(function () {
        return M.tipContent(hideout, M.colours(hideout), feature.properties);
      }, { sticky: true, className: "grid-tip", direction: "top" });
    },
    /* Performance marks for the benchmark: "gs-map-painted" once the frame after the grid layer
     * was added (and drawn, synchronously) has been drawn, with the number of grids. */
    painted: function (name, ready) {
      const M = window.gridscreen.map;
      if (M._paintPending) return;
      M._paintPending = true;
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          M._paintPending = false;
          const n = M.grids[name] ? M.grids[name].n : 0;
          performance.mark("gs-map-painted", {detail: {layer: name, grids: n}});
          M.ready(ready, n);
          M.drawPulse();
        });
      });
    },
    /* Tell the store ``id`` that the map has drawn ``n`` grids: the page's charts come in then. */
    ready: function (id, n) {
      if (id && window.dash_clientside && window.dash_clientside.set_props) window.dash_clientside.set_props(id, {data: n});
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
     * pane of their own over the canvas (SVG; the pane pulses as a whole: gridscreen.css); a grid
     * too small to see at this zoom (the dense urban core) gets a ring around it as well. Redrawn
     * on zoom. ``grids``:
     * [code, level, 1 when it has an unacknowledged alert]. */
    drawPulse: function () {
      const M = window.gridscreen.map;
      const data = M.pulseState;
      if (!data) return;
      const g = M.grids[data.layer];
      const map = g ? g._map : null;
      if (!map) return;  // the grids are still loading: painted() calls again
      if (!M.pulseGroup || M.pulseMap !== map) {
        if (!map.getPane("gsPulse")) {
          const pane = map.createPane("gsPulse");
          pane.classList.add("gs-pulse-pane");
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
        const k = M.grids[data.layer].index[g[0]];
        if (k === undefined) return;
        const colour = g[1] === 1 ? "#ff2d2d" : "#ff9a1a";
        const opts = { renderer: M.pulseRenderer, pane: "gsPulse", fill: false, interactive: false, color: colour };
        const rings = M.grids[data.layer].latLngs(k);
        M.pulseGroup.addLayer(L.polygon(rings, Object.assign({ className: "gs-pulse", weight: 3 }, opts)));
        const b = L.latLngBounds(rings[0]);
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
    recolour: function (data, hideout) { return window.gridscreen.map.recolour(data, hideout); },
    pulse: function (data) {
      const M = window.gridscreen.map;
      if (!data || !data.layer) return window.dash_clientside.no_update;
      M.pulseState = data;
      if (!M._paintPending) M.drawPulse();  // else once the grids' first frame is out (painted)
      return { n: (data.grids || []).length };
    },
    fitTo: function (town) {
      const M = window.gridscreen.map;
      M.fitTown = town || null;
      return { town: M.fitTown, fitted: M.fit() };
    },
  },
});

/* The grids' geometry the page's head preloads (callbacks/pages.py ``Page.grids``): read and
 * projected as soon as it arrives, while Dash boots, so the map only has to draw. */
document.querySelectorAll('link[rel="preload"][as="fetch"].gs-grids').forEach(function (link) {
  window.gridscreen.map.prepare(link.getAttribute("href"));
});

/* Every Leaflet map, by its container's id, for the layers that wait for theirs (``whenMap``). */
L.Map.addInitHook(function () {
  const M = window.gridscreen.map;
  const map = this;
  const id = map.getContainer().id;
  if (!id) return;
  M.maps[id] = map;
  const waiting = (M._waiting || []).filter(function (w) { return w[0] === id; });
  M._waiting = (M._waiting || []).filter(function (w) { return w[0] !== id; });
  waiting.forEach(function (w) { map.whenReady(function () { w[1](map); }); });
});
