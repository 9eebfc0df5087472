/* Sort and filter the site's data tables in place, and keep the filters in the page's address. No dependencies,
   no third-party code.

   Filters. Each control in a table's [data-ql-controls] box carries data-ql-filter="<name>", and the name is its
   query parameter: ?search=…&track=coder&weights=Open&min=7&max=72&from=2025&to=2026 (FILTERS below says what
   each one keeps; docs/timeline.md tells readers). On load, and on back/forward (popstate), the controls take
   their values from the address, a value that does not fit its control being ignored (values only ever reach
   a control's .value, never markup); every change writes them back with history.replaceState (no new history
   entry per keystroke), leaving other parameters and the #fragment as they are. "Copy link" copies the address,
   "Clear filters" empties every control. The rows carry what the filters read: data-track, data-weights,
   data-year (of the release date) and data-params (largest disclosed size in billions, 0 when undisclosed).

   The chart hook. A box with data-ql-filters-chart="<slug>" drives the chart of that slug on the same page: each
   time the set of rows shown changes, it dispatches a bubbling "ql-filter" CustomEvent on the chart's
   .ql-chart__frame, with detail {table: <name>, ids: [the ids of the rows shown], total: <rows>}, ids being null
   once every row shows again. charts.js listens for the event on document from the moment it runs, so a filter
   sent as the page loads is not missed. */
(function () {
  "use strict";

  // A cell sorts by its data-value (numbers shown as "30B-A3B" or "1M"), else by its <time datetime>, else by
  // its text: the markup carries a sort value only where the text would sort wrongly.
  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) return "";
    if (cell.hasAttribute("data-value")) return cell.getAttribute("data-value");
    var time = cell.querySelector("time[datetime]");
    return time ? time.getAttribute("datetime") : cell.textContent.trim();
  }

  function compare(kind, a, b) {
    if (kind === "num") return (parseFloat(a) || 0) - (parseFloat(b) || 0);
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var kind = th.getAttribute("data-ql-sort");
      if (!kind || kind === "none" || th.querySelector("button")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ql-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) {
          if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var result = compare(kind, cellValue(a, index), cellValue(b, index));
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  // ---- filters

  var SIZE = /^\d{1,6}(\.\d{1,6})?$/;  // billions of parameters, as a reader types them: 7, 0.5, 235
  var YEAR = /^\d{4}$/;

  // What each filter accepts (a clean string, or null: ignored) and which rows it keeps. A row's size is its
  // largest disclosed one (0: none disclosed, which a size bound leaves out); its year is that of its date.
  var FILTERS = {
    search: { accept: function (v) { v = v.trim(); return v ? v.slice(0, 200) : null; },
              keep: function (r, v) { return text(r).indexOf(v.toLowerCase()) !== -1; } },
    track: { keep: function (r, v) { return r.track === v; } },
    weights: { keep: function (r, v) { return r.weights === v; } },
    min: { accept: pattern(SIZE), keep: function (r, v) { return r.size > 0 && r.size >= parseFloat(v); } },
    max: { accept: pattern(SIZE), keep: function (r, v) { return r.size > 0 && r.size <= parseFloat(v); } },
    from: { accept: pattern(YEAR), keep: function (r, v) { return r.year >= parseInt(v, 10); } },
    to: { accept: pattern(YEAR), keep: function (r, v) { return r.year <= parseInt(v, 10); } }
  };

  function pattern(re) {
    return function (v) { v = v.trim(); return re.test(v) ? v : null; };
  }

  function text(record) {
    if (record.text === null) record.text = record.row.textContent.toLowerCase();
    return record.text;
  }

  // A select accepts one of its options (any letter case, so weights=open works too); an input what its filter does.
  function accept(control, value) {
    if (typeof value !== "string") return null;
    if (control.tagName === "SELECT") {
      var wanted = value.trim().toLowerCase();
      var option = Array.prototype.find.call(control.options, function (o) { return o.value && o.value.toLowerCase() === wanted; });
      return option ? option.value : null;
    }
    var filter = FILTERS[control.getAttribute("data-ql-filter")];
    return filter && filter.accept ? filter.accept(value) : null;
  }

  // What the filters read of a row, once: the rows do not change, only their order and visibility.
  function records(table) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      return {
        row: row, id: row.id, text: null,
        track: row.getAttribute("data-track"), weights: row.getAttribute("data-weights"),
        year: parseInt(row.getAttribute("data-year"), 10),  // NaN (no year): a year bound leaves the row out
        size: parseFloat(row.getAttribute("data-params")) || 0
      };
    });
  }

  function chartFrame(controls) {
    var slug = controls.getAttribute("data-ql-filters-chart");
    if (!slug) return null;
    return Array.prototype.find.call(document.querySelectorAll(".ql-chart__frame"), function (frame) {
      return frame.getAttribute("data-ql-chart") === slug;
    }) || null;
  }

  function makeFilterable(table, controls, name) {
    var inputs = Array.prototype.filter.call(controls.querySelectorAll("[data-ql-filter]"), function (c) {
      return Object.prototype.hasOwnProperty.call(FILTERS, c.getAttribute("data-ql-filter"));
    });
    var count = controls.querySelector("[data-ql-count]");
    var frame = chartFrame(controls);
    var rows = records(table);
    var sent = "";  // the set last sent to the chart ("": every row, which the chart shows until told otherwise)

    function state() {
      var out = {};
      inputs.forEach(function (control) {
        var value = accept(control, control.value || "");
        if (value !== null) out[control.getAttribute("data-ql-filter")] = value;
      });
      return out;
    }

    function apply() {
      var filters = state();
      var names = Object.keys(filters);
      var shown = [];
      rows.forEach(function (r) {
        var visible = names.every(function (name) { return FILTERS[name].keep(r, filters[name]); });
        if (r.row.hidden === visible) r.row.hidden = !visible;
        if (visible) shown.push(r.id);
      });
      if (count) count.textContent = shown.length + " of " + rows.length + " releases";
      tellChart(shown.length === rows.length ? null : shown);
      return filters;
    }

    function tellChart(ids) {
      var key = ids ? "|" + ids.slice().sort().join(" ") : "";  // the set, not the order (sorting changes no point)
      if (!frame || key === sent) return;
      sent = key;
      frame.dispatchEvent(new CustomEvent("ql-filter", { bubbles: true, detail: { table: name, ids: ids, total: rows.length } }));
    }

    function writeUrl(filters) {
      var params = new URLSearchParams(window.location.search);
      inputs.forEach(function (control) {
        var name = control.getAttribute("data-ql-filter");
        params.delete(name);
        if (Object.prototype.hasOwnProperty.call(filters, name)) params.set(name, filters[name]);
      });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      try { window.history.replaceState(window.history.state, "", url); } catch (error) { /* a sandboxed frame: the filter still works */ }
    }

    function update() { writeUrl(apply()); }

    // The address decides every control (the browser may have restored older values into them on reload).
    function readUrl() {
      var params = new URLSearchParams(window.location.search);
      inputs.forEach(function (control) {
        var value = accept(control, params.get(control.getAttribute("data-ql-filter")));
        control.value = value === null ? "" : value;
      });
    }
    readUrl();
    inputs.forEach(function (control) {
      control.addEventListener("input", update);
      control.addEventListener("change", update);
    });
    // Back and forward between entries of this page (a #fragment followed, then the filters changed) bring
    // back that entry's address: show what it says.
    window.addEventListener("popstate", function () { readUrl(); apply(); });
    var clear = controls.querySelector("[data-ql-clear]");
    if (clear) clear.addEventListener("click", function () {
      inputs.forEach(function (control) { control.value = ""; });
      update();
    });
    var copy = controls.querySelector("[data-ql-copy-link]");
    if (copy) copy.addEventListener("click", function () { copyLink(copy, controls.querySelector("[data-ql-copy-status]")); });
    controls.hidden = false;
    apply();
  }

  // ---- copy link

  var statusTimer = 0;

  function copyLink(button, status) {
    var url = window.location.href;
    function say(message) {
      if (!status) return;
      status.textContent = message;
      window.clearTimeout(statusTimer);
      statusTimer = window.setTimeout(function () { status.textContent = ""; }, 5000);
    }
    function fallback() {
      var area = document.createElement("textarea");
      area.value = url;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      document.body.removeChild(area);
      button.focus();
      say(copied ? "Link copied" : "Could not copy: the link is in the address bar");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { say("Link copied"); }, fallback);
    } else {
      fallback();
    }
  }

  function setUp() {
    document.querySelectorAll("table[data-ql-table]").forEach(function (table) {
      makeSortable(table);
      var name = table.getAttribute("data-ql-table");
      var controls = document.querySelector('[data-ql-controls="' + name + '"]');
      if (controls) makeFilterable(table, controls, name);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
