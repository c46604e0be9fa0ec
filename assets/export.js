/* Chart downloads at print scale, in the browser: panel buttons with data-graph/data-format. The
 * page's own fonts (Noto Sans CJK) render the Chinese text. */
document.addEventListener("click", function (ev) {
  const btn = ev.target.closest && ev.target.closest("button[data-graph]");
  if (!btn || !window.Plotly) return;
  const host = document.getElementById(btn.getAttribute("data-graph"));
  const gd = host && (host.classList.contains("js-plotly-plot") ? host : host.querySelector(".js-plotly-plot"));
  if (!gd) return;
  const stamp = new Date().toISOString().slice(0, 10);
  window.Plotly.downloadImage(gd, {
    format: btn.getAttribute("data-format") || "png",
    scale: 3,
    filename: (btn.getAttribute("data-title") || "chart") + "-" + stamp,
  });
});
