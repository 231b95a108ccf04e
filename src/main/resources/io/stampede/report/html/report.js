// Stampede report: draws the time charts from the inlined data with uPlot. Every chart shares one
// time axis (seconds from the start of the run), shows every fault as a shaded window and every
// target event as a line, and zooms together with the others. Text from the data is only ever
// drawn on a canvas or set with textContent, never parsed as HTML.
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('report-data').textContent);
  var px = uPlot.pxRatio || 1;
  var FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var AXIS_WIDTH = 64; // the same on every chart, so their plot areas line up

  var bands = StampedeBands.hooks(function () { return data; });
  var endSeconds = data.endSeconds || 0;
  if (data.x.length && data.x[data.x.length - 1] > endSeconds) {
    endSeconds = data.x[data.x.length - 1];
  }

  // ---- formatting ----------------------------------------------------------------------------

  function two(n) { return (n < 10 ? '0' : '') + n; }

  function offset(s) {
    var sign = s < -0.5 ? '-' : '';
    var t = Math.round(Math.abs(s));
    var h = Math.floor(t / 3600), m = Math.floor(t % 3600 / 60), sec = t % 60;
    return sign + (h > 0 ? h + ':' + two(m) : m) + ':' + two(sec);
  }

  function clock(s) {
    var d = new Date(data.startEpochMillis + s * 1000);
    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }

  function millis(v) {
    if (v == null) return '–';
    if (v >= 1000) return +(v / 1000).toFixed(v >= 10000 ? 0 : 1) + ' s';
    return +v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0) + ' ms';
  }

  function number(v, digits) { return v == null ? '–' : v.toFixed(digits); }

  // ---- data: every chart runs from 0 to the end of the run -------------------------------------

  // An empty sample at both ends pins each chart's x range to the whole run, also after a zoom-out.
  function framed(x, columns) {
    var xs = x.slice(), cols = columns.map(function (c) { return c.slice(); });
    if (!xs.length || xs[0] > 0) { xs.unshift(0); cols.forEach(function (c) { c.unshift(null); }); }
    if (xs[xs.length - 1] < endSeconds) { xs.push(endSeconds); cols.forEach(function (c) { c.push(null); }); }
    return [xs].concat(cols);
  }

  // A horizontal line at y = 0 on the budget chart: below it the error budget is spent.
  function drawZero(u) {
    if (u.scales.y.min > 0 || u.scales.y.max < 0) return;
    var ctx = u.ctx, b = u.bbox, y = Math.round(u.valToPos(0, 'y', true)) + 0.5;
    ctx.save();
    ctx.strokeStyle = '#c92a2a';
    ctx.lineWidth = 1.5 * px;
    ctx.beginPath();
    ctx.moveTo(b.left, y);
    ctx.lineTo(b.left + b.width, y);
    ctx.stroke();
    ctx.restore();
  }

  // ---- charts ----------------------------------------------------------------------------------

  var charts = [];

  // Zooms every chart to [min, max]; with no range, back to the whole run.
  function zoomAll(min, max) {
    charts.forEach(function (c) {
      var x = c.data[0];
      c.setScale('x', min == null ? { min: x[0], max: x[x.length - 1] } : { min: min, max: max });
    });
  }

  function chart(id, columns, series, yAxis, extra) {
    var el = document.getElementById(id);
    if (!el) return;
    var opts = {
      width: Math.max(el.clientWidth, 300),
      height: 220,
      cursor: {
        sync: { key: 'stampede' },
        drag: { x: true, y: false, setScale: false },
        bind: {
          dblclick: function () { return function () { zoomAll(null, null); return null; }; }
        }
      },
      scales: { x: { time: false } },
      axes: [
        {
          font: FONT, stroke: '#495057', grid: { stroke: '#e9ecef' }, ticks: { stroke: '#dee2e6' },
          incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200],
          values: function (u, splits) { return splits.map(offset); }
        },
        Object.assign({
          font: FONT, stroke: '#495057', size: AXIS_WIDTH, grid: { stroke: '#e9ecef' }, ticks: { stroke: '#dee2e6' }
        }, yAxis)
      ],
      series: [{
        label: 'time',
        value: function (u, v) { return v == null ? '–' : offset(v) + ' (' + clock(v) + ')'; }
      }].concat(series),
      hooks: {
        drawClear: bands.drawClear.slice(),
        draw: bands.draw.slice(), // a copy: one chart adds its own hook below
        setLegend: [function (u) { u.root.classList.toggle('u-live', u.cursor.idx != null); }],
        setSelect: [function (u) {
          if (u.select.width > 0) {
            var min = u.posToVal(u.select.left, 'x'), max = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoomAll(min, max);
          }
        }]
      }
    };
    if (extra) extra(opts);
    var c = new uPlot(opts, columns, el);
    c.root.setAttribute('data-chart', id);
    charts.push(c);
  }

  function line(label, color, fill, format) {
    return {
      label: label, stroke: color, width: 1.5, fill: fill || undefined, spanGaps: false,
      points: { show: false }, value: function (u, v) { return format(v); }
    };
  }

  chart('chart-throughput', framed(data.x, [data.rps, data.fps]), [
    line('requests/s', '#2b8a3e', 'rgba(43, 138, 62, 0.08)', function (v) { return number(v, 1); }),
    line('failures/s', '#e03131', 'rgba(224, 49, 49, 0.12)', function (v) { return number(v, 1); })
  ], { label: 'req/s', labelFont: FONT, labelSize: 16 }, function (o) { o.scales.y = { range: zeroBased }; });

  // Latency spans orders of magnitude when a fault hits (1 ms normally, seconds during a pause):
  // a log scale keeps both visible.
  var peak = 0, floor = Infinity;
  data.p99.forEach(function (v) { if (v != null && v > peak) peak = v; });
  data.p50.forEach(function (v) { if (v != null && v > 0 && v < floor) floor = v; });
  var logLatency = peak > 0 && floor < Infinity && peak / floor > 100;
  if (logLatency) {
    var unit = document.querySelector('#chart-latency') && document.querySelector('#chart-latency').parentNode.querySelector('.unit');
    if (unit) unit.textContent = 'milliseconds, log scale';
  }
  chart('chart-latency', framed(data.x, [data.p50, data.p95, data.p99]), [
    line('p50', '#1971c2', null, millis),
    line('p95', '#f08c00', null, millis),
    line('p99', '#9c36b5', null, millis)
  ], {
    label: 'ms', labelFont: FONT, labelSize: 16,
    values: function (u, splits) { return splits.map(function (v) { return v == null ? '' : millis(v).replace(' ms', ''); }); }
  }, function (o) {
    o.scales.y = logLatency ? { distr: 3, log: 10 } : { range: zeroBased };
    if (logLatency) {
      // One grid line per power of ten: the default's nine per decade crowd the chart.
      o.axes[1].splits = function (u, i, min, max) {
        var out = [];
        for (var v = Math.pow(10, Math.floor(Math.log10(min))); v <= max * 1.0001; v *= 10) {
          if (v >= min * 0.9999) out.push(+v.toPrecision(1));
        }
        return out;
      };
      o.axes[1].values = function (u, splits) { return splits.map(millis); };
      o.axes[1].label = '';
    }
  });

  // Each phase stacked on the ones before it (means add up to the mean request time): every series
  // is drawn as the running sum, filled down to 0, the largest first; its legend shows its own mean.
  if (data.phases) {
    var PHASES = [['connecting', '#f08c00', 'connecting'], ['tlsHandshaking', '#ae3ec9', 'TLS handshake'],
      ['sending', '#1971c2', 'sending'], ['waiting', '#e03131', 'waiting (first byte)'], ['receiving', '#2b8a3e', 'receiving']];
    var own = PHASES.map(function (p) { return data.phases[p[0]]; });
    var stacked = [], sum = data.x.map(function () { return null; });
    own.forEach(function (values) {
      sum = sum.map(function (s, i) { return values[i] == null ? s : (s || 0) + values[i]; });
      stacked.push(sum);
    });
    var order = [4, 3, 2, 1, 0]; // the total first, so each smaller sum is drawn over it
    chart('chart-phases', framed(data.x, order.map(function (i) { return stacked[i]; })), order.map(function (i) {
      var s = line(PHASES[i][2], PHASES[i][1], PHASES[i][1] + '99', millis);
      s.value = function (u, v, si, idx) {
        var x = u.data[0][idx], at = data.x.indexOf(x);
        return at < 0 || own[i][at] == null ? '–' : millis(own[i][at]);
      };
      return s;
    }), { label: 'ms', labelFont: FONT, labelSize: 16 }, function (o) { o.scales.y = { range: zeroBased }; });
  }

  chart('chart-users', framed(data.x, [data.users]), [
    line('users', '#495057', 'rgba(73, 80, 87, 0.10)', function (v) { return number(v, 0); })
  ], { label: 'users', labelFont: FONT, labelSize: 16 }, function (o) { o.scales.y = { range: zeroBased }; });

  if (data.budgets) {
    var palette = ['#1971c2', '#7048e8', '#0c8599', '#e8590c', '#2b8a3e', '#862e9c'];
    chart('chart-budget', framed(data.budgets.x, data.budgets.left), data.budgets.names.map(function (name, i) {
      var s = line(name, palette[i % palette.length], null, function (v) { return number(v, 1) + ' %'; });
      s.spanGaps = true;
      return s;
    }), { label: '% left', labelFont: FONT, labelSize: 16 }, function (o) {
      o.scales.y = { range: function (u, min, max) { return [Math.min(min == null ? 0 : min, 0) - 5, Math.max(max == null ? 100 : max, 100) + 5]; } };
      o.hooks.draw.push(drawZero);
    });
  }

  function zeroBased(u, min, max) {
    var top = max == null || max <= 0 ? 1 : max * 1.2; // headroom for the fault labels
    return [0, top];
  }

  // ---- legend: only the kinds this run has -----------------------------------------------------

  var present = {};
  data.windows.forEach(function (w) { present['window-' + (w.kind === 'instant' ? 'until_healthy' : w.kind)] = true; });
  data.markers.forEach(function (m) { present['line-' + m.kind] = true; });
  var legend = document.getElementById('fault-legend');
  Array.prototype.forEach.call(legend.querySelectorAll('.key'), function (key) {
    var swatch = key.querySelector('.swatch, .line');
    var kind = swatch.classList.contains('swatch') ? swatch.classList[1] : 'line-' + swatch.classList[1];
    key.hidden = !present[kind];
  });
  legend.hidden = Object.keys(present).length === 0;

  // ---- size: follow the window, and the paper when printing ------------------------------------

  function resize(width) {
    charts.forEach(function (c) {
      c.setSize({ width: width || Math.max(c.root.parentNode.clientWidth, 300), height: 220 });
    });
  }
  var pending;
  window.addEventListener('resize', function () { clearTimeout(pending); pending = setTimeout(function () { resize(); }, 100); });
  window.addEventListener('beforeprint', function () { resize(680); });
  window.addEventListener('afterprint', function () { resize(); });

  window.stampedeCharts = charts; // for the browser's console and the browser test
  document.documentElement.setAttribute('data-charts', charts.length ? 'ready' : 'none');
})();
