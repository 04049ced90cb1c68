/**
 * The script and style of the HTML report, as strings to inline. The script reads the report
 * JSON embedded in the page and draws everything with SVG: per-layer SQNR charts, error
 * histograms of the worst layers, the model graph coloured by error, and a sortable layer table.
 * It sets `document.body.dataset.ready = "ok"` when done, or `data-error` with the message.
 * (Plain ES2017, no template literals: this file is a template literal itself.)
 */

/** The page's stylesheet. */
export const CLIENT_CSS = String.raw`
:root { --fg: #1d2330; --muted: #5f6b7a; --line: #d9dee5; --card: #fff; --bg: #f3f5f8; --accent: #2f6fb3; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
header { background: #1f2a3a; color: #eef2f7; padding: 14px 24px 12px; }
header h1 { margin: 0 0 4px; font-size: 20px; font-weight: 600; }
header .meta { margin: 0; color: #b9c4d3; font-size: 13px; }
header .meta b { color: #fff; font-weight: 600; }
main { max-width: 1180px; margin: 0 auto; padding: 12px 16px 40px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px 14px; margin: 12px 0; }
h2 { font-size: 16px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 10px 0 4px; }
p.help { margin: 0 0 8px; color: var(--muted); font-size: 12.5px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #eceff3; text-align: left; white-space: nowrap; }
th { background: #f7f8fa; font-weight: 600; position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.name { max-width: 300px; overflow: hidden; text-overflow: ellipsis; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th.sorted::after { content: " \25B4"; color: var(--muted); }
table.sortable th.sorted.desc::after { content: " \25BE"; }
tr.selected td { background: #fff3c4 !important; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; border: 1px solid rgba(0,0,0,.15); }
.chart-block { margin: 6px 0 14px; }
.chart-block h3 .sub { font-weight: normal; color: var(--muted); }
svg { display: block; }
svg text { font-family: inherit; }
.axis text { font-size: 10.5px; fill: var(--muted); }
.axis line, .axis path { stroke: #c7ced8; }
.grid line { stroke: #edf0f4; }
.hists { display: flex; flex-wrap: wrap; gap: 10px; }
.hist-card { border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; width: 266px; }
.hist-card .t { font-size: 12px; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.hist-card .s { font-size: 11.5px; color: var(--muted); }
.toolbar { display: flex; gap: 14px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; font-size: 13px; }
.legend { display: flex; align-items: center; gap: 6px; font-size: 12px; color: var(--muted); }
.graph-wrap svg { margin: 0 auto; }
.graph-wrap { overflow: auto; max-height: 720px; border: 1px solid var(--line); border-radius: 6px; background: #fbfcfd; }
.graph .node rect { stroke: rgba(0,0,0,.35); stroke-width: 1; }
.graph .node text { font-size: 11px; fill: #111; pointer-events: none; }
.graph .node text.sub { font-size: 9.5px; fill: #333; }
.graph .node { cursor: pointer; }
.graph .node.selected rect { stroke: #000; stroke-width: 2.5; }
.graph .edge { fill: none; stroke: #9aa5b4; stroke-width: 1.2; }
.note { background: #fff7e0; border: 1px solid #f0dca0; border-radius: 6px; padding: 6px 10px; font-size: 12.5px; margin: 6px 0; }
pre.error { background: #fde8e8; color: #8a1c1c; padding: 10px; margin: 0; white-space: pre-wrap; }
.table-wrap { max-height: 560px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.kv { color: var(--muted); }
`;

/** The page's script. */
export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var SVGNS = 'http://www.w3.org/2000/svg';
  var body = document.body;
  function num(x) {
    if (x === 'inf') return Infinity;
    if (x === '-inf') return -Infinity;
    if (x === null || x === undefined) return NaN;
    return x;
  }
  function fmt(x, d) {
    x = num(x);
    d = d || 3;
    if (isNaN(x)) return '-';
    if (x === Infinity) return 'inf';
    if (x === -Infinity) return '-inf';
    if (x === 0) return '0';
    var a = Math.abs(x);
    if (a >= 1e5 || a < 1e-3) return x.toExponential(d - 1);
    return String(Number(x.toPrecision(d)));
  }
  function pct(x, d) {
    x = num(x);
    if (isNaN(x)) return '-';
    if (x === 0) return '0%';
    var p = x * 100;
    if (Math.abs(p) < Math.pow(10, -d)) return '<' + Math.pow(10, -d) + '%';
    return p.toFixed(d) + '%';
  }
  function h(tag, attrs, parent, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function s(tag, attrs, parent, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function title(parent, text) { s('title', {}, parent, text); }
  function short(name, n) {
    if (name.length <= n) return name;
    var head = Math.ceil((n - 1) / 2);
    return name.slice(0, head) + '\u2026' + name.slice(name.length - (n - 1 - head));
  }
  function leaf(name) {
    var parts = name.split(';');
    var last = parts[parts.length - 1];
    var segs = last.split('/');
    return segs.length > 1 ? segs.slice(-2).join('/') : last;
  }
  function opShort(op) { var i = op.indexOf('.'); return i >= 0 ? op.slice(i + 1) : op; }
  // Red (bad) -> yellow -> green (good) by SQNR; exact in teal; unknown grey.
  var STOPS = [[0, [215, 48, 39]], [12, [244, 109, 67]], [24, [253, 224, 139]], [36, [166, 217, 106]], [48, [26, 152, 80]]];
  function colour(db) {
    db = num(db);
    if (isNaN(db)) return '#c9ced6';
    if (db === Infinity) return '#2a9d8f';
    if (db <= STOPS[0][0]) return rgb(STOPS[0][1]);
    for (var i = 1; i < STOPS.length; i++) {
      if (db <= STOPS[i][0]) {
        var a = STOPS[i - 1], b = STOPS[i], t = (db - a[0]) / (b[0] - a[0]);
        return rgb([0, 1, 2].map(function (k) { return a[1][k] + t * (b[1][k] - a[1][k]); }));
      }
    }
    return rgb(STOPS[STOPS.length - 1][1]);
  }
  function rgb(c) { return 'rgb(' + c.map(function (v) { return Math.round(v); }).join(',') + ')'; }
  var SERIES = ['#2f6fb3', '#d1495b', '#edae49', '#00798c', '#6a4c93', '#66a182', '#8d6a9f'];

  var R = JSON.parse(document.getElementById('report-data').textContent);
  var models = R.models;
  var byId = models.map(function (m) {
    var map = {};
    m.layers.forEach(function (l) { map[l.id] = l; });
    return map;
  });
  function layerTip(l) {
    var m = l.metrics;
    return l.name + (l.testName !== l.name ? '\ntest: ' + l.testName : '') + '\n' + l.op + ' ' + l.dtype + '[' + l.shape.join(',') + ']' +
      '\nSQNR ' + fmt(m.sqnrDb) + ' dB   RMSE ' + fmt(m.rmse) + '   RMSE/scale ' + fmt(m.rmseOverScale) +
      '\nmax|err| ' + fmt(m.maxAbsError) + '   range used ' + pct(m.rangeUsed, 0) + '   clipped ' + pct(m.clippedFraction, 2);
  }

  // ---- Summary ----
  (function () {
    var box = document.getElementById('summary-table');
    var t = h('table', {}, box);
    var hr = h('tr', {}, h('thead', {}, t));
    ['model', 'output', 'SQNR dB', 'max |err|', 'RMSE', 'argmax agreement', 'accuracy', 'layers compared'].forEach(function (c, i) {
      h('th', { class: i >= 2 ? 'num' : '' }, hr, c);
    });
    var tb = h('tbody', {}, t);
    function acc(a) { return a ? a.correct + '/' + a.total + ' (' + (100 * a.correct / a.total).toFixed(1) + '%)' : '-'; }
    var r0 = h('tr', {}, tb);
    h('td', {}, r0, R.reference.label + ' (reference)');
    for (var i = 0; i < 5; i++) h('td', { class: 'num' }, r0, '');
    h('td', { class: 'num' }, r0, acc(R.reference.accuracy));
    h('td', { class: 'num' }, r0, '');
    models.forEach(function (m, mi) {
      m.outputs.forEach(function (o, k) {
        var tr = h('tr', {}, tb);
        var c = h('td', {}, tr);
        if (k === 0) { h('span', { class: 'swatch', style: 'background:' + SERIES[mi % SERIES.length] }, c); c.appendChild(document.createTextNode(m.label)); }
        h('td', { class: 'name' }, tr, o.name);
        var sq = h('td', { class: 'num' }, tr);
        h('span', { class: 'swatch', style: 'background:' + colour(o.metrics.sqnrDb) }, sq);
        sq.appendChild(document.createTextNode(fmt(o.metrics.sqnrDb)));
        h('td', { class: 'num' }, tr, fmt(o.metrics.maxAbsError));
        h('td', { class: 'num' }, tr, fmt(o.metrics.rmse));
        h('td', { class: 'num' }, tr, o.argmax ? o.argmax.agree + '/' + o.argmax.total + ' (' + (100 * o.argmax.agree / Math.max(1, o.argmax.total)).toFixed(0) + '%)' : '-');
        h('td', { class: 'num' }, tr, k === 0 ? acc(m.accuracy) : '');
        h('td', { class: 'num' }, tr, k === 0 ? String(m.layers.length) + (m.unmatchedReference.length ? ' (' + m.unmatchedReference.length + ' unmatched)' : '') : '');
      });
    });
  })();

  // ---- Per-layer SQNR charts ----
  function ordered(m) { return m.layers.slice().sort(function (a, b) { return a.order - b.order; }); }
  var finiteMax = 40;
  models.forEach(function (m) {
    m.layers.forEach(function (l) { var v = num(l.metrics.sqnrDb); if (isFinite(v) && v > finiteMax) finiteMax = v; });
    m.outputs.forEach(function (o) { var v = num(o.metrics.sqnrDb); if (isFinite(v) && v > finiteMax) finiteMax = v; });
  });
  // Very high SQNRs (exactly representable inputs) would flatten the rest: cap the axis at 80 dB.
  var yMax = Math.min(80, Math.ceil(finiteMax / 10) * 10);
  var W = 1120, H = 250, ML = 48, MR = 14, MT = 12;
  function chartFrame(svg, n, MB, labels) {
    var pw = W - ML - MR, ph = H - MT - MB;
    var g = s('g', { class: 'grid' }, svg);
    var ax = s('g', { class: 'axis' }, svg);
    var step = yMax > 100 ? 20 : 10;
    for (var v = 0; v <= yMax; v += step) {
      var y = MT + ph - (v / yMax) * ph;
      s('line', { x1: ML, x2: W - MR, y1: y, y2: y }, g);
      s('text', { x: ML - 6, y: y + 3.5, 'text-anchor': 'end' }, ax, String(v));
    }
    s('line', { x1: ML, x2: ML, y1: MT, y2: MT + ph }, ax);
    s('line', { x1: ML, x2: W - MR, y1: MT + ph, y2: MT + ph }, ax);
    var yl = s('text', { x: 12, y: MT + ph / 2, transform: 'rotate(-90 12 ' + (MT + ph / 2) + ')', 'text-anchor': 'middle' }, ax, 'SQNR (dB)');
    var bw = Math.min(120, pw / Math.max(1, n));
    var every = Math.max(1, Math.ceil(n / 40));
    labels.forEach(function (lab, i) {
      var x = ML + (i + 0.5) * bw;
      if (n <= 32) {
        s('text', { x: x, y: MT + ph + 10, transform: 'rotate(35 ' + x + ' ' + (MT + ph + 10) + ')', 'text-anchor': 'start' }, ax, short(lab, 22));
      } else if (i % every === 0) {
        s('text', { x: x, y: MT + ph + 13, 'text-anchor': 'middle' }, ax, String(i));
      }
    });
    return { pw: pw, ph: ph, bw: bw, ax: ax, yl: yl };
  }
  var charts = document.getElementById('sqnr-charts');
  var defs = '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#2a9d8f"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern>';
  models.forEach(function (m, mi) {
    var layers = ordered(m);
    var n = layers.length;
    var MB = n <= 32 ? 96 : 26;
    var block = h('div', { class: 'chart-block' }, charts);
    var hd = h('h3', {}, block, m.label + ' ');
    h('span', { class: 'sub' }, hd, n + ' layers in execution order; bar colour = SQNR, dashed line = output SQNR');
    var svg = s('svg', { class: 'sqnr-chart', viewBox: '0 0 ' + W + ' ' + H, width: '100%', 'data-model': String(mi), role: 'img' }, block);
    s('defs', {}, svg).innerHTML = defs;
    var f = chartFrame(svg, n, MB, layers.map(function (l) { return leaf(l.name); }));
    var ph = H - MT - MB;
    var bars = s('g', { class: 'bars' }, svg);
    layers.forEach(function (l, i) {
      var v = num(l.metrics.sqnrDb);
      var exact = v === Infinity;
      var hv = isNaN(v) ? 0 : exact ? yMax : Math.max(0, Math.min(yMax, v));
      var bh = Math.max(isNaN(v) ? 0 : 1.5, (hv / yMax) * ph);
      var gap = f.bw > 6 ? Math.min(4, f.bw * 0.18) : 0;
      var r = s('rect', { class: 'bar', x: ML + i * f.bw + gap / 2, y: MT + ph - bh, width: Math.max(0.8, f.bw - gap), height: bh,
        fill: exact ? 'url(#hatch)' : colour(v), 'data-id': String(l.id) }, bars);
      title(r, layerTip(l));
      if (n <= 48 && !isNaN(v)) {
        var lab = exact ? 'exact' : fmt(v, 3);
        if (f.bw >= 22 || n <= 24) s('text', { class: 'val', x: ML + (i + 0.5) * f.bw, y: MT + ph - bh - 3, 'text-anchor': 'middle', 'font-size': f.bw >= 30 ? 10.5 : 8.5, fill: '#333' }, bars, lab + (v > yMax && !exact ? ' \u2191' : ''));
      }
    });
    var out = m.outputs[0];
    if (out) {
      var ov = num(out.metrics.sqnrDb);
      if (isFinite(ov)) {
        var oy = MT + ph - (Math.max(0, Math.min(yMax, ov)) / yMax) * ph;
        s('line', { x1: ML, x2: W - MR, y1: oy, y2: oy, stroke: '#1f2a3a', 'stroke-dasharray': '5 4', 'stroke-width': 1.2 }, svg);
        s('text', { x: W - MR - 4, y: oy - 4, 'text-anchor': 'end', 'font-size': 11, fill: '#1f2a3a' }, svg, 'output ' + fmt(ov) + ' dB');
      }
    }
  });
  if (models.length > 1) {
    var ref = ordered(models[0]);
    var block = h('div', { class: 'chart-block' }, charts);
    var hd = h('h3', {}, block, 'All models ');
    h('span', { class: 'sub' }, hd, 'SQNR per reference layer; a gap means the layer has no counterpart');
    var keyBox = h('div', { class: 'legend' }, block);
    models.forEach(function (m, mi) {
      h('span', { class: 'swatch', style: 'background:' + SERIES[mi % SERIES.length] }, keyBox);
      keyBox.appendChild(document.createTextNode(m.label + '\u2003'));
    });
    var ids = [];
    var seen = {};
    models.forEach(function (m) { ordered(m).forEach(function (l) { if (!seen[l.id]) { seen[l.id] = 1; ids.push(l); } }); });
    ids.sort(function (a, b) { return a.id - b.id; });
    var n = ids.length, MB = n <= 32 ? 96 : 26;
    var svg = s('svg', { class: 'sqnr-chart overlay', viewBox: '0 0 ' + W + ' ' + H, width: '100%' }, block);
    var f = chartFrame(svg, n, MB, ids.map(function (l) { return leaf(l.name); }));
    var ph = H - MT - MB;
    models.forEach(function (m, mi) {
      var d = '', pen = false;
      ids.forEach(function (l, i) {
        var ml = byId[mi][l.id];
        var v = ml ? num(ml.metrics.sqnrDb) : NaN;
        if (isNaN(v)) { pen = false; return; }
        var y = MT + ph - (Math.max(0, Math.min(yMax, v === Infinity ? yMax : v)) / yMax) * ph;
        var x = ML + (i + 0.5) * f.bw;
        d += (pen ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1) + ' ';
        pen = true;
        var c = s('circle', { class: 'point', cx: x, cy: y, r: 3, fill: SERIES[mi % SERIES.length] }, svg);
        title(c, m.label + '\n' + layerTip(ml));
      });
      s('path', { class: 'series', d: d, fill: 'none', stroke: SERIES[mi % SERIES.length], 'stroke-width': 1.8 }, svg);
    });
  }

  // ---- Histograms of the worst layers ----
  var hists = document.getElementById('histograms');
  models.forEach(function (m) {
    var worst = m.layers.filter(function (l) { var v = num(l.metrics.sqnrDb); return l.metrics.histogram && !isNaN(v) && v !== Infinity; })
      .sort(function (a, b) { return num(a.metrics.sqnrDb) - num(b.metrics.sqnrDb); }).slice(0, 6);
    h('h3', {}, hists, m.label);
    if (!worst.length) { h('p', { class: 'help' }, hists, 'No layer with a nonzero error.'); return; }
    var row = h('div', { class: 'hists' }, hists);
    worst.forEach(function (l) {
      var hg = l.metrics.histogram;
      var card = h('div', { class: 'hist-card' }, row);
      h('div', { class: 't', title: l.name }, card, leaf(l.name));
      h('div', { class: 's' }, card, opShort(l.op) + ' \u00B7 SQNR ' + fmt(l.metrics.sqnrDb) + ' dB \u00B7 RMSE/s ' + fmt(l.metrics.rmseOverScale));
      var w = 248, hh = 120, mb = 18, mt = 6;
      var svg = s('svg', { class: 'hist', width: w, height: hh, viewBox: '0 0 ' + w + ' ' + hh }, card);
      var maxc = Math.max.apply(null, hg.counts.concat([1]));
      var bw = w / hg.counts.length;
      var span = hg.hi - hg.lo;
      if (hg.unit === 'lsb' && span > 0) {
        var x0 = ((-0.5 - hg.lo) / span) * w, x1 = ((0.5 - hg.lo) / span) * w;
        s('rect', { x: x0, y: mt, width: x1 - x0, height: hh - mb - mt, fill: '#e8f1fb' }, svg);
      }
      hg.counts.forEach(function (c, i) {
        var bh = (c / maxc) * (hh - mb - mt);
        s('rect', { class: 'hbar', x: i * bw + 0.5, y: hh - mb - bh, width: Math.max(0.5, bw - 1), height: bh, fill: colour(l.metrics.sqnrDb) }, svg);
      });
      var ax = s('g', { class: 'axis' }, svg);
      s('line', { x1: 0, x2: w, y1: hh - mb, y2: hh - mb }, ax);
      var unit = hg.unit === 'lsb' ? ' LSB' : '';
      s('text', { x: 2, y: hh - 5 }, ax, fmt(hg.lo, 2) + unit);
      s('text', { x: w / 2, y: hh - 5, 'text-anchor': 'middle' }, ax, '0');
      s('text', { x: w - 2, y: hh - 5, 'text-anchor': 'end' }, ax, fmt(hg.hi, 2) + unit);
      title(svg, 'error (test - reference)' + (hg.unit === 'lsb' ? ' in units of the test tensor scale; the shaded band is +-0.5 LSB (ideal rounding)' : '') + '; ' + hg.sampled + ' sampled values');
    });
  });

  // ---- Model selector (graph colouring and layer table) ----
  var sel = document.getElementById('model-select');
  models.forEach(function (m, i) { h('option', { value: String(i) }, sel, m.label); });
  if (models.length < 2) sel.parentNode.style.display = 'none';
  var current = 0;
  var selectedId = null;

  // ---- Graph ----
  var G = R.graph;
  var gwrap = document.getElementById('graph');
  if (G.shown < G.total) h('div', { class: 'note' }, gwrap.parentNode.insertBefore(h('div', {}), gwrap), 'Large graph: the drawing shows the first ' + G.shown + ' of ' + G.total + ' ops and inputs (the tables and charts cover all layers).');
  var gsvg = s('svg', { class: 'graph', width: G.width, height: G.height, viewBox: '0 0 ' + G.width + ' ' + G.height }, gwrap);
  var eg = s('g', { class: 'edges' }, gsvg);
  G.edges.forEach(function (e) {
    var a = G.nodes[e[0]], b = G.nodes[e[1]];
    var x1 = a.x + G.nodeWidth / 2, y1 = a.y + G.nodeHeight, x2 = b.x + G.nodeWidth / 2, y2 = b.y;
    var my = (y1 + y2) / 2;
    s('path', { class: 'edge', d: 'M' + x1 + ' ' + y1 + ' C' + x1 + ' ' + my + ' ' + x2 + ' ' + my + ' ' + x2 + ' ' + y2 }, eg);
  });
  var ng = s('g', { class: 'nodes' }, gsvg);
  var nodeEls = G.nodes.map(function (nd, i) {
    var g = s('g', { class: 'node', transform: 'translate(' + nd.x + ',' + nd.y + ')', 'data-node': String(i) }, ng);
    var r = s('rect', { width: G.nodeWidth, height: G.nodeHeight, rx: 5, ry: 5 }, g);
    s('text', { x: 7, y: 14 }, g, short(opShort(nd.op), 24));
    s('text', { class: 'sub', x: 7, y: 27 }, g, short(leaf(nd.names[0] || ''), 27));
    var t = s('title', {}, g, '');
    g.addEventListener('click', function () {
      var l = nd.layers.map(function (id) { return byId[current][id]; }).filter(Boolean)[0];
      select(l ? l.id : null, i);
    });
    return { g: g, rect: r, title: t };
  });
  function worstOf(nd) {
    var best = null;
    nd.layers.forEach(function (id) {
      var l = byId[current][id];
      if (!l) return;
      if (!best || num(l.metrics.sqnrDb) < num(best.metrics.sqnrDb)) best = l;
    });
    return best;
  }
  function paintGraph() {
    G.nodes.forEach(function (nd, i) {
      var l = worstOf(nd);
      var e = nodeEls[i];
      e.rect.setAttribute('fill', l ? (num(l.metrics.sqnrDb) === Infinity ? '#8fd3c9' : colour(l.metrics.sqnrDb)) : '#e3e6ea');
      e.title.textContent = nd.op + '\n' + (l ? layerTip(l) : nd.names.join('\n') + '\n(not compared)');
    });
  }
  var legend = document.getElementById('graph-legend');
  var lsvg = s('svg', { width: 250, height: 26 }, legend);
  var lg = s('linearGradient', { id: 'sqnr-grad' }, s('defs', {}, lsvg));
  STOPS.forEach(function (st) { s('stop', { offset: (st[0] / 48 * 100) + '%', 'stop-color': rgb(st[1]) }, lg); });
  s('rect', { x: 10, y: 2, width: 200, height: 10, fill: 'url(#sqnr-grad)', rx: 2 }, lsvg);
  var lax = s('g', { class: 'axis' }, lsvg);
  [0, 12, 24, 36, 48].forEach(function (v) { s('text', { x: 10 + v / 48 * 200, y: 24, 'text-anchor': 'middle' }, lax, v + (v === 48 ? '+ dB' : '')); });
  h('span', { class: 'swatch', style: 'background:#e3e6ea' }, legend);
  legend.appendChild(document.createTextNode('not compared'));

  // ---- Layer table ----
  var COLS = [
    ['#', function (l) { return l.order; }, true],
    ['layer', function (l) { return l.name; }, false],
    ['op', function (l) { return l.op; }, false, opShort],
    ['type', function (l) { return l.dtype; }, false],
    ['elems', function (l) { return l.elements; }, true],
    ['mean err', function (l) { return num(l.metrics.meanError); }, true, fmt],
    ['max |err|', function (l) { return num(l.metrics.maxAbsError); }, true, fmt],
    ['RMSE', function (l) { return num(l.metrics.rmse); }, true, fmt],
    ['RMSE/scale', function (l) { return num(l.metrics.rmseOverScale); }, true, fmt],
    ['SQNR dB', function (l) { return num(l.metrics.sqnrDb); }, true, fmt],
    ['range used', function (l) { return num(l.metrics.rangeUsed); }, true, function (v) { return pct(v, 0); }],
    ['clipped', function (l) { return num(l.metrics.clippedFraction); }, true, function (v) { return pct(v, 2); }],
    ['matched by', function (l) { return l.matchedBy; }, false]
  ];
  var sortCol = R.sort === 'name' ? 1 : R.sort === 'order' ? 0 : 9;
  var sortDesc = false;
  var tableBox = document.getElementById('layer-table');
  function key(v) { return typeof v === 'number' && isNaN(v) ? Infinity : v; }
  function renderTable() {
    tableBox.innerHTML = '';
    var m = models[current];
    var t = h('table', { class: 'sortable layers' }, h('div', { class: 'table-wrap' }, tableBox));
    var hr = h('tr', {}, h('thead', {}, t));
    COLS.forEach(function (c, i) {
      var th = h('th', { class: (c[2] ? 'num' : '') + (i === sortCol ? ' sorted' + (sortDesc ? ' desc' : '') : '') }, hr, c[0]);
      th.addEventListener('click', function () {
        if (sortCol === i) sortDesc = !sortDesc; else { sortCol = i; sortDesc = false; }
        renderTable();
      });
    });
    var rows = m.layers.slice().sort(function (a, b) {
      var x = key(COLS[sortCol][1](a)), y = key(COLS[sortCol][1](b));
      var c = x < y ? -1 : x > y ? 1 : a.order - b.order;
      return sortDesc ? -c : c;
    });
    var tb = h('tbody', {}, t);
    rows.forEach(function (l) {
      var tr = h('tr', { 'data-id': String(l.id) }, tb);
      if (l.id === selectedId) tr.className = 'selected';
      COLS.forEach(function (c, i) {
        var v = c[1](l);
        var td = h('td', { class: (c[2] ? 'num' : '') + (i === 1 ? ' name' : '') }, tr);
        if (i === 9) h('span', { class: 'swatch', style: 'background:' + (v === Infinity ? '#2a9d8f' : colour(v)) }, td);
        td.appendChild(document.createTextNode(c[3] ? c[3](v) : String(v)));
        if (i === 1) td.title = layerTip(l);
      });
      tr.addEventListener('click', function () { select(l.id, null); });
    });
    var extra = [];
    if (m.unmatchedReference.length) extra.push(m.unmatchedReference.length + ' reference tensor(s) without a counterpart: ' + m.unmatchedReference.join(', '));
    if (m.unmatchedTest.length) extra.push(m.unmatchedTest.length + ' test tensor(s) without a counterpart: ' + m.unmatchedTest.join(', '));
    extra.forEach(function (x) { h('p', { class: 'help' }, tableBox, x); });
  }
  function select(id, nodeIndex) {
    selectedId = id;
    nodeEls.forEach(function (e, i) {
      var on = nodeIndex !== null ? i === nodeIndex : id !== null && G.nodes[i].layers.indexOf(id) >= 0;
      e.g.setAttribute('class', on ? 'node selected' : 'node');
    });
    renderTable();
    var row = id === null ? null : tableBox.querySelector('tr[data-id="' + id + '"]');
    if (row && nodeIndex !== null && row.scrollIntoView) row.scrollIntoView({ block: 'nearest' });
  }
  sel.addEventListener('change', function () { current = Number(sel.value); paintGraph(); renderTable(); });
  paintGraph();
  renderTable();
})();
`;
