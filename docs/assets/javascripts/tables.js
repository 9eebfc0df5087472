/* Sort and filter the site's data tables in place. No dependencies, no third-party code. */
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

  function makeFilterable(table, controls) {
    var text = controls.querySelector('[data-ql-filter="text"]');
    var track = controls.querySelector('[data-ql-filter="track"]');
    var weights = controls.querySelector('[data-ql-filter="weights"]');
    var count = controls.querySelector("[data-ql-count]");
    function apply() {
      var query = (text.value || "").trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var visible = (!query || row.textContent.toLowerCase().indexOf(query) !== -1) &&
          (!track.value || row.getAttribute("data-track") === track.value) &&
          (!weights.value || row.getAttribute("data-weights") === weights.value);
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      count.textContent = shown + " of " + table.tBodies[0].rows.length + " releases";
    }
    [text, track, weights].forEach(function (input) {
      input.addEventListener("input", apply);
      input.addEventListener("change", apply);
    });
    controls.hidden = false;
    apply();
  }

  function setUp() {
    document.querySelectorAll("table[data-ql-table]").forEach(function (table) {
      makeSortable(table);
      var name = table.getAttribute("data-ql-table");
      var controls = document.querySelector('[data-ql-controls="' + name + '"]');
      if (controls) makeFilterable(table, controls);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
