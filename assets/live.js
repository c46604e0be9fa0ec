/* Live polling and the clock. The poller asks the server for the data version on every tick and
 * writes the live state only when the data changed, the clock tick rolled over (time-based figures
 * such as overdue and online rate), or the connection was lost or recovered. Server callbacks hang
 * off that state, so nothing is recomputed or redrawn while nothing changes. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  gridscreen: {
    poll: async function (n, prev, config) {
      const nu = window.dash_clientside.no_update;
      const tickMs = ((config && config.tick_seconds) || 60) * 1000;
      try {
        const r = await fetch("/api/v1/version", { cache: "no-store", credentials: "same-origin" });
        if (r.status === 401) {
          // The login ended (expired, revoked, password changed): go to the login page and back
          window.location.assign("/login?ended=1&next=" + encodeURIComponent(window.location.pathname + window.location.search));
          return nu;
        }
        if (!r.ok) throw new Error("HTTP " + r.status);
        const j = await r.json();
        const late = j.late_sources || [];  // sources not synced within the threshold: the banner names them
        const key = JSON.stringify(j.version) + "|" + Math.floor(Date.now() / tickMs) + "|" + late.map((x) => x.name).join(",");
        if (prev && prev.key === key && !prev.stale) return nu;
        return { key: key, stale: false, changed_at: j.changed_at, now: j.now, seen: Date.now(), late: late };
      } catch (e) {
        if (prev && prev.stale) return nu;
        return Object.assign({}, prev || {}, { stale: true, lost: Date.now() });
      }
    },
    /* The slow signal for the costly charts: it follows the live state, but at most every
     * config.chart_ms; the interval's ticks let it catch up once that time has passed. */
    slow: function (live, n, prev, config) {
      const nu = window.dash_clientside.no_update;
      if (!live || live.stale) return nu;
      if (prev && prev.key === live.key) return nu;
      const ms = (config && config.chart_ms) || 5000;
      if (prev && Date.now() - prev.at < ms) return nu;
      return { key: live.key, at: Date.now() };
    },
    /* The big screen's live dot: grey while the data is stale. */
    liveDot: function (live) {
      return live && live.stale ? "live-dot stale" : "live-dot";
    },
    /* The custom range's date pickers show only for 自定义. */
    customDatesHidden: function (range) {
      return range !== "custom";
    },
    banner: function (live, config) {
      if (!live) return ["", true];
      if (live.stale) {
        const t = live.seen ? new Date(live.seen) : null;
        const text = (config && config.stale_text) || "{time}";
        return [text.replace("{time}", t ? window.gridscreenFormatTime(t) : "—"), false];
      }
      if (live.late && live.late.length) {
        // The oldest last success among the late sources: their data is as of then.
        const since = live.late.map((x) => x.since).filter(Boolean).sort()[0];
        const names = live.late.map((x) => x.name).join((config && config.list_sep) || ", ");
        if (!since) return [((config && config.late_never) || "{names}").replace("{names}", names), false];
        const text = (config && config.late_text) || "{names} {time}";
        return [text.replace("{names}", names).replace("{time}", window.gridscreenFormatTime(new Date(since), true)), false];
      }
      return ["", true];
    },
  },
});

window.gridscreenFormatTime = function (d, withDate) {
  const opts = { timeZone: "Asia/Shanghai", hour12: false, hour: "2-digit", minute: "2-digit", second: "2-digit" };
  if (withDate) Object.assign(opts, { year: "numeric", month: "2-digit", day: "2-digit", weekday: "short" });
  return new Intl.DateTimeFormat("zh-CN", opts).format(d);
};

/* The header clock ticks in the browser: no server round trip for the time of day. */
(function () {
  function tick() {
    const el = document.getElementById("bs-clock");
    if (el) {
      const cfg = el.getAttribute("data-frozen");
      const d = cfg ? new Date(cfg) : new Date();
      el.textContent = window.gridscreenFormatTime(d, true);
    }
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
})();
