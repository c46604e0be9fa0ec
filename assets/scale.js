/* Big-screen scaling: the stage is designed at 1920×1080 and scaled uniformly to fit the window,
 * letterboxed (never stretched, never scrolled). Leaflet and plotly both account for CSS scale
 * transforms when mapping the mouse, so clicks and hovers stay exact. */
(function () {
  const W = 1920, H = 1080;
  function fit() {
    const stage = document.querySelector(".stage");
    if (!stage) return;
    const s = Math.min(window.innerWidth / W, window.innerHeight / H);
    stage.style.transform = "scale(" + s + ")";
    stage.style.left = Math.max(0, (window.innerWidth - W * s) / 2) + "px";
    stage.style.top = Math.max(0, (window.innerHeight - H * s) / 2) + "px";
  }
  window.addEventListener("resize", fit);
  new MutationObserver(fit).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", fit);
})();
