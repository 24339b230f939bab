/* Sortable, filterable tables for the book, with no external library (works from file:// too).
 * Any <table class="sortable-table"> gets click-to-sort headers (numeric aware); one with 8 rows or
 * more, or with facet columns, also gets a text filter, and one select box per header cell marked
 * data-facet (its choices: each cell's data-values, "|"-separated, or else its text).  A row is shown
 * when it passes every filter; a live count says how many rows are shown.
 * Cell content is never parsed as HTML: the script only reads textContent and attributes, creates
 * its controls with createElement/textContent, and moves existing rows. */
(function () {
  "use strict";
  var SEP = "|";
  function cellValue(row, idx) {
    var cell = row.cells[idx];
    var text = cell ? cell.textContent.trim() : "";
    var num = parseFloat(text.replace(/,/g, ""));
    return isNaN(num) || !/^[-+]?[\d.,]+(e[-+]?\d+)?%?$/i.test(text) ? text : num;
  }
  function facetValues(cell) {
    if (!cell) return [];
    var attr = cell.getAttribute("data-values");
    if (attr !== null) return attr ? attr.split(SEP) : [];
    var text = cell.textContent.trim();
    return text ? [text] : [];
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
  function facetSelect(label, idx, rows) {
    var counts = {};
    rows.forEach(function (r) {
      facetValues(r.cells[idx]).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
    });
    var values = Object.keys(counts).sort(function (a, b) { return a.localeCompare(b, "en"); });
    var select = document.createElement("select");
    select.setAttribute("data-column", String(idx));
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "all";
    select.appendChild(all);
    values.forEach(function (v) {
      var opt = document.createElement("option");
      opt.value = v;
      opt.textContent = v + " (" + counts[v] + ")";
      select.appendChild(opt);
    });
    var wrap = document.createElement("label");
    wrap.className = "table-facet";
    var span = document.createElement("span");
    span.textContent = label;
    wrap.appendChild(span);
    wrap.appendChild(select);
    return {label: wrap, select: select, idx: idx};
  }
  function makeFilterable(table) {
    var body = table.tBodies[0];
    var head = table.tHead;
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var facets = [];
    if (head) {
      Array.prototype.forEach.call(head.rows[head.rows.length - 1].cells, function (th, idx) {
        if (th.hasAttribute("data-facet")) facets.push(facetSelect(th.textContent.trim(), idx, rows));
      });
    }
    if (rows.length < 8 && !facets.length) return;
    var controls = document.createElement("div");
    controls.className = "table-controls";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "table-filter";
    input.placeholder = "Filter rows…";
    input.setAttribute("aria-label", "Filter table rows");
    controls.appendChild(input);
    facets.forEach(function (f) { controls.appendChild(f.label); });
    var count = document.createElement("span");
    count.className = "table-count";
    count.setAttribute("aria-live", "polite");
    controls.appendChild(count);
    function apply() {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (r) {
        var ok = !q || r.textContent.toLowerCase().indexOf(q) !== -1;
        facets.forEach(function (f) {
          if (ok && f.select.value) ok = facetValues(r.cells[f.idx]).indexOf(f.select.value) !== -1;
        });
        r.style.display = ok ? "" : "none";
        if (ok) shown += 1;
      });
      count.textContent = shown === rows.length ? rows.length + " rows" : shown + " of " + rows.length + " rows";
    }
    input.addEventListener("input", apply);
    facets.forEach(function (f) { f.select.addEventListener("change", apply); });
    apply();
    var anchor = (table.parentNode && table.parentNode.classList &&
                  table.parentNode.classList.contains("table-wrap")) ? table.parentNode : table;
    anchor.parentNode.insertBefore(controls, anchor);
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
