/* Big-screen scaling: the stage is designed for two wall shapes and scaled uniformly to fit the
 * window, letterboxed (never stretched, never scrolled): 16:9 walls (1920×1080, 3840×2160) get the
 * 1920×1080 stage; strips at least STRIP_ASPECT wide (32:9, 3840×1080) get a 3840×1080 stage of
 * their own (class "strip": the columns laid side by side, assets/gridscreen.css) so the whole
 * wall is used. Leaflet and plotly both account for CSS scale transforms when mapping the mouse,
 * so clicks and hovers stay exact. */
(function () {
  const H = 1080, WIDE = 1920, STRIP = 3840, STRIP_ASPECT = 2.6;
  function fit() {
    const stage = document.querySelector(".stage");
    if (!stage) return;
    const strip = window.innerWidth / window.innerHeight >= STRIP_ASPECT;
    const W = strip ? STRIP : WIDE;
    if (stage.classList.contains("strip") !== strip) {
      stage.classList.toggle("strip", strip);
      // charts and the map size themselves on window resizes: tell them the stage changed shape
      window.setTimeout(() => window.dispatchEvent(new Event("resize")), 0);
    }
    const s = Math.min(window.innerWidth / W, window.innerHeight / H);
    stage.style.transform = "scale(" + s + ")";
    stage.style.left = Math.max(0, (window.innerWidth - W * s) / 2) + "px";
    stage.style.top = Math.max(0, (window.innerHeight - H * s) / 2) + "px";
  }
  window.addEventListener("resize", fit);
  new MutationObserver(fit).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", fit);
})();
