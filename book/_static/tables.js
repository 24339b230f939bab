/* Sortable, filterable tables for the book, with no external library.
 * Any <table class="sortable-table"> gets: click-to-sort headers (numeric
 * aware) and a filter box above it.  Cell content is never parsed as HTML:
 * the script only reads textContent and moves existing rows. */
(function () {
  "use strict";
  function cellValue(row, idx) {
    var cell = row.cells[idx];
    var text = cell ? cell.textContent.trim() : "";
    var num = parseFloat(text.replace(/,/g, ""));
    return isNaN(num) || !/^[-+]?[\d.,]+(e[-+]?\d+)?%?$/i.test(text) ? text : num;
  }
  function makeSortable(table) {
    var head = table.tHead;
    var body = table.tBodies[0];
    if (!head || !body) return;
    var headers = head.rows[head.rows.length - 1].cells;
    Array.prototype.forEach.call(headers, function (th, idx) {
      th.style.cursor = "pointer";
      th.setAttribute("title", "Sort by this column");
      th.setAttribute("aria-sort", "none");
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, idx), y = cellValue(b, idx);
          var c = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y), "zh");
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  function makeFilterable(table) {
    var body = table.tBodies[0];
    if (!body || body.rows.length < 8) return;
    var input = document.createElement("input");
    input.type = "search";
    input.className = "table-filter";
    input.placeholder = "Filter rows…";
    input.setAttribute("aria-label", "Filter table rows");
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(body.rows, function (r) {
        r.style.display = !q || r.textContent.toLowerCase().indexOf(q) !== -1 ? "" : "none";
      });
    });
    table.parentNode.insertBefore(input, table);
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable-table"), function (t) {
      makeSortable(t);
      makeFilterable(t);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
