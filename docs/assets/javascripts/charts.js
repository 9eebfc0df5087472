/* Static-first charts. Each chart shows its build-time SVG at once; plotly.js (the site's own partial
   bundle, ~400 KB gzip and seconds of main-thread work on a phone) is fetched only when a reader reaches
   for a chart: a mouse over it, a tap or click in it, keyboard focus on its "Interactive chart" button.
   Seeing a chart is not enough: loading on sight blocked every chart page while it was being read.
   The figure JSON is then drawn into the same box, so nothing shifts. Charts follow Material's palette
   toggle (or the system scheme on standalone pages). */
(function () {
  "use strict";

  var plotlyLoading = null;
  var live = [];

  function loadPlotly(src) {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyLoading) {
      plotlyLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () { plotlyLoading = null; reject(new Error("plotly.js did not load")); };
        document.head.appendChild(script);
      });
    }
    return plotlyLoading;
  }

  function scheme() {
    var palette = document.body && document.body.getAttribute("data-md-color-scheme");
    if (palette) return palette === "slate" ? "dark" : "light";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  function theme(frame) {
    return JSON.parse(frame.getAttribute("data-themes"))[scheme()];
  }

  function openRelease(frame, point) {
    var id = Array.isArray(point.customdata) ? point.customdata[0] : point.customdata;
    if (!id || typeof id !== "string") return;
    var url = frame.getAttribute("data-link").replace("{id}", encodeURIComponent(id));
    if (window.self !== window.top) window.open(url, "_blank", "noopener");
    else window.location.href = url;
  }

  function activate(frame) {
    if (frame.getAttribute("data-state")) return;
    frame.setAttribute("data-state", "loading");
    var plot = frame.querySelector(".ql-chart__plot");
    Promise.all([
      loadPlotly(frame.getAttribute("data-plotly")),
      fetch(frame.getAttribute("data-figure")).then(function (r) {
        if (!r.ok) throw new Error("figure " + r.status);
        return r.json();
      })
    ]).then(function (results) {
      var Plotly = results[0], figure = results[1];
      var layout = Object.assign({}, figure.layout, { autosize: true, height: frame.clientHeight, width: undefined });
      return Plotly.newPlot(plot, figure.data, layout, {
        responsive: true, displaylogo: false,
        modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
        toImageButtonOptions: { filename: frame.getAttribute("data-ql-chart") }
      }).then(function () {
        return Plotly.relayout(plot, theme(frame));
      }).then(function () {
        plot.on("plotly_click", function (event) { if (event.points && event.points[0]) openRelease(frame, event.points[0]); });
        plot.removeAttribute("aria-hidden");
        settle(frame, "interactive");
        live.push(frame);
      });
    }).catch(function (error) {
      settle(frame, "failed");
      if (window.console) console.warn("Chart stays static:", error.message);
    });
  }

  // The button hides once the chart is live (or stays static); keep keyboard focus in the chart's box.
  function settle(frame, state) {
    var hadFocus = frame.contains(document.activeElement);
    frame.setAttribute("data-state", state);
    if (hadFocus) { frame.setAttribute("tabindex", "-1"); frame.focus(); }
  }

  function retheme() {
    live.forEach(function (frame) {
      if (window.Plotly) window.Plotly.relayout(frame.querySelector(".ql-chart__plot"), theme(frame));
    });
  }

  function setUp() {
    document.querySelectorAll(".ql-chart__frame").forEach(function (frame) {
      // A mouse passing over the chart is intent; a finger that only scrolls the page across it is not,
      // so touch waits for a tap (click). Focus comes from the button, the keyboard's way in.
      var start = function (event) {
        if (event.type === "pointerenter" && event.pointerType === "touch") return;
        activate(frame);
      };
      ["pointerenter", "click", "focusin"].forEach(function (name) { frame.addEventListener(name, start); });
      var button = frame.querySelector(".ql-chart__live");
      if (button) button.hidden = false;
    });
    document.querySelectorAll("[data-ql-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = document.getElementById(button.getAttribute("data-ql-copy")).textContent;
        var done = function () { button.textContent = "Copied"; window.setTimeout(function () { button.textContent = "Copy"; }, 1500); };
        if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback); else fallback();
        function fallback() {
          var area = document.createElement("textarea");
          area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
          document.body.appendChild(area); area.select();
          try { document.execCommand("copy"); done(); } finally { document.body.removeChild(area); }
        }
      });
    });
    document.querySelectorAll("details").forEach(function (details) {
      details.addEventListener("toggle", function () {
        if (window.Plotly) details.querySelectorAll(".ql-chart__plot").forEach(function (p) { window.Plotly.Plots.resize(p); });
      });
    });
  }

  new MutationObserver(retheme).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  if (window.matchMedia) {
    var query = window.matchMedia("(prefers-color-scheme: dark)");
    if (query.addEventListener) query.addEventListener("change", retheme);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
