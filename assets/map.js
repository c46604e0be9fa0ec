/* Map style and event functions, referenced from Python with dash-extensions' Namespace
 * ("gridscreen", "map"). Geometry never changes after the first load; colours come from the
 * layer's hideout, which the server updates on a refresh. */
window.gridscreen = Object.assign({}, window.gridscreen, {
  map: {
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
    label: function (v, h) {
      if (v === null || v === undefined) return "无数据";
      if (h.mode === "category") return (h.text || {})[String(v)] || String(v);
      if (h.fmt === "rate") return (v * 100).toFixed(1) + "%";
      return String(Math.round(v * 100) / 100);
    },
    gridStyle: function (feature, ctx) {
      const h = (ctx && ctx.hideout) || {};
      const code = feature.properties.c;
      const v = h.values ? h.values[code] : undefined;
      const dim = h.town && code.indexOf(h.town) !== 0;
      const sel = h.selected === code;
      return {
        fillColor: window.gridscreen.map.fill(v, h),
        fillOpacity: dim ? 0.15 : 0.8,
        color: sel ? "#ffffff" : "#06122b",
        weight: sel ? 3.5 : 0.7,
        opacity: 1,
      };
    },
    gridTooltip: function (feature, layer, ctx) {
      layer.bindTooltip(function () {
        const h = (ctx && ctx.hideout) || {};
        const p = feature.properties;
        const v = h.values ? h.values[p.c] : undefined;
        const open = h.open ? (h.open[p.c] || 0) : 0;
        return "<b>" + p.n + "</b><br>" + p.c + "<br>" + (h.label || "") + "：" +
          window.gridscreen.map.label(v, h) + "<br>在办事件：" + open + " 件";
      }, { sticky: true, className: "grid-tip", direction: "top" });
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
        icon: L.divIcon({ className: "town-label", html: "<span>" + feature.properties.n + "</span>", iconSize: null }),
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
