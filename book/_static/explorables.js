/* The adoption chapter's explorables: what-if sliders over the models, drawn as inline SVG.
 * No library, no network: each <figure class="explorable" data-explorable="..."> carries its data in an
 * inline <script type="application/json"> (id in its data-data attribute), written by
 * analysis/report/explorables.py.  The push and seeding sliders move by grid index, so the readout is the
 * precomputed value of that cell; the forecast computes the Bass closed form of
 * analysis.adoption.bass_cumulative (t in years of 365.25 days since WeChat's launch).
 * Text is only ever set with textContent (never parsed as HTML). */
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var COLOURS = { f: "#9ecae1", n: "#fdae6b", w: "#d6604d" };
  var LEGEND = { f: "fades", n: "holds a niche", w: "tips (wins)" };

  function bassCumulative(t, p, q, m) {
    var e = Math.exp(-(p + q) * t);
    return m * (1 - e) / (1 + (q / p) * e);
  }

  function svgEl(tag, attrs, parent) {
    var node = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function svgText(parent, x, y, text, attrs) {
    var node = svgEl("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    node.textContent = text;
    return node;
  }

  function htmlEl(tag, cls, parent, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function pct(units) { return (units / 100).toFixed(2) + "%"; }

  function setOut(fig, name, text) {
    Array.prototype.forEach.call(fig.querySelectorAll('[data-out="' + name + '"]'), function (n) {
      n.textContent = text;
    });
  }

  function slider(fig, name) { return fig.querySelector('input[data-param="' + name + '"]'); }

  function showValue(fig, name, text) {
    var input = slider(fig, name);
    input.setAttribute("aria-valuetext", text);
    var out = fig.querySelector('output[data-value-of="' + name + '"]');
    if (out) out.textContent = text;
  }

  function index(fig, name) { return parseInt(slider(fig, name).value, 10); }

  function newSvg(box, w, h, label) {
    var svg = svgEl("svg", { viewBox: "0 0 " + w + " " + h, width: "100%", class: "explorable-svg",
                             "aria-hidden": "true", focusable: "false", preserveAspectRatio: "xMidYMid meet" });
    if (label) svg.setAttribute("data-label", label);
    box.appendChild(svg);
    return svg;
  }

  function star(parent, cx, cy, r) {
    var pts = [];
    for (var i = 0; i < 10; i++) {
      var a = -Math.PI / 2 + i * Math.PI / 5, rr = i % 2 ? r * 0.45 : r;
      pts.push((cx + rr * Math.cos(a)).toFixed(1) + "," + (cy + rr * Math.sin(a)).toFixed(1));
    }
    return svgEl("polygon", { points: pts.join(" "), class: "explorable-star" }, parent);
  }

  /* ---------------------------------------------------------------- the push */
  function push(fig, data) {
    var nS = data.size.values.length, nT = data.timing.values.length;
    var W = 480, H = 330, L = 62, R = 10, T = 10, B = 42;
    var pw = W - L - R, ph = H - T - B, cw = pw / nT, ch = ph / nS;
    var box = fig.querySelector('[data-chart="push"]');
    var svg = newSvg(box, W, H);
    var cells = svgEl("g", { "shape-rendering": "crispEdges" }, svg), rects = [];
    for (var s = 0; s < nS; s++) {
      for (var t = 0; t < nT; t++) {
        rects.push(svgEl("rect", { x: (L + t * cw).toFixed(2), y: (T + (nS - 1 - s) * ch).toFixed(2),
                                   width: (cw + 0.3).toFixed(2), height: (ch + 0.3).toFixed(2) }, cells));
      }
    }
    var y0 = data.timing.years[0], y1 = data.timing.years[nT - 1];
    function xOfYear(yr) { return L + cw / 2 + (yr - y0) / (y1 - y0) * (pw - cw); }
    var l0 = Math.log(data.size.values[0]), l1 = Math.log(data.size.values[nS - 1]);
    function yOfSize(v) { return T + ph - ch / 2 - (Math.log(v) - l0) / (l1 - l0) * (ph - ch); }
    var axis = svgEl("g", { class: "explorable-axis" }, svg);
    for (var yr = Math.ceil(y0); yr <= y1; yr++) {
      svgEl("line", { x1: xOfYear(yr), x2: xOfYear(yr), y1: T + ph, y2: T + ph + 5 }, axis);
      svgText(axis, xOfYear(yr), T + ph + 18, String(yr), { "text-anchor": "middle" });
    }
    svgText(axis, L + pw / 2, H - 4, "start of the push", { "text-anchor": "middle" });
    [1, 10, 100, 1000].forEach(function (v) {
      svgEl("line", { x1: L - 5, x2: L, y1: yOfSize(v), y2: yOfSize(v) }, axis);
      svgText(axis, L - 8, yOfSize(v) + 4, v >= 1000 ? "1,000" : String(v), { "text-anchor": "end" });
    });
    svgText(axis, 14, T + ph / 2, "users brought in (millions)",
            { "text-anchor": "middle", transform: "rotate(-90 14 " + (T + ph / 2) + ")" });
    data.actual.forEach(function (a, k) {
      star(svg, xOfYear(a.year), yOfSize(a.size), 8);
      svgText(svg, xOfYear(a.year) + 9, yOfSize(a.size) + 4, String(k + 1), { class: "explorable-star-label" });
    });
    var ring = svgEl("circle", { r: Math.max(cw, ch) * 0.75, class: "explorable-ring" }, svg);
    var legend = htmlEl("p", "explorable-legend", box);
    ["f", "n", "w"].forEach(function (k) {
      var item = htmlEl("span", "explorable-key", legend);
      htmlEl("span", "explorable-swatch", item).style.background = COLOURS[k];
      item.appendChild(document.createTextNode(LEGEND[k] + " in the long run"));
    });
    var ringKey = htmlEl("span", "explorable-key", legend);
    htmlEl("span", "explorable-swatch explorable-swatch-ring", ringKey);
    ringKey.appendChild(document.createTextNode("your push"));
    data.actual.forEach(function (a, k) {
      htmlEl("span", "explorable-key", legend, "★" + (k + 1) + " " + a.label);
    });
    var shownBeta = -1;
    function update() {
      var b = index(fig, "beta"), s = index(fig, "size"), t = index(fig, "timing");
      showValue(fig, "beta", data.beta.labels[b]);
      showValue(fig, "size", data.size.labels[s]);
      showValue(fig, "timing", data.timing.labels[t]);
      var i = (b * nS + s) * nT + t;
      setOut(fig, "share", pct(data.share[i]));
      setOut(fig, "long_run", pct(data.long_run[i]));
      setOut(fig, "outcome", data.outcome_words[data.outcome.charAt(i)]);
      if (b !== shownBeta) {
        for (var j = 0; j < nS * nT; j++) rects[j].setAttribute("fill", COLOURS[data.outcome.charAt(b * nS * nT + j)]);
        shownBeta = b;
      }
      ring.setAttribute("cx", (L + (t + 0.5) * cw).toFixed(2));
      ring.setAttribute("cy", (T + (nS - 0.5 - s) * ch).toFixed(2));
    }
    return update;
  }

  /* ---------------------------------------------------------------- seeding */
  function seeding(fig, data) {
    var nB = data.budget.values.length, nSt = data.style.values.length, nTh = data.theta.values.length;
    var W = 480, H = 270, L = 56, R = 16, T = 14, B = 42, pw = W - L - R, ph = H - T - B;
    var box = fig.querySelector('[data-chart="seeding"]');
    var svg = newSvg(box, W, H);
    var b0 = Math.log(data.budget.values[0]), b1 = Math.log(data.budget.values[nB - 1]);
    function x(k) { return L + (Math.log(data.budget.values[k]) - b0) / (b1 - b0) * pw; }
    function y(units) { return T + ph - units / 10000 * ph; }
    var axis = svgEl("g", { class: "explorable-axis" }, svg);
    [0, 5000, 10000].forEach(function (u) {
      svgEl("line", { x1: L, x2: L + pw, y1: y(u), y2: y(u), class: "explorable-grid" }, axis);
      svgText(axis, L - 6, y(u) + 4, (u / 100) + "%", { "text-anchor": "end" });
    });
    [0.005, 0.01, 0.02, 0.05, 0.1].forEach(function (v) {
      var k = data.budget.values.indexOf(v);
      if (k < 0) return;
      svgEl("line", { x1: x(k), x2: x(k), y1: T + ph, y2: T + ph + 5 }, axis);
      svgText(axis, x(k), T + ph + 18, (100 * v) + "%", { "text-anchor": "middle" });
    });
    svgText(axis, L + pw / 2, H - 4, "seed budget (share of the people, log scale)", { "text-anchor": "middle" });
    svgText(axis, 14, T + ph / 2, "recruits retained",
            { "text-anchor": "middle", transform: "rotate(-90 14 " + (T + ph / 2) + ")" });
    function cell(b, st, th) { return (b * nSt + st) * nTh + th; }
    function path(st, th) {
      var d = [];
      for (var b = 0; b < nB; b++) d.push((b ? "L" : "M") + x(b).toFixed(1) + "," + y(data.retained[cell(b, st, th)]).toFixed(1));
      return d.join("");
    }
    var scattered = svgEl("path", { class: "explorable-ref" }, svg);
    var clustered = svgEl("path", { class: "explorable-ref explorable-ref-2" }, svg);
    var line = svgEl("path", { class: "explorable-line" }, svg);
    var dot = svgEl("circle", { r: 5, class: "explorable-dot" }, svg);
    var legend = htmlEl("p", "explorable-legend", box);
    [["explorable-swatch-line", "your seeding style"], ["explorable-swatch-ref", "all scattered"],
     ["explorable-swatch-ref explorable-swatch-ref-2", "all clustered"]].forEach(function (kv) {
      var item = htmlEl("span", "explorable-key", legend);
      htmlEl("span", "explorable-swatch " + kv[0], item);
      item.appendChild(document.createTextNode(kv[1]));
    });
    function update() {
      var b = index(fig, "budget"), st = index(fig, "style"), th = index(fig, "theta");
      showValue(fig, "budget", data.budget.labels[b]);
      showValue(fig, "style", data.style.labels[st]);
      showValue(fig, "theta", data.theta.labels[th]);
      var i = cell(b, st, th);
      setOut(fig, "retained", pct(data.retained[i]));
      setOut(fig, "final", pct(data.final[i]));
      setOut(fig, "n_seeds", data.budget.n_seeds[b].toLocaleString("en"));
      setOut(fig, "n_clustered", data.n_clustered[b * nSt + st].toLocaleString("en"));
      scattered.setAttribute("d", path(0, th));
      clustered.setAttribute("d", path(nSt - 1, th));
      line.setAttribute("d", path(st, th));
      dot.setAttribute("cx", x(b).toFixed(1));
      dot.setAttribute("cy", y(data.retained[i]).toFixed(1));
    }
    return update;
  }

  /* ---------------------------------------------------------------- the forecast */
  function forecast(fig, data) {
    var W = 480, H = 300, L = 70, R = 22, T = 14, B = 42, pw = W - L - R, ph = H - T - B;
    var tMax = Math.ceil(data.target.t + 0.25), y0 = data.launch_year;
    var yMax = 0;
    data.band.forEach(function (d) { yMax = Math.max(yMax, d.p95); });
    data.observed.forEach(function (d) { yMax = Math.max(yMax, d.mau); });
    yMax = Math.ceil(Math.max(yMax, data.fit.m) * 1.15 / 250) * 250;
    var box = fig.querySelector('[data-chart="forecast"]');
    var svg = newSvg(box, W, H);
    function x(t) { return L + t / tMax * pw; }
    function y(v) { return T + ph - v / yMax * ph; }
    var clipId = fig.id + "-clip";
    var defs = svgEl("defs", {}, svg);
    var clip = svgEl("clipPath", { id: clipId }, defs);
    svgEl("rect", { x: L, y: T, width: pw, height: ph }, clip);
    var axis = svgEl("g", { class: "explorable-axis" }, svg);
    for (var v = 0; v <= yMax; v += 500) {
      svgEl("line", { x1: L, x2: L + pw, y1: y(v), y2: y(v), class: "explorable-grid" }, axis);
      svgText(axis, L - 6, y(v) + 4, v.toLocaleString("en"), { "text-anchor": "end" });
    }
    for (var yr = Math.ceil(y0); yr - y0 <= tMax; yr++) {
      svgEl("line", { x1: x(yr - y0), x2: x(yr - y0), y1: T + ph, y2: T + ph + 5 }, axis);
      svgText(axis, x(yr - y0), T + ph + 18, String(yr), { "text-anchor": "middle" });
    }
    svgText(axis, 12, T + ph / 2, "MAU (millions)",
            { "text-anchor": "middle", transform: "rotate(-90 12 " + (T + ph / 2) + ")" });
    var pts = data.band.map(function (d) { return x(d.t).toFixed(1) + "," + y(d.p95).toFixed(1); })
      .concat(data.band.slice().reverse().map(function (d) { return x(d.t).toFixed(1) + "," + y(d.p05).toFixed(1); }));
    svgEl("polygon", { points: pts.join(" "), class: "explorable-band" }, svg);
    var plot = svgEl("g", { "clip-path": "url(#" + clipId + ")" }, svg);
    function curve(p, q, m) {
      var d = [];
      for (var k = 0; k <= 160; k++) {
        var t = tMax * k / 160;
        d.push((k ? "L" : "M") + x(t).toFixed(1) + "," + y(bassCumulative(t, p, q, m)).toFixed(1));
      }
      return d.join("");
    }
    svgEl("path", { d: curve(data.fit.p, data.fit.q, data.fit.m), class: "explorable-ref" }, plot);
    var line = svgEl("path", { class: "explorable-line" }, plot);
    data.observed.forEach(function (d) {
      svgEl("rect", { x: x(d.t) - 3.5, y: y(d.mau) - 3.5, width: 7, height: 7, class: "explorable-obs" }, svg);
    });
    var legend = htmlEl("p", "explorable-legend", box);
    [["explorable-swatch-line", "your curve"], ["explorable-swatch-ref", "the fit"],
     ["explorable-swatch-obs", "MAU, the six fitted quarters"],
     ["explorable-swatch-band", "forecast: 90% bootstrap band"]].forEach(function (kv) {
      var item = htmlEl("span", "explorable-key", legend);
      htmlEl("span", "explorable-swatch " + kv[0], item);
      item.appendChild(document.createTextNode(kv[1]));
    });
    function update() {
      var vals = {};
      ["p", "q", "m"].forEach(function (name) {
        var input = slider(fig, name);
        vals[name] = parseFloat(input.value);
        var dec = parseInt(input.getAttribute("data-decimals"), 10);
        showValue(fig, name, vals[name].toFixed(dec) + (input.getAttribute("data-unit") || ""));
      });
      var p = vals.p, q = vals.q, m = vals.m;
      setOut(fig, "target", bassCumulative(data.target.t, p, q, m).toFixed(1));
      var peak = q > p ? Math.log(q / p) / (p + q) : 0;
      setOut(fig, "peak", (y0 + peak).toFixed(1));
      line.setAttribute("d", curve(p, q, m));
    }
    return update;
  }

  var KINDS = { push: push, seeding: seeding, forecast: forecast };

  function init(fig) {
    var kind = fig.getAttribute("data-explorable");
    var script = document.getElementById(fig.getAttribute("data-data"));
    if (!KINDS[kind] || !script || fig.getAttribute("data-ready")) return;
    var update = KINDS[kind](fig, JSON.parse(script.textContent));
    Array.prototype.forEach.call(fig.querySelectorAll('input[type="range"]'), function (input) {
      input.addEventListener("input", update);
      input.addEventListener("change", update);
    });
    update();
    fig.setAttribute("data-ready", "true");
  }

  window.Explorables = { bassCumulative: bassCumulative, init: init };

  function start() { Array.prototype.forEach.call(document.querySelectorAll("figure.explorable"), init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
