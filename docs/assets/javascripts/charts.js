/* Static-first charts. Each chart shows its build-time SVG at once; plotly.js (the site's own partial
   bundle, ~400 KB gzip and seconds of main-thread work on a phone) is fetched only when a reader reaches
   for a chart: a mouse over it, a tap or click in it, keyboard focus on its "Interactive chart" button.
   Seeing a chart is not enough: loading on sight blocked every chart page while it was being read.
   The figure JSON is then drawn into the same box, so nothing shifts. Charts follow Material's palette
   toggle (or the system scheme on standalone pages).

   The filter hook: a chart can follow a table's filter. Whoever filters (tables.js, for the timeline's table)
   dispatches a bubbling "ql-filter" CustomEvent on the chart's .ql-chart__frame, with detail {ids: [release
   ids], total: <releases in all>} to show only the points whose customdata is one of them, or {ids: null} to
   show every point again. A filter never loads plotly.js by itself: a static chart stays static until a reader
   reaches for it, and a note under it says how many releases the filter keeps and that the chart follows once
   interactive. The filter is applied once plotly.js has drawn the chart, by restyling each trace to its
   matching points, so hover and click-to-open keep working. */
(function () {
  "use strict";

  var plotlyLoading = null;
  var live = [];
  var filters = new WeakMap();  // frame -> {ids, total, base: the traces as drawn, callouts, busy, again}

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
      // A chart with a size of its own (the lineage) keeps it and scrolls in its frame; the others fill the frame.
      var sized = !!figure.layout.width;
      var layout = Object.assign({}, figure.layout, sized ? {} : { autosize: true, height: frame.clientHeight, width: undefined });
      layout.annotations = forWidth(figure.layout.annotations);
      return Plotly.newPlot(plot, figure.data, layout, {
        responsive: !sized, displaylogo: false,
        modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
        toImageButtonOptions: { filename: frame.getAttribute("data-ql-chart") }
      }).then(function () {
        return Plotly.relayout(plot, theme(frame));
      }).then(function () {
        plot.on("plotly_click", function (event) { if (event.points && event.points[0]) openRelease(frame, event.points[0]); });
        plot.removeAttribute("aria-hidden");
        settle(frame, "interactive");
        live.push(frame);
        filterChart(frame);
      });
    }).catch(function (error) {
      settle(frame, "failed");
      if (window.console) console.warn("Chart stays static:", error.message);
    });
  }

  // On a phone (the width at which the page shows the narrow image) the callouts placed for a phone's plot
  // (named "narrow") stand in for the page's ("key" and "detail"), as in the image; see macros/figures.py place.
  function forWidth(annotations) {
    if (!Array.isArray(annotations) || !annotations.some(function (a) { return a.name === "narrow"; })) return annotations;
    var phone = window.matchMedia && window.matchMedia("(max-width: 600px)").matches;
    return annotations.map(function (a) {
      return Object.assign({}, a, { visible: (a.name === "narrow") === phone });
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

  // ---- the filter hook (see the top of this file)

  function releaseId(value) {
    return Array.isArray(value) ? value[0] : value;
  }

  // Each trace with release ids in its customdata, and its per-point arrays (x, y, hovertext, marker.size …) as
  // first drawn: every filter is cut from these.
  function snapshot(plot) {
    var traces = [];
    plot.data.forEach(function (trace, index) {
      if (!Array.isArray(trace.customdata)) return;
      var n = trace.customdata.length, columns = {};
      var collect = function (object, prefix) {
        Object.keys(object || {}).forEach(function (key) {
          var value = object[key];
          if (key.charAt(0) !== "_" && Array.isArray(value) && value.length === n) columns[prefix + key] = value.slice();
        });
      };
      collect(trace, "");
      collect(trace.marker, "marker.");
      traces.push({ index: index, ids: trace.customdata.map(releaseId), columns: columns });
    });
    return traces;
  }

  function restyle(plot, traces, keep) {
    return traces.reduce(function (chain, trace) {
      return chain.then(function () {
        var update = {};
        Object.keys(trace.columns).forEach(function (key) {
          var column = trace.columns[key];
          update[key] = [keep ? column.filter(function (value, i) { return keep.has(trace.ids[i]); }) : column.slice()];
        });
        return window.Plotly.restyle(plot, update, [trace.index]);
      });
    }, Promise.resolve());
  }

  // The callouts that point at one release (an annotation at a point's x and y: "Flagship: Qwen3-…"), with the
  // ids of the points they point at and whether each showed as first drawn. Their y is a category's label or
  // its index in the axis's categoryarray.
  function callouts(plot, traces) {
    var layout = plot.layout || {};
    var categories = (layout.yaxis && layout.yaxis.categoryarray) || [];
    var out = [];
    (layout.annotations || []).forEach(function (note, index) {
      if (!note || !note.showarrow || (note.xref && note.xref !== "x") || (note.yref && note.yref !== "y")) return;
      var label = typeof note.y === "number" && categories[note.y] !== undefined ? categories[note.y] : note.y;
      var ids = [];
      traces.forEach(function (trace) {
        var xs = trace.columns.x, ys = trace.columns.y;
        if (!xs || !ys) return;
        trace.ids.forEach(function (id, k) { if (xs[k] === note.x && (ys[k] === label || ys[k] === note.y)) ids.push(id); });
      });
      if (ids.length) out.push({ index: index, ids: ids, visible: note.visible !== false });
    });
    return out;
  }

  // A callout shows while a release it points at does: one pointing at a filtered-out release would point at nothing.
  // Callouts are hidden before the points go (`hideOnly`), and shown after they come back: a callout whose
  // category has no point left cannot be placed, and plotly.js would draw it at NaN.
  function showCallouts(plot, state, keep, hideOnly) {
    var update = {};
    state.callouts.forEach(function (c) {
      var shown = c.visible && (!keep || c.ids.some(function (id) { return keep.has(id); }));
      if (hideOnly && shown) return;
      if ((plot.layout.annotations[c.index] || {}).visible !== false !== shown) update["annotations[" + c.index + "].visible"] = shown;
    });
    return Object.keys(update).length ? window.Plotly.relayout(plot, update) : null;
  }

  // With no point left, the axes would fall back to meaningless ranges: hide them and say why instead.
  function markEmpty(plot, state, empty) {
    if (empty === !!state.empty) return null;
    var update = {};
    if (empty) {
      state.note = (plot.layout.annotations || []).length;
      state.axes = {};
      ["xaxis", "yaxis"].forEach(function (axis) {
        state.axes[axis + ".visible"] = plot.layout[axis] && plot.layout[axis].visible !== undefined ? plot.layout[axis].visible : null;
        update[axis + ".visible"] = false;
      });
      update["annotations[" + state.note + "]"] = {
        text: "No release matches the filter", showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5, font: { size: 16 }
      };
    } else {
      update = state.axes;
      update["annotations[" + state.note + "]"] = null;
    }
    state.empty = empty;
    return window.Plotly.relayout(plot, update);
  }

  // Apply a frame's latest filter to its live plot, one restyle at a time: a filter that changes meanwhile is
  // applied after the one under way.
  function filterChart(frame) {
    var state = filters.get(frame);
    if (!state || frame.getAttribute("data-state") !== "interactive" || !window.Plotly) return;
    filterNote(frame, state);
    if (state.busy) { state.again = true; return; }
    var plot = frame.querySelector(".ql-chart__plot");
    if (!state.base) {
      if (!state.ids) return;  // never filtered: every point already shows
      state.base = snapshot(plot);
      state.callouts = callouts(plot, state.base);
    }
    state.busy = true;
    state.again = false;
    var keep = state.ids ? new Set(state.ids) : null;
    Promise.resolve(showCallouts(plot, state, keep, true)).then(function () {
      return restyle(plot, state.base, keep);
    }).then(function () {
      return showCallouts(plot, state, keep, false);
    }).then(function () {
      return markEmpty(plot, state, !!keep && !state.base.some(function (t) { return t.ids.some(function (id) { return keep.has(id); }); }));
    }).catch(function (error) {
      if (window.console) console.warn("Chart filter not applied:", error && error.message);
    }).then(function () {
      state.busy = false;
      if (state.again) filterChart(frame);
    });
  }

  // The line under a filtered chart: how many releases the filter keeps, and whether the chart shows just those
  // yet (a static image cannot be filtered). Text only, through textContent; hidden while nothing is filtered.
  function filterNote(frame, state) {
    var note = frame.nextElementSibling;
    if (!note || !note.classList.contains("ql-chart__filter")) {
      if (!state.ids) return;
      note = document.createElement("p");
      note.className = "ql-chart__filter";
      frame.parentNode.insertBefore(note, frame.nextSibling);
    }
    note.hidden = !state.ids;
    if (!state.ids) return;
    var n = state.ids.length;
    var kept = n + (state.total ? " of " + state.total : "") + (n === 1 && !state.total ? " release" : " releases");
    note.textContent = frame.getAttribute("data-state") === "interactive"
      ? "The chart shows the " + kept + " the table's filter keeps."
      : "Showing " + kept + " in the table \u2014 the chart follows the table's filter once interactive.";
  }

  // On document, from the moment this script runs: a filter a table sends as the page loads is not missed.
  // The chart stays as it is until a reader reaches for it (activate applies the latest filter once drawn).
  document.addEventListener("ql-filter", function (event) {
    var frame = event.target;
    if (!(frame instanceof Element) || !frame.classList.contains("ql-chart__frame")) return;
    var detail = event.detail || {};
    var ids = Array.isArray(detail.ids) ? detail.ids.filter(function (id) { return typeof id === "string"; }) : null;
    var state = filters.get(frame) || {};
    state.ids = ids;
    state.total = typeof detail.total === "number" && isFinite(detail.total) ? detail.total : 0;
    filters.set(frame, state);
    filterNote(frame, state);
    if (frame.getAttribute("data-state") === "interactive") filterChart(frame);
  });

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
