/// The report page's script: draws every chart on a canvas from the embedded JSON
/// (`ReportData`) with a UTC time axis and a value grid, makes the price chart zoomable (wheel,
/// drag, buttons, a day picker) with entries, exits coloured by reason and each position's
/// planned stop and target levels, and makes the trade table sortable and paged. No library, no
/// network: the page works from a file.
enum ReportScript {
    static let source = #"""
(function () {
'use strict';
var D = JSON.parse(document.getElementById('report-data').textContent);
var REASON_COLOURS = JSON.parse(document.getElementById('report-colours').textContent);
var MINUTE = 60000, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
var FONT = '11px sans-serif';

function pad(n) { return (n < 10 ? '0' : '') + n; }
function dateText(ms) { var d = new Date(ms); return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()); }
function timeText(ms) { var d = new Date(ms); return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()); }
function stampText(ms) { return dateText(ms) + ' ' + timeText(ms); }
function holdingText(ms) {
  var m = Math.round(ms / MINUTE);
  if (m < 60) return m + 'm';
  if (m < 1440) return Math.floor(m / 60) + 'h ' + pad(m % 60) + 'm';
  return Math.floor(m / 1440) + 'd ' + Math.floor((m % 1440) / 60) + 'h';
}
function numberText(v, places) {
  if (!isFinite(v)) return '';
  return v.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places });
}

// Nice value ticks: about `count` steps of 1, 2 or 5 times a power of ten.
function valueTicks(lo, hi, count) {
  if (!(hi > lo)) { hi = lo + 1; }
  var raw = (hi - lo) / count, power = Math.pow(10, Math.floor(Math.log10(raw))), step = power;
  [1, 2, 2.5, 5, 10].some(function (m) { step = m * power; return step >= raw; });
  var ticks = [], first = Math.ceil(lo / step) * step;
  for (var v = first; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  var places = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return { ticks: ticks, places: Math.min(places, 8) };
}

// UTC time ticks: the smallest calendar step giving at most `count` ticks.
var TIME_STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY];
function timeTicks(t0, t1, count) {
  var span = t1 - t0, ticks = [], step = null, i;
  for (i = 0; i < TIME_STEPS.length; i++) if (span / TIME_STEPS[i] <= count) { step = TIME_STEPS[i]; break; }
  if (step !== null) {
    var origin = step === 7 * DAY || step === 14 * DAY ? 4 * DAY : 0;  // weeks start on Monday
    for (var t = Math.ceil((t0 - origin) / step) * step + origin; t <= t1; t += step) ticks.push(t);
    return { ticks: ticks, label: step < DAY ? function (t) { return t % DAY === 0 ? dateText(t) : timeText(t); } : dateText, step: step };
  }
  var months = [1, 2, 3, 6, 12, 24], monthStep = 48;
  for (i = 0; i < months.length; i++) if (span / (months[i] * 30.44 * DAY) <= count) { monthStep = months[i]; break; }
  var d = new Date(t0), y = d.getUTCFullYear(), m = d.getUTCMonth();
  m = Math.ceil(m / monthStep) * monthStep;
  for (;;) {
    var tm = Date.UTC(y + Math.floor(m / 12), m % 12, 1);
    if (tm > t1) break;
    if (tm >= t0) ticks.push(tm);
    m += monthStep;
  }
  return { ticks: ticks, label: function (t) { var dd = new Date(t); return monthStep >= 12 ? String(dd.getUTCFullYear()) : dd.getUTCFullYear() + '-' + pad(dd.getUTCMonth() + 1); }, step: monthStep * 30 * DAY };
}

// A canvas sized for the device with plot margins; `frame` draws the grid and both axes.
function Plot(canvas, options) {
  var ratio = window.devicePixelRatio || 1, width = canvas.clientWidth || 900, height = Number(canvas.getAttribute('height')) || 260;
  canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio);
  canvas.style.height = height + 'px';
  this.ctx = canvas.getContext('2d'); this.ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  this.width = width; this.height = height;
  this.left = options && options.left || 70; this.right = 12; this.top = 20; this.bottom = 24;
}
Plot.prototype.x = function (t) { return this.left + (t - this.t0) / (this.t1 - this.t0) * (this.width - this.left - this.right); };
Plot.prototype.y = function (v) { return this.top + (1 - (v - this.v0) / (this.v1 - this.v0)) * (this.height - this.top - this.bottom); };
Plot.prototype.timeAt = function (px) { return this.t0 + (px - this.left) / (this.width - this.left - this.right) * (this.t1 - this.t0); };
Plot.prototype.frame = function (t0, t1, v0, v1, unit, timeAxis) {
  var c = this.ctx;
  if (!(v1 > v0)) { v0 -= 1; v1 += 1; }
  var pad = (v1 - v0) * 0.04; v0 -= pad; v1 += pad;
  this.t0 = t0; this.t1 = t1 > t0 ? t1 : t0 + 1; this.v0 = v0; this.v1 = v1;
  c.clearRect(0, 0, this.width, this.height);
  c.fillStyle = '#fff'; c.fillRect(0, 0, this.width, this.height);
  c.font = FONT; c.lineWidth = 1;
  var values = valueTicks(v0, v1, Math.max(3, Math.floor((this.height - 40) / 40)));
  c.textAlign = 'right'; c.textBaseline = 'middle';
  for (var i = 0; i < values.ticks.length; i++) {
    var y = Math.round(this.y(values.ticks[i])) + 0.5;
    c.strokeStyle = values.ticks[i] === 0 ? '#8c959f' : '#eaeef2'; c.beginPath(); c.moveTo(this.left, y); c.lineTo(this.width - this.right, y); c.stroke();
    c.fillStyle = '#57606a'; c.fillText(numberText(values.ticks[i], values.places), this.left - 6, y);
  }
  if (unit) { c.save(); c.textAlign = 'left'; c.textBaseline = 'top'; c.fillStyle = '#57606a'; c.fillText(unit, this.left, 3); c.restore(); }
  c.textAlign = 'center'; c.textBaseline = 'top';
  if (timeAxis !== false) {
    var times = timeTicks(this.t0, this.t1, Math.max(2, Math.floor((this.width - this.left) / 110)));
    for (i = 0; i < times.ticks.length; i++) {
      var x = Math.round(this.x(times.ticks[i])) + 0.5;
      c.strokeStyle = '#eaeef2'; c.beginPath(); c.moveTo(x, this.top); c.lineTo(x, this.height - this.bottom); c.stroke();
      var label = times.label(times.ticks[i]), half = c.measureText(label).width / 2;
      if (x - half >= 0 && x + half <= this.width) { c.fillStyle = '#57606a'; c.fillText(label, x, this.height - this.bottom + 5); }
    }
  }
  c.strokeStyle = '#8c959f'; c.strokeRect(this.left + 0.5, this.top + 0.5, this.width - this.left - this.right - 1, this.height - this.top - this.bottom - 1);
};
Plot.prototype.clip = function () {
  var c = this.ctx; c.save(); c.beginPath(); c.rect(this.left, this.top, this.width - this.left - this.right, this.height - this.top - this.bottom); c.clip();
};

// ---- price series: decoded from close deltas and run-length times -----------------------------
function decode(series) {
  var n = series.c.length, close = new Float64Array(n), high = new Float64Array(n), low = new Float64Array(n), time = new Float64Array(n);
  var q = series.q, level = 0, i;
  for (i = 0; i < n; i++) { level += series.c[i]; close[i] = level * q; high[i] = (level + series.h[i]) * q; low[i] = (level - series.l[i]) * q; }
  for (var r = 0; r < series.runs.length; r++) {
    var start = series.runs[r][0], end = r + 1 < series.runs.length ? series.runs[r + 1][0] : n;
    for (i = start; i < end; i++) time[i] = series.runs[r][1] + (i - start) * series.runs[r][2];
  }
  return { name: series.name, close: close, high: high, low: low, time: time, n: n, step: series.runs.length ? series.runs[0][2] : MINUTE };
}
function lowerBound(array, n, value) { var lo = 0, hi = n; while (lo < hi) { var mid = (lo + hi) >> 1; if (array[mid] < value) lo = mid + 1; else hi = mid; } return lo; }

var T = D.trades, tradeCount = T.et.length;
var symbols = D.symbols.map(decode);

// ---- price chart ------------------------------------------------------------------------------
var priceCanvas = document.getElementById('price-chart');
var state = { symbol: 0, t0: 0, t1: 1, drag: null };
function fullRange() { var s = symbols[state.symbol]; return s && s.n ? [s.time[0], s.time[s.n - 1] + s.step] : [0, DAY]; }
function setWindow(t0, t1) {
  var full = fullRange(), span = Math.max(t1 - t0, 30 * MINUTE);
  span = Math.min(span, full[1] - full[0]);
  t0 = Math.max(full[0], Math.min(t0, full[1] - span));
  state.t0 = t0; state.t1 = t0 + span; drawPrice();
}
function drawPrice() {
  var s = symbols[state.symbol];
  if (!s || !s.n) return;
  var plot = new Plot(priceCanvas, { left: 78 }), c = plot.ctx;
  var i0 = Math.max(0, lowerBound(s.time, s.n, state.t0) - 1), i1 = Math.min(s.n, lowerBound(s.time, s.n, state.t1) + 1), i;
  var lo = Infinity, hi = -Infinity;
  for (i = i0; i < i1; i++) { if (s.low[i] < lo) lo = s.low[i]; if (s.high[i] > hi) hi = s.high[i]; }
  plot.frame(state.t0, state.t1, lo, hi, s.name + ' (USDT)');
  plot.clip();
  var columns = plot.width - plot.left - plot.right, perColumn = (i1 - i0) / columns;
  if (perColumn > 1.5) {
    // Many bars per pixel: the high-low envelope and the close range of each pixel column.
    var col, start = i0;
    c.fillStyle = 'rgba(9,105,218,0.18)'; c.strokeStyle = '#0969da';
    for (col = 0; col < columns && start < i1; col++) {
      var tEnd = plot.timeAt(plot.left + col + 1), end = start, h = -Infinity, l = Infinity, ch = -Infinity, cl = Infinity;
      while (end < i1 && s.time[end] < tEnd) { if (s.high[end] > h) h = s.high[end]; if (s.low[end] < l) l = s.low[end]; if (s.close[end] > ch) ch = s.close[end]; if (s.close[end] < cl) cl = s.close[end]; end++; }
      if (end > start) {
        var x = plot.left + col;
        c.fillRect(x, plot.y(h), 1, Math.max(1, plot.y(l) - plot.y(h)));
        c.fillStyle = '#0969da'; c.fillRect(x, plot.y(ch), 1, Math.max(1, plot.y(cl) - plot.y(ch))); c.fillStyle = 'rgba(9,105,218,0.18)';
      }
      start = end;
    }
  } else {
    // Few bars: each bar's high-low range and the close line.
    c.strokeStyle = 'rgba(9,105,218,0.35)';
    for (i = i0; i < i1; i++) { var xb = Math.round(plot.x(s.time[i] + s.step / 2)) + 0.5; c.beginPath(); c.moveTo(xb, plot.y(s.high[i])); c.lineTo(xb, plot.y(s.low[i])); c.stroke(); }
    c.strokeStyle = '#0969da'; c.lineWidth = 1.2; c.beginPath();
    for (i = i0; i < i1; i++) { var xc = plot.x(s.time[i] + s.step); if (i === i0) c.moveTo(xc, plot.y(s.close[i])); else c.lineTo(xc, plot.y(s.close[i])); }
    c.stroke(); c.lineWidth = 1;
  }
  // Trades of this symbol overlapping the window.
  var visible = [];
  for (i = 0; i < tradeCount; i++) if (T.s[i] === state.symbol && T.xt[i] >= state.t0 && T.et[i] <= state.t1) visible.push(i);
  var detailed = visible.length <= 400;
  visible.forEach(function (k) {
    var xe = plot.x(T.et[k]), xx = plot.x(T.xt[k]);
    if (detailed) {
      c.setLineDash([4, 3]);
      if (T.stop[k] !== null) { c.strokeStyle = '#cf222e'; c.beginPath(); c.moveTo(xe, plot.y(T.stop[k])); c.lineTo(xx, plot.y(T.stop[k])); c.stroke(); }
      c.strokeStyle = '#1a7f37';
      T.tg[k].forEach(function (p) { c.beginPath(); c.moveTo(xe, plot.y(p)); c.lineTo(xx, plot.y(p)); c.stroke(); });
      c.setLineDash([]);
      c.strokeStyle = T.net[k] > 0 ? 'rgba(26,127,55,0.6)' : 'rgba(207,34,46,0.6)';
      c.beginPath(); c.moveTo(xe, plot.y(T.ep[k])); c.lineTo(xx, plot.y(T.xp[k])); c.stroke();
    }
    var ye = plot.y(T.ep[k]), size = detailed ? 5 : 3;
    c.fillStyle = T.side[k] > 0 ? '#1a7f37' : '#cf222e';
    c.beginPath();
    if (T.side[k] > 0) { c.moveTo(xe, ye - size); c.lineTo(xe - size, ye + size); c.lineTo(xe + size, ye + size); }
    else { c.moveTo(xe, ye + size); c.lineTo(xe - size, ye - size); c.lineTo(xe + size, ye - size); }
    c.fill();
    c.fillStyle = REASON_COLOURS[D.reasons[T.r[k]]] || '#d4a72c';
    c.beginPath(); c.arc(xx, plot.y(T.xp[k]), detailed ? 4 : 2.5, 0, 2 * Math.PI); c.fill();
    if (detailed) { c.strokeStyle = '#fff'; c.stroke(); }
  });
  c.restore();
  document.getElementById('price-window').textContent = stampText(state.t0) + ' – ' + stampText(state.t1) + ' UTC · ' + visible.length + ' trades'
    + (detailed ? ' (dashed: planned stop in red, target in green)' : ' (zoom in to see stop and target levels)');
  priceCanvas.dataset.visibleTrades = String(visible.length);
}
function zoomTo(span) { var middle = (state.t0 + state.t1) / 2; setWindow(middle - span / 2, middle + span / 2); }
if (symbols.length && priceCanvas) {
  var select = document.getElementById('price-symbol');
  symbols.forEach(function (s, index) { var o = document.createElement('option'); o.value = String(index); o.textContent = s.name; select.appendChild(o); });
  select.addEventListener('change', function () { state.symbol = Number(select.value); var f = fullRange(); setWindow(f[0], f[1]); });
  document.getElementById('zoom-all').addEventListener('click', function () { var f = fullRange(); setWindow(f[0], f[1]); });
  document.getElementById('zoom-month').addEventListener('click', function () { zoomTo(30 * DAY); });
  document.getElementById('zoom-week').addEventListener('click', function () { zoomTo(7 * DAY); });
  document.getElementById('zoom-day').addEventListener('click', function () { zoomTo(DAY); });
  document.getElementById('pan-back').addEventListener('click', function () { var span = state.t1 - state.t0; setWindow(state.t0 - span, state.t1 - span); });
  document.getElementById('pan-forward').addEventListener('click', function () { var span = state.t1 - state.t0; setWindow(state.t0 + span, state.t1 + span); });
  var day = document.getElementById('day');
  var full = fullRange(); day.min = dateText(full[0]); day.max = dateText(full[1] - 1); day.value = day.min;
  day.addEventListener('change', function () { var t = Date.parse(day.value + 'T00:00:00Z'); if (!isNaN(t)) setWindow(t, t + DAY); });
  priceCanvas.addEventListener('wheel', function (event) {
    event.preventDefault();
    var rect = priceCanvas.getBoundingClientRect(), plot = { left: 78, right: 12, width: rect.width };
    var fraction = Math.min(1, Math.max(0, (event.clientX - rect.left - plot.left) / (plot.width - plot.left - plot.right)));
    var at = state.t0 + fraction * (state.t1 - state.t0), factor = event.deltaY > 0 ? 1.25 : 0.8, span = (state.t1 - state.t0) * factor;
    setWindow(at - fraction * span, at - fraction * span + span);
  }, { passive: false });
  priceCanvas.addEventListener('mousedown', function (event) { state.drag = { x: event.clientX, t0: state.t0, t1: state.t1 }; });
  window.addEventListener('mouseup', function () { state.drag = null; });
  window.addEventListener('mousemove', function (event) {
    if (!state.drag) return;
    var width = priceCanvas.getBoundingClientRect().width - 90, shift = (event.clientX - state.drag.x) / width * (state.drag.t1 - state.drag.t0);
    setWindow(state.drag.t0 - shift, state.drag.t1 - shift);
  });
  setWindow(full[0], full[1]);
}

// ---- equity and drawdown ----------------------------------------------------------------------
function lineChart(id, times, values, colour, unit, fill) {
  var canvas = document.getElementById(id);
  if (!canvas) return;
  var plot = new Plot(canvas), c = plot.ctx;
  if (times.length < 2) { plot.frame(0, DAY, 0, 1, unit); c.fillStyle = '#57606a'; c.fillText('not enough points', plot.width / 2, plot.height / 2); return; }
  var lo = Infinity, hi = -Infinity, i;
  for (i = 0; i < values.length; i++) { if (values[i] < lo) lo = values[i]; if (values[i] > hi) hi = values[i]; }
  if (fill) hi = Math.max(hi, 0);
  plot.frame(times[0], times[times.length - 1], lo, hi, unit);
  plot.clip();
  c.beginPath();
  for (i = 0; i < times.length; i++) { var x = plot.x(times[i]), y = plot.y(values[i]); if (i === 0) c.moveTo(x, y); else c.lineTo(x, y); }
  if (fill) { c.lineTo(plot.x(times[times.length - 1]), plot.y(0)); c.lineTo(plot.x(times[0]), plot.y(0)); c.closePath(); c.fillStyle = 'rgba(207,34,46,0.25)'; c.fill(); }
  c.strokeStyle = colour; c.lineWidth = 1.3; c.stroke();
  c.restore();
}
lineChart('equity-chart', D.equity.t, D.equity.v, '#0969da', 'equity (USDT)', false);
lineChart('drawdown-chart', D.equity.t, D.equity.d, '#cf222e', 'drawdown (USDT)', true);

// ---- distributions ----------------------------------------------------------------------------
function histogram(id, edges, counts, labels, colours, unit) {
  var canvas = document.getElementById(id);
  if (!canvas) return;
  var plot = new Plot(canvas, { left: 56 }), c = plot.ctx, top = Math.max.apply(null, counts.concat([1]));
  plot.bottom = 38;
  plot.frame(0, counts.length, 0, top, unit, false);
  var width = (plot.width - plot.left - plot.right) / counts.length;
  c.textAlign = 'center'; c.textBaseline = 'top'; c.fillStyle = '#57606a';
  var every = Math.ceil(counts.length / Math.max(1, Math.floor((plot.width - plot.left) / 60)));
  for (var i = 0; i < counts.length; i++) {
    c.fillStyle = colours[i]; c.fillRect(plot.left + i * width + 1, plot.y(counts[i]), Math.max(1, width - 2), plot.y(0) - plot.y(counts[i]));
    if (i % every === 0) { c.fillStyle = '#57606a'; c.fillText(labels[i], plot.left + i * width + width / 2, plot.height - plot.bottom + 5); }
  }
}
if (tradeCount > 0) {
  var nets = Array.prototype.slice.call(T.net).sort(function (a, b) { return a - b; });
  var p1 = nets[Math.floor(0.01 * (nets.length - 1))], p99 = nets[Math.ceil(0.99 * (nets.length - 1))];
  var span = Math.max(p99 - p1, 1e-9), bins = 40, binWidth = valueTicks(0, span, bins).ticks[1] || span / bins;
  var from = Math.floor(p1 / binWidth) * binWidth, binCount = Math.min(200, Math.ceil((p99 - from) / binWidth) + 1);
  var pnlCounts = new Array(binCount + 2).fill(0), pnlLabels = [], pnlColours = [];
  T.net.forEach(function (v) { var b = v < from ? 0 : v >= from + binCount * binWidth ? binCount + 1 : 1 + Math.floor((v - from) / binWidth); pnlCounts[b]++; });
  var places = Math.max(0, -Math.floor(Math.log10(binWidth)));
  for (var b = 0; b < binCount + 2; b++) {
    var lowEdge = from + (b - 1) * binWidth;
    pnlLabels.push(b === 0 ? '< ' + numberText(from, places) : b === binCount + 1 ? '≥ ' + numberText(from + binCount * binWidth, places) : numberText(lowEdge, places));
    pnlColours.push(b === 0 || lowEdge + binWidth <= 0 ? 'rgba(207,34,46,0.7)' : lowEdge >= 0 ? 'rgba(26,127,55,0.7)' : 'rgba(140,149,159,0.7)');
  }
  histogram('pnl-histogram', null, pnlCounts, pnlLabels, pnlColours, 'trades by net PnL (USDT)');
  var holdEdges = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR, DAY, 2 * DAY, 4 * DAY, 7 * DAY];
  var holdCounts = new Array(holdEdges.length + 1).fill(0), holdLabels = ['< 1m'], holdColours = [];
  for (var k = 0; k < tradeCount; k++) { var h = T.xt[k] - T.et[k], e = 0; while (e < holdEdges.length && h >= holdEdges[e]) e++; holdCounts[e]++; }
  for (var e2 = 0; e2 < holdEdges.length; e2++) holdLabels.push('≥ ' + holdingText(holdEdges[e2]).replace(' 00m', ''));
  for (var e3 = 0; e3 <= holdEdges.length; e3++) holdColours.push('rgba(9,105,218,0.7)');
  histogram('holding-histogram', null, holdCounts, holdLabels, holdColours, 'trades by holding time');
}

// ---- trade table: sortable, paged, a row zooms the price chart to the trade -------------------
var table = document.getElementById('trades');
if (table && tradeCount > 0) {
  var columns = [
    { name: '#', value: function (k) { return k + 1; }, text: function (k) { return String(k + 1); } },
    { name: 'symbol', value: function (k) { return symbols[T.s[k]] ? symbols[T.s[k]].name : ''; }, text: function (k) { return symbols[T.s[k]] ? symbols[T.s[k]].name : ''; } },
    { name: 'side', value: function (k) { return T.side[k]; }, text: function (k) { return T.side[k] > 0 ? 'LONG' : 'SHORT'; } },
    { name: 'entry (UTC)', value: function (k) { return T.et[k]; }, text: function (k) { return stampText(T.et[k]); } },
    { name: 'exit (UTC)', value: function (k) { return T.xt[k]; }, text: function (k) { return stampText(T.xt[k]); } },
    { name: 'holding', value: function (k) { return T.xt[k] - T.et[k]; }, text: function (k) { return holdingText(T.xt[k] - T.et[k]); } },
    { name: 'entry price', value: function (k) { return T.ep[k]; }, text: function (k) { return String(T.ep[k]); } },
    { name: 'exit price', value: function (k) { return T.xp[k]; }, text: function (k) { return String(T.xp[k]); } },
    { name: 'stop', value: function (k) { return T.stop[k] === null ? -Infinity : T.stop[k]; }, text: function (k) { return T.stop[k] === null ? '' : String(T.stop[k]); } },
    { name: 'exit reason', value: function (k) { return D.reasons[T.r[k]]; }, text: function (k) { return D.reasons[T.r[k]]; } },
    { name: 'fees', value: function (k) { return T.fees[k]; }, text: function (k) { return numberText(T.fees[k], 2); } },
    { name: 'net PnL', value: function (k) { return T.net[k]; }, text: function (k) { return numberText(T.net[k], 2); } }
  ];
  var order = [], sortColumn = 0, descending = false, page = 0, pageSize = 50;
  for (var t = 0; t < tradeCount; t++) order.push(t);
  var head = table.createTHead().insertRow();
  columns.forEach(function (column, index) {
    var cell = document.createElement('th'); cell.textContent = column.name; cell.dataset.column = String(index); cell.title = 'sort by ' + column.name;
    cell.addEventListener('click', function () { sortBy(index); });
    head.appendChild(cell);
  });
  var body = table.createTBody();
  var sortBy = function (index) {
    descending = sortColumn === index ? !descending : false; sortColumn = index;
    var value = columns[index].value;
    order.sort(function (a, b) { var x = value(a), y = value(b); return x < y ? (descending ? 1 : -1) : x > y ? (descending ? -1 : 1) : a - b; });
    page = 0; render();
  };
  var render = function () {
    var pages = Math.max(1, Math.ceil(order.length / pageSize));
    page = Math.max(0, Math.min(page, pages - 1));
    Array.prototype.forEach.call(head.cells, function (cell, index) {
      cell.className = index === sortColumn ? (descending ? 'sorted-desc' : 'sorted-asc') : '';
      cell.setAttribute('aria-sort', index === sortColumn ? (descending ? 'descending' : 'ascending') : 'none');
    });
    body.textContent = '';
    order.slice(page * pageSize, page * pageSize + pageSize).forEach(function (k) {
      var row = body.insertRow(); row.dataset.trade = String(k);
      columns.forEach(function (column, index) {
        var cell = row.insertCell(); cell.textContent = column.text(k);
        if (index === 9) { var swatch = document.createElement('span'); swatch.className = 'swatch'; swatch.style.background = REASON_COLOURS[D.reasons[T.r[k]]] || '#d4a72c'; cell.prepend(swatch); }
        if (index === 11) cell.className = T.net[k] > 0 ? 'win' : 'loss';
      });
      row.addEventListener('click', function () {
        state.symbol = T.s[k]; document.getElementById('price-symbol').value = String(T.s[k]);
        var hold = Math.max(T.xt[k] - T.et[k], HOUR), margin = Math.max(hold, 2 * HOUR);
        setWindow(T.et[k] - margin, T.xt[k] + margin);
        priceCanvas.scrollIntoView({ behavior: 'smooth', block: 'center' });
      });
    });
    document.getElementById('trade-page').textContent = 'page ' + (page + 1) + ' of ' + pages + ' · ' + order.length + ' trades · click a column to sort, a row to see the trade on the price chart';
  };
  document.getElementById('page-back').addEventListener('click', function () { page--; render(); });
  document.getElementById('page-forward').addEventListener('click', function () { page++; render(); });
  render();
}
document.body.dataset.rendered = 'ok';
})();
"""#
}
