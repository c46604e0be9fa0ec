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

/* Paged lists (the warning board, the feed): ``ul.pager`` shows as many whole rows as its box
 * holds and turns to the next page every ``data-seconds`` — never a half-cut row, never a scroll.
 * A new first row (a new report) brings the list back to its first page at once. The page is
 * written to the ``[data-pager=<list id>]`` label ("2/3"). Sizes are layout pixels (the stage's
 * scaling does not change them). */
(function () {
  const state = new WeakMap();

  function layout(list, now) {
    const st = state.get(list) || { start: 0, turned: now, first: null };
    const items = Array.prototype.slice.call(list.children);
    const seconds = parseFloat(list.getAttribute("data-seconds") || "8");
    const first = items.length ? (items[0].getAttribute("data-key") || items[0].textContent) : null;
    if (first !== st.first) { st.first = first; st.start = 0; st.turned = now; }
    items.forEach(function (li) { li.classList.remove("off"); });
    const room = list.clientHeight;
    const heights = items.map(function (li) { return li.offsetHeight; });
    const pages = [];  // the first row of each page
    let i = 0;
    while (i < items.length) {
      pages.push(i);
      let used = 0;
      let j = i;
      while (j < items.length && (j === i || used + heights[j] <= room)) { used += heights[j]; j += 1; }
      i = j;
    }
    let page = Math.max(0, pages.lastIndexOf(pages.filter(function (p) { return p <= st.start; }).pop()));
    if (now - st.turned >= seconds * 1000 && pages.length > 1) { page = (page + 1) % pages.length; st.turned = now; }
    st.start = pages[page] || 0;
    const end = page + 1 < pages.length ? pages[page + 1] : items.length;
    items.forEach(function (li, k) { if (k < st.start || k >= end) li.classList.add("off"); });
    state.set(list, st);
    const label = list.id && document.querySelector('[data-pager="' + list.id + '"]');
    if (label) label.textContent = pages.length > 1 ? (page + 1) + "/" + pages.length : "";
  }

  function tick() {
    const now = Date.now();
    document.querySelectorAll("ul.pager").forEach(function (list) { layout(list, now); });
  }
  window.gridscreenPager = { tick: tick };
  setInterval(tick, 1000);
  // Lay new rows out at once rather than at the next second.
  new MutationObserver(function (records) {
    if (records.some(function (r) { return r.target.closest && r.target.closest("ul.pager, .board, .feed"); })) tick();
  }).observe(document.documentElement, { childList: true, subtree: true });
})();

/* The alert sound: while the banner stands (an unacknowledged alert) and the switch is on, a short
 * two-tone beep every few seconds, generated with WebAudio (nothing is downloaded). Browsers only
 * let a page play sound after a click on it: switching the sound on is that click (a wall screen
 * started in kiosk mode may allow autoplay: --autoplay-policy=no-user-gesture-required). */
(function () {
  let ctx = null;
  function audio() {
    const AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) return null;
    if (!ctx) ctx = new AC();
    if (ctx.state === "suspended") ctx.resume();
    return ctx;
  }
  function on() {
    const box = document.querySelector("#bs-alert-sound input[type=checkbox]");
    return !!(box && box.checked);
  }
  function beep() {
    const a = audio();
    if (!a || a.state !== "running") return;
    [880, 660].forEach(function (f, k) {
      const o = a.createOscillator();
      const g = a.createGain();
      const t = a.currentTime + k * 0.28;
      o.type = "square";
      o.frequency.value = f;
      g.gain.setValueAtTime(0.0001, t);
      g.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, t + 0.25);
      o.connect(g).connect(a.destination);
      o.start(t);
      o.stop(t + 0.26);
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target && e.target.closest && e.target.closest("#bs-alert-sound") && on()) audio();
  });
  setInterval(function () {
    if (on() && document.querySelector("#bs-alert-banner.on")) beep();
  }, 4000);
})();
