/* Drill-down desk pages: map style and event functions (dash-extensions Namespace
 * ("gridscreen", "drill")), the explorer's grid reload (dash_clientside.drill), and in-app
 * navigation for links the grid renders itself. */
window.gridscreen = Object.assign({}, window.gridscreen, {
  drill: {
    STATUS_COLORS: { overdue: "#ff4d4f", open: "#ffb020", closed: "#2ed47a", other: "#94a3b8" },
    pointKind: function (p) {
      if (p.overdue) return "overdue";
      if (["accepted", "dispatched", "in_progress", "disposed"].indexOf(p.status) >= 0) return "open";
      if (p.status === "closed") return "closed";
      return "other";
    },
    /* An area's outline (communities on a town page, the community on its own page). */
    outlineStyle: function () {
      return { fill: false, color: "#9ad0ff", weight: 2.4, opacity: 0.95 };
    },
    /* The grid in focus stands out; its neighbours are context. */
    focusStyle: function (feature, ctx) {
      const h = (ctx && ctx.hideout) || {};
      const on = feature.properties.c === h.focus;
      return on ? { fillColor: "#1b5fb8", fillOpacity: 0.35, color: "#ffe066", weight: 3.5, opacity: 1 }
                : { fillColor: "#3b4a66", fillOpacity: 0.25, color: "#6b86b3", weight: 1, opacity: 0.9 };
    },
    /* The layers bound here, by area code and by case id: a tooltip can be opened by name (tests,
     * and any control that points at a case on the map). */
    bound: { areas: {}, cases: {} },
    nameTooltip: function (feature, layer) {
      const p = feature.properties || {};
      window.gridscreen.drill.bound.areas[p.c] = layer;
      layer.bindTooltip(function () { return window.gridscreen.text.lines([p.n, p.c]); },
                        { sticky: true, className: "grid-tip", direction: "top" });
    },
    eventPoint: function (feature, latlng) {
      const d = window.gridscreen.drill;
      const p = feature.properties || {};
      const kind = d.pointKind(p);
      return L.circleMarker(latlng, {
        radius: p.big ? 11 : (kind === "overdue" ? 8 : 6.5), color: "#06122b", weight: 1.5,
        fillColor: d.STATUS_COLORS[kind], fillOpacity: 0.95,
      });
    },
    eventTooltip: function (feature, layer) {
      const p = feature.properties || {};
      window.gridscreen.drill.bound.cases[p.id] = layer;
      layer.bindTooltip(function () { return window.gridscreen.text.el("span", null, "#" + p.id + " " + (p.title || "")); },
                        { direction: "top", className: "grid-tip" });
    },
    eventClick: function (e, ctx) {
      const f = e.layer && e.layer.feature;
      if (!f) return;
      ctx.setProps({ n_clicks: (ctx.n_clicks || 0) + 1, clickData: { id: f.properties.id } });
    },
  },
});

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  drill: {
    /* A new filter empties the table's block cache and goes back to page 1; a supervision reloads
     * the blocks in place. The rows themselves always come from the server. */
    reloadGrid: function (state, refresh, gridId) {
      const trig = ((window.dash_clientside.callback_context || {}).triggered || []).map(function (t) { return t.prop_id; });
      const newFilter = trig.some(function (p) { return p.indexOf("ex-state") === 0; });
      window.dash_ag_grid.getApiAsync(gridId).then(function (api) {
        // Reloaded rows may shift (new cases arrive on top): never leave a selection that 督办
        // could apply to a case other than the one the officer picked.
        api.deselectAll();
        if (newFilter) {
          api.purgeInfiniteCache();
          api.paginationGoToFirstPage();
        } else {
          api.refreshInfiniteCache();
        }
      });
      return Date.now();
    },
  },
});

/* Links rendered inside the explorer's grid (markdown cells) navigate inside the app, like
 * dcc.Link, instead of reloading the page. */
document.addEventListener("click", function (ev) {
  const a = ev.target.closest && ev.target.closest(".ex-grid a[href^='/']");
  if (!a || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey || ev.button !== 0) return;
  ev.preventDefault();
  window.history.pushState({}, "", a.getAttribute("href"));
  window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
  window.scrollTo(0, 0);
});
