// Stampede live UI: follows /api/stream (Server-Sent Events). A `stats` message carries the run's
// whole snapshot (on connect, and when the run starts over); each second after it a `delta` message
// carries what changed (new chart points, changed rows, changed fields), applied on top of the
// snapshot it names as `base` (out of step: reconnect, which sends a whole one). An `event` message
// carries one timeline event (all earlier ones are replayed on connect, numbered by `seq`, so a
// reconnect never doubles them). The charts share one time axis
// (seconds from the start of the run) with the faults drawn as bands and target changes as lines,
// the same way as the HTML report. Text from the data is only set with textContent or drawn on a
// canvas, never parsed as HTML.
(function () {
  'use strict';

  var MAX_POINTS = 3600; // one hour of seconds in the browser
  var px = uPlot.pxRatio || 1;
  var FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var AXIS_WIDTH = 64;
  var snap = null;          // the last snapshot
  var points = [];          // every point received, by endEpochMillis
  var events = [];          // every event received, by seq
  var seen = {};
  var view = { windows: [], markers: [] };
  var charts = [];
  var sort = { key: null, dir: 1 };
  var updates = 0;

  function $(id) { return document.getElementById(id); }
  function two(n) { return (n < 10 ? '0' : '') + n; }
  // A moment as an offset from the start, as the report writes it: the nearest second, "-0:06"
  // before the start (a target starts before the users do).
  function offset(s) {
    var t = Math.round(Math.abs(s));
    var h = Math.floor(t / 3600), m = Math.floor(t % 3600 / 60), sec = t % 60;
    return (s < -0.5 ? '-' : '') + (h > 0 ? h + ':' + two(m) : m) + ':' + two(sec);
  }
  // An event's moment with its tenth when it has one: a kill at 19.4 s is "0:19.4", not "0:19" or
  // "0:20"; one at 19.0 s is "0:19".
  function precise(s) {
    var tenths = Math.round(Math.abs(s) * 10), t = Math.floor(tenths / 10);
    var h = Math.floor(t / 3600), m = Math.floor(t % 3600 / 60), sec = t % 60;
    return (s < -0.05 ? '-' : '') + (h > 0 ? h + ':' + two(m) : m) + ':' + two(sec) + (tenths % 10 ? '.' + tenths % 10 : '');
  }
  function clock(ms) { var d = new Date(ms); return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds()); }
  function millis(v) {
    if (v == null) return '–';
    if (v >= 1000) return +(v / 1000).toFixed(v >= 10000 ? 0 : 1) + ' s';
    return +v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0) + ' ms';
  }
  function fixed(v, digits) { return v == null ? '–' : (+v).toFixed(digits); }
  function start() { return snap && snap.startEpochMillis ? snap.startEpochMillis : Date.now(); }
  function endSeconds() {
    var end = snap && snap.elapsedSeconds ? snap.elapsedSeconds : 0;
    if (points.length) end = Math.max(end, (points[points.length - 1].endEpochMillis - start()) / 1000);
    events.forEach(function (e) { if (stoppedAtEnd(e)) end = Math.max(end, (e.epochMillis - start()) / 1000); });
    return end;
  }

  // ---- the timeline: faults as windows, target changes as markers (the report's Timeline) -------

  function timeline() {
    var s = start(), end = endSeconds();
    var list = events.map(function (e) {
      return { at: (e.epochMillis - s) / 1000, kind: e.kind, target: e.target || '', fault: e.fault || '',
        injection: e.injection || '', detail: e.detail || '', lastsMillis: e.lastsMillis, event: e };
    }).sort(function (a, b) { return a.at - b.at; });
    var windows = [], markers = [];
    var over = snap && snap.status === 'finished' && snap.endEpochMillis ? (snap.endEpochMillis - s) / 1000 : null;
    function label(e) { return e.injection || e.fault || 'fault'; }
    list.forEach(function (e, i) {
      if (e.kind === 'FAULT_INJECTED') windows.push(windowOf(list, i, end, label(e), manual(e.event)));
      else if (e.kind === 'FAULT_FAILED') markers.push({ at: e.at, kind: 'failed' });
      else if (e.kind === 'TARGET_EXITED' && over != null && e.at >= over - 0.5) markers.push({ at: e.at, kind: 'ended' });
      else if (e.kind === 'TARGET_EXITED' || e.kind === 'TARGET_UNHEALTHY' || e.kind === 'TARGET_PAUSED') markers.push({ at: e.at, kind: 'down' });
      else if (e.kind === 'TARGET_HEALTHY') markers.push({ at: e.at, kind: 'up' });
      else if (e.kind === 'TARGET_STARTED' || e.kind === 'TARGET_RESUMED') markers.push({ at: e.at, kind: 'started' });
    });
    return { windows: windows, markers: markers };
  }

  // Stampede stops its targets when the run ends: a normal end, not a target going down.
  function stoppedAtEnd(e) {
    return e.kind === 'TARGET_EXITED' && snap && snap.status === 'finished' && snap.endEpochMillis
      && e.epochMillis >= snap.endEpochMillis - 500;
  }

  // An injection asked for with "Inject now": the first of its fault on its target after the ask.
  var MANUAL_WITHIN_MILLIS = 10000;
  function manual(e) {
    if (e.kind !== 'FAULT_INJECTED' && e.kind !== 'FAULT_FAILED') return false;
    var asks = events.filter(function (a) {
      return a.kind === 'MANUAL_INJECTION' && a.target === e.target && a.fault === e.fault
        && e.epochMillis >= a.epochMillis && e.epochMillis - a.epochMillis < MANUAL_WITHIN_MILLIS;
    });
    return asks.some(function (a) {
      var first = events.filter(function (o) {
        return (o.kind === 'FAULT_INJECTED' || o.kind === 'FAULT_FAILED') && o.target === a.target && o.fault === a.fault
          && o.epochMillis >= a.epochMillis;
      }).sort(function (x, y) { return x.epochMillis - y.epochMillis || x.seq - y.seq; })[0];
      return first === e;
    });
  }

  function windowOf(list, i, end, label, byHand) {
    var inj = list[i], j, e;
    function w(to, kind, active) {
      return { label: label, target: inj.target, manual: !!byHand, from: inj.at, to: Math.max(to, inj.at), kind: kind, active: !!active };
    }
    if (inj.injection) {
      for (j = i + 1; j < list.length; j++) {
        e = list[j];
        if (e.injection === inj.injection && (e.kind === 'FAULT_ROLLED_BACK' || e.kind === 'FAULT_FAILED')) return w(e.at, 'lasting');
      }
      if (inj.lastsMillis != null) return w(end, 'lasting', true); // in effect now, until its rollback
    }
    var down = false;
    for (j = i + 1; j < list.length; j++) {
      e = list[j];
      if (e.target !== inj.target) continue;
      if (e.kind === 'TARGET_EXITED' || e.kind === 'TARGET_UNHEALTHY') down = true;
      else if (e.kind === 'TARGET_HEALTHY' && down) return w(e.at, 'until_healthy');
    }
    return down ? w(end, 'not_recovered', true) : w(inj.at, 'instant');
  }

  // ---- charts ------------------------------------------------------------------------------------

  function zeroBased(u, min, max) { return [0, max == null || max <= 0 ? 1 : max * 1.2]; }

  function line(label, color, fill, format) {
    return { label: label, stroke: color, width: 1.5, fill: fill || undefined, spanGaps: false,
      points: { show: false }, value: function (u, v) { return format(v); } };
  }

  function chart(id, keys, series, yLabel, yValues) {
    var el = $(id);
    var css = getComputedStyle(document.documentElement);
    var ink = css.getPropertyValue('--axis').trim() || '#495057', grid = css.getPropertyValue('--grid').trim() || '#e9ecef';
    var axisY = { font: FONT, stroke: ink, size: AXIS_WIDTH, grid: { stroke: grid }, ticks: { stroke: grid },
      label: yLabel, labelFont: FONT, labelSize: 16 };
    if (yValues) axisY.values = yValues;
    var opts = {
      width: Math.max(el.clientWidth, 300), height: 200,
      cursor: { sync: { key: 'stampede-live' }, drag: { x: false, y: false } },
      scales: { x: { time: false, range: function () { return [0, Math.max(endSeconds(), 10)]; } }, y: { range: zeroBased } },
      axes: [{ font: FONT, stroke: ink, grid: { stroke: grid }, ticks: { stroke: grid },
        incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600],
        values: function (u, splits) { return splits.map(offset); } }, axisY],
      series: [{ label: 'time', value: function (u, v) { return v == null ? '–' : offset(v) + ' (' + clock(start() + v * 1000) + ')'; } }].concat(series),
      hooks: StampedeBands.hooks(function () { return view; })
    };
    var c = new uPlot(opts, data(keys), el);
    c.root.setAttribute('data-chart', id);
    charts.push(c);
    return c;
  }

  // The phases in the order a request goes through them: [the point's field, colour, label], as the report.
  var PHASES = [['connecting', '#f08c00', 'connecting'], ['tlsHandshaking', '#ae3ec9', 'TLS handshake'],
    ['sending', '#1971c2', 'sending'], ['waiting', '#e03131', 'waiting (first byte)'], ['receiving', '#2b8a3e', 'receiving']];
  var STACK_KEYS = ['ph4', 'ph3', 'ph2', 'ph1', 'ph0']; // the total first, so each smaller sum is drawn over it
  var latest = null; // the columns last drawn, for the phase chart's legend
  function phaseMeans(p) {
    var m = p.phases;
    return m ? [m.connecting, m.tlsHandshaking, m.sending, m.waiting, m.receiving] : null;
  }

  function columns() {
    var s = start(), x = [], cols = {};
    ['rps', 'fps', 'p50', 'p95', 'p99', 'users'].forEach(function (k) { cols[k] = []; });
    PHASES.forEach(function (ph, i) { cols['ph' + i] = []; cols['own' + i] = []; });
    points.forEach(function (p) {
      x.push(Math.round(p.endEpochMillis - s) / 1000);
      cols.rps.push(p.requestsPerSecond);
      cols.fps.push(p.failuresPerSecond);
      var none = p.requests === 0; // no request, no latency: a gap, not a zero
      cols.p50.push(none ? null : p.p50Millis);
      cols.p95.push(none ? null : p.p95Millis);
      cols.p99.push(none ? null : p.p99Millis);
      cols.users.push(p.users);
      // each phase's mean stacked on the ones before it: means add up to the mean request time
      var means = phaseMeans(p), sum = 0;
      PHASES.forEach(function (ph, i) {
        var own = means ? means[i] : null;
        sum += own || 0;
        cols['own' + i].push(own);
        cols['ph' + i].push(means ? sum : null);
      });
    });
    latest = { x: x, cols: cols };
    return latest;
  }

  function data(keys) {
    var c = columns();
    return [c.x].concat(keys.map(function (k) { return c.cols[k]; }));
  }

  var CHARTS = [
    { id: 'chart-throughput', keys: ['rps', 'fps'], make: function () {
      return chart('chart-throughput', ['rps', 'fps'], [line('requests/s', '#2b8a3e', 'rgba(43, 138, 62, 0.08)', function (v) { return fixed(v, 1); }),
        line('failures/s', '#e03131', 'rgba(224, 49, 49, 0.12)', function (v) { return fixed(v, 1); })], 'req/s'); } },
    { id: 'chart-latency', keys: ['p50', 'p95', 'p99'], make: function () {
      return chart('chart-latency', ['p50', 'p95', 'p99'], [line('p50', '#1971c2', null, millis), line('p95', '#f08c00', null, millis),
        line('p99', '#9c36b5', null, millis)], 'response time',
        function (u, splits) { return splits.map(function (v) { return v == null ? '' : millis(v); }); }); } },
    { id: 'chart-users', keys: ['users'], make: function () {
      return chart('chart-users', ['users'], [line('users', '#495057', 'rgba(73, 80, 87, 0.10)', function (v) { return fixed(v, 0); })], 'users'); } },
    { id: 'chart-phases', keys: STACK_KEYS, make: function () {
      return chart('chart-phases', STACK_KEYS, STACK_KEYS.map(function (key) {
        var i = +key.slice(2), ph = PHASES[i], s = line(ph[2], ph[1], ph[1] + '99', millis);
        // drawn as the running sum; its legend shows its own mean
        s.value = function (u, v, si, idx) { var own = latest && latest.cols['own' + i][idx]; return own == null ? '–' : millis(own); };
        return s;
      }), 'mean time',
      function (u, splits) { return splits.map(function (v) { return v == null ? '' : millis(v); }); }); } }
  ];

  // The phase chart shows once a point has phase times (a run of WebSockets alone has none).
  function showPhases() {
    var card = $('phases-card'), any = points.some(function (p) { return !!p.phases; });
    if (card.hidden !== any) return;
    card.hidden = !any;
    charts.forEach(function (c) {
      if (c.root.getAttribute('data-chart') === 'chart-phases') c.setSize({ width: Math.max(c.root.parentNode.clientWidth, 300), height: 200 });
    });
  }

  function drawCharts() {
    if (!charts.length) {
      CHARTS.forEach(function (spec) { spec.chart = spec.make(); });
    }
    CHARTS.forEach(function (spec) { spec.chart.setData(data(spec.keys)); });
    showPhases();
    document.documentElement.setAttribute('data-charts', 'ready');
  }

  // ---- header and tables -------------------------------------------------------------------------

  function text(id, value) { $(id).textContent = value; }

  function cell(tr, value, cls) {
    var td = document.createElement('td');
    td.textContent = value == null ? '' : String(value);
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  var COLUMNS = [
    ['method', null], ['name', 'name'], ['requests', 'num', 0], ['failures', 'num', 0], ['medianMillis', 'num', 2],
    ['p95Millis', 'num', 2], ['p99Millis', 'num', 2], ['averageMillis', 'num', 2], ['minMillis', 'num', 2],
    ['maxMillis', 'num', 2], ['averageContentBytes', 'num', 0], ['currentRps', 'num', 1], ['currentFailuresPerSecond', 'num', 1]
  ];

  function requestRow(r, aggregated) {
    var tr = document.createElement('tr');
    COLUMNS.forEach(function (c) {
      var v = r[c[0]];
      if (aggregated && c[0] === 'method') v = '';
      if (aggregated && c[0] === 'name') v = 'Aggregated';
      cell(tr, c.length > 2 ? fixed(v, c[2]) : v, c[1]);
    });
    return tr;
  }

  function renderRequests() {
    var rows = snap.requests.slice();
    if (sort.key) {
      rows.sort(function (a, b) {
        var x = a[sort.key], y = b[sort.key];
        return (typeof x === 'string' ? x.localeCompare(y) : x - y) * sort.dir;
      });
    }
    var body = document.querySelector('#requests tbody');
    body.replaceChildren.apply(body, rows.map(function (r) { return requestRow(r, false); }));
    var foot = document.querySelector('#requests tfoot');
    foot.replaceChildren(requestRow(snap.totals || {}, true));
  }

  function renderFailures() {
    var body = document.querySelector('#failures tbody');
    body.replaceChildren.apply(body, snap.failures.map(function (f) {
      var tr = document.createElement('tr');
      cell(tr, f.method); cell(tr, f.name, 'name'); cell(tr, f.error, 'error'); cell(tr, f.occurrences, 'num');
      return tr;
    }));
    $('no-failures').hidden = snap.failures.length > 0;
  }

  function renderExceptions() {
    var list = snap.exceptions || [];
    var body = document.querySelector('#exceptions tbody');
    body.replaceChildren.apply(body, list.map(function (x) {
      var tr = document.createElement('tr');
      cell(tr, x.task, 'error'); cell(tr, x.occurrences, 'num');
      return tr;
    }));
    $('exceptions').hidden = list.length === 0;
  }

  // Locust's warning: a worker above the CPU limit cannot make its share of the load nor time it well.
  function renderWorkers() {
    var list = snap.workers;
    $('workers').hidden = list == null; // only a --master run has workers
    if (list == null) return;
    var body = document.querySelector('#workers tbody');
    body.replaceChildren.apply(body, list.map(function (w) {
      var tr = document.createElement('tr');
      tr.className = 'state-' + w.state + (w.cpuHigh ? ' cpu-high' : '');
      cell(tr, w.id); cell(tr, w.host, 'name'); cell(tr, w.state, 'state'); cell(tr, w.users, 'num');
      cell(tr, fixed(w.requestsPerSecond, 1), 'num');
      cell(tr, w.cpuPercent == null ? '–' : fixed(w.cpuPercent, 0) + '%', 'num cpu');
      cell(tr, fixed(w.heartbeatAgeSeconds, 1), 'num'); cell(tr, w.requests, 'num'); cell(tr, w.failures, 'num');
      return tr;
    }));
    $('no-workers').hidden = list.length > 0;
    var hot = list.filter(function (w) { return w.cpuHigh && w.state !== 'lost' && w.state !== 'finished'; });
    $('workers-cpu').hidden = hot.length === 0;
    $('workers-cpu').textContent = hot.length === 0 ? '' : 'High CPU on ' + hot.map(function (w) {
      return w.id + ' (' + fixed(w.cpuPercent, 0) + '%)';
    }).join(', ') + ': its load and response times cannot be trusted; add workers or give them more CPU.';
  }

  function renderEvents() {
    var s = start();
    var body = document.querySelector('#events tbody');
    body.replaceChildren.apply(body, events.slice().reverse().map(function (e) {
      var tr = document.createElement('tr');
      tr.className = stoppedAtEnd(e) ? 'ended' : /FAILED|EXITED|UNHEALTHY|INJECTED|CROSSED/.test(e.kind) ? 'bad'
        : /HEALTHY|ROLLED_BACK/.test(e.kind) ? 'good' : /MANUAL|USERS|STOPPED|RESET/.test(e.kind) ? 'command' : '';
      cell(tr, (snap && snap.startEpochMillis ? precise((e.epochMillis - s) / 1000) + ' ' : '') + '(' + clock(e.epochMillis) + ')');
      cell(tr, e.kind, 'kind'); cell(tr, e.target); cell(tr, e.injection || e.fault);
      var detail = (manual(e) ? 'manual, from the page · ' : '') + (stoppedAtEnd(e) ? 'stopped at the end of the run · ' : '') + (e.detail || '');
      cell(tr, detail, 'detail');
      return tr;
    }));
    $('no-events').hidden = events.length > 0;
    renderLog();
  }

  // The run's console lines, as Stampede prints them (events; the progress line is the header).
  function renderLog() {
    var s = start();
    $('log').textContent = events.map(function (e) {
      var at = snap && snap.startEpochMillis ? precise((e.epochMillis - s) / 1000) : '';
      return clock(e.epochMillis) + '.' + String(1000 + e.epochMillis % 1000).slice(1) + '  ' + at + '  ' + e.kind
        + (e.target ? ' ' + e.target : '') + (e.injection || e.fault ? ' ' + (e.injection || e.fault) : '')
        + (manual(e) ? ' (manual, from the page)' : '') + (e.detail ? ': ' + e.detail : '');
    }).join('\n') || 'Nothing logged yet.';
  }

  function renderRatio() {
    var list = $('ratio-list');
    list.replaceChildren.apply(list, (snap.ratio || []).map(function (c) {
      var li = document.createElement('li');
      li.textContent = fixed(c.percent, 1) + ' % ' + c.name;
      var tasks = document.createElement('ul');
      (c.tasks || []).forEach(function (t) {
        var item = document.createElement('li');
        item.textContent = (t.percent == null ? 'in turn' : fixed(t.percent, 1) + ' %') + ' ' + t.name;
        tasks.appendChild(item);
      });
      li.appendChild(tasks);
      return li;
    }));
    $('no-ratio').hidden = (snap.ratio || []).length > 0;
  }

  function renderWindows() {
    var list = $('fault-windows');
    list.replaceChildren.apply(list, view.windows.map(function (w) {
      var li = document.createElement('li');
      li.className = 'fault-label kind-' + w.kind + (w.active ? ' active' : '');
      li.textContent = w.label + (w.target ? ' on ' + w.target : '') + (w.manual ? ' (manual)' : '') + ' · ' + precise(w.from) + '–' + (w.active ? 'now' : precise(w.to));
      return li;
    }));
  }

  function renderHeader() {
    text('run-name', snap.name || 'waiting for the run');
    var status = $('run-status');
    status.textContent = snap.status;
    status.className = 'status ' + snap.status;
    document.title = 'Stampede: ' + (snap.name || 'waiting');
    text('run-host', snap.host || '–');
    var proxy = $('run-proxy');
    proxy.textContent = snap.proxy ? 'through the fault proxy at ' + snap.proxy : '';
    proxy.hidden = !snap.proxy;
    text('run-elapsed', snap.elapsedSeconds == null ? '–' : offset(snap.elapsedSeconds));
    text('run-users', snap.users == null ? '–' : snap.users);
    var t = snap.totals;
    text('run-rps', t ? fixed(t.currentRps, 1) : '–');
    text('run-failures', t ? fixed(t.failureRatio * 100, 2) + ' % (' + t.failures + ')' : '–');
    text('run-faults', snap.activeFaults == null ? 0 : snap.activeFaults);
  }

  function refreshTimeline() {
    view = timeline();
    renderWindows();
    charts.forEach(function (c) { c.redraw(false, false); });
  }

  // ---- controls: the start form, edit / reset / stop, inject now (POST, JSON) --------------------

  var filled = false;

  function control() { return (snap && snap.control) || { mode: 'watch' }; }

  function showError(message) {
    var el = $('control-error');
    el.textContent = message || '';
    el.hidden = !message;
  }

  function post(path, body) {
    showError('');
    return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}) })
      .then(function (r) {
        return r.json().then(function (json) {
          if (!r.ok) showError(json.error || ('HTTP ' + r.status));
          return json;
        });
      })
      .catch(function (e) { showError('Stampede did not answer: ' + e); });
  }

  function number(id) {
    var v = $(id).value.trim();
    return v === '' ? null : Number(v);
  }

  function fillForms(c) {
    var f = c.form || {};
    if (!filled) {
      if (f.users != null) $('start-users').value = f.users;
      if (f.spawnRate != null) { $('start-rate').value = f.spawnRate; $('edit-rate').value = f.spawnRate; }
      if (f.host != null) $('start-host').value = f.host;
      if (f.runTime != null) $('start-time').value = f.runTime;
      filled = true;
    }
    var users = $('edit-users');
    if (document.activeElement !== users && snap.users != null && users.dataset.dirty !== 'true') users.value = snap.users;
  }

  function renderControls() {
    var c = control(), status = snap.status;
    document.body.classList.toggle('model-open', c.model === 'open');
    $('start-form').hidden = !(c.mode === 'interactive' && (status === 'waiting' || status === 'finished' || status === 'failed'));
    $('edit-form').hidden = !(c.mode !== 'watch' && status === 'running');
    fillForms(c);
    if (status === 'failed' && snap.error) showError('The run could not start: ' + snap.error);
  }

  $('start-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var body = { host: $('start-host').value.trim() || null, runTime: $('start-time').value.trim() || null };
    if (control().model !== 'open') { body.users = number('start-users'); body.spawnRate = number('start-rate'); }
    post('api/start', body);
  });
  $('edit-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    $('edit-users').dataset.dirty = 'false';
    post('api/users', { users: number('edit-users'), spawnRate: number('edit-rate') });
  });
  // Touched (focused, cleared, typed in) it is the user's until sent: a redraw must not put the
  // running count back under their hands (a clear then a redraw then '2' would send 62).
  ['focus', 'input', 'change'].forEach(function (type) {
    $('edit-users').addEventListener(type, function () { this.dataset.dirty = 'true'; });
  });
  $('stop').addEventListener('click', function () { post('api/stop'); });
  $('reset').addEventListener('click', function () { post('api/reset'); });

  // ---- the chaos and SLO panels --------------------------------------------------------------------

  function renderChaos() {
    var chaos = snap.chaos || { targets: [], faults: [], active: [] };
    var running = snap.status === 'running';
    var halted = !!(chaos.guard && chaos.guard.haltedBy);
    var body = document.querySelector('#chaos table.targets tbody');
    body.replaceChildren.apply(body, chaos.targets.map(function (t) {
      var tr = document.createElement('tr');
      cell(tr, t.name, 'name'); cell(tr, t.kind); cell(tr, t.state, 'state-' + t.state.replace(/\s+/g, '-'));
      return tr;
    }));
    $('no-targets').hidden = chaos.targets.length > 0;
    document.querySelector('#chaos table.targets').hidden = chaos.targets.length === 0;
    var faults = document.querySelector('#chaos table.faults tbody');
    var elapsed = snap.elapsedSeconds || 0;
    faults.replaceChildren.apply(faults, chaos.faults.map(function (f) {
      var tr = document.createElement('tr');
      cell(tr, f.index, 'num'); cell(tr, f.describe, 'detail');
      var waiting = snap.status !== 'running';
      cell(tr, f.nextSeconds == null ? '–' : waiting ? 'at ' + offset(f.nextSeconds) + ' after the start'
        : 'in ' + offset(Math.max(0, f.nextSeconds - elapsed)) + ' (at ' + offset(f.nextSeconds) + ')');
      var td = document.createElement('td');
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Inject now';
      button.className = 'inject';
      button.setAttribute('data-fault', String(f.index));
      // after a halt the engine refuses injections: the button says so rather than failing
      button.disabled = !running || control().mode === 'watch' || halted;
      button.addEventListener('click', function () { post('api/faults/' + f.index + '/inject'); });
      td.appendChild(button);
      tr.appendChild(td);
      return tr;
    }));
    $('no-faults').hidden = chaos.faults.length > 0;
    document.querySelector('#chaos table.faults').hidden = chaos.faults.length === 0;
    $('active-faults').textContent = chaos.active.length
      ? 'In effect now: ' + chaos.active.map(function (a) { return a.injection + ' on ' + a.target; }).join(', ') : '';
    renderGuard(chaos.guard);
  }

  // The halt conditions with their current values, the steady-state wait, the guard's decision.
  function renderGuard(guard) {
    $('guard').hidden = !guard;
    if (!guard) return;
    var steady = guard.steady;
    text('steady', !steady ? ''
      : steady.state === 'reached' ? 'Steady state reached: every SLO held for ' + steady.holdSeconds + ' s'
      : steady.state === 'not reached' ? 'Not steady: the SLOs did not hold for ' + steady.holdSeconds + ' s within '
        + steady.withinSeconds + ' s; no fault injected'
      : 'Waiting for the steady state: held for ' + steady.heldSeconds + ' s of ' + steady.holdSeconds
        + ' s (within ' + steady.withinSeconds + ' s)');
    var body = document.querySelector('#guard table.halt tbody');
    body.replaceChildren.apply(body, guard.halt.map(function (h) {
      var tr = document.createElement('tr');
      if (h.firing) tr.className = 'firing';
      cell(tr, h.condition, 'detail'); cell(tr, h.value == null ? '–' : h.value, 'value');
      return tr;
    }));
    document.querySelector('#guard table.halt').hidden = guard.halt.length === 0;
    text('halted', guard.haltedBy ? guard.haltedBy + (guard.then === 'stop' ? '; the users stopped' : '; the users go on')
      : guard.halt.length ? 'Then: ' + (guard.then === 'stop' ? 'stop the users' : 'the users go on') : '');
  }

  function budgetBar(left) {
    var div = document.createElement('div');
    div.className = 'budget';
    var bar = document.createElement('span');
    var width = Math.max(0, Math.min(100, left));
    bar.style.width = width + '%';
    if (left < 25) bar.className = 'low';
    var label = document.createElement('em');
    label.textContent = fixed(left, 1) + ' %';
    div.appendChild(bar); div.appendChild(label);
    return div;
  }

  function renderSlo() {
    var slo = snap.slo || { verdict: null, slos: [], thresholds: [] };
    var verdict = $('verdict');
    verdict.textContent = slo.verdict == null ? '–' : (snap.status === 'finished' ? 'verdict: ' : 'so far: ') + slo.verdict;
    verdict.className = 'verdict ' + (slo.verdict === 'pass' ? 'pass' : slo.verdict === 'fail' ? 'fail' : '');
    var body = document.querySelector('#slo table.slos tbody');
    body.replaceChildren.apply(body, slo.slos.map(function (s) {
      var tr = document.createElement('tr');
      cell(tr, s.name + (s.objective ? ' · ' + s.objective : ''), 'name'); cell(tr, fixed(s.objectivePercent, 2) + ' %', 'num');
      cell(tr, s.sliPercent == null ? '–' : fixed(s.sliPercent, 2) + ' %', 'num');
      var td = document.createElement('td');
      if (s.budgetLeftPercent == null) td.textContent = '–'; else td.appendChild(budgetBar(s.budgetLeftPercent));
      tr.appendChild(td);
      var b = s.burnRates || {};
      cell(tr, [b['10s'], b['1m'], b['5m']].map(function (v) { return v == null ? '–' : fixed(v, 1); }).join(' / '), 'num');
      cell(tr, s.status, 'status-' + s.status.replace(/\s+/g, '-'));
      return tr;
    }));
    $('no-slos').hidden = slo.slos.length > 0;
    document.querySelector('#slo table.slos').hidden = slo.slos.length === 0;
    var thresholds = document.querySelector('#slo table.thresholds tbody');
    thresholds.replaceChildren.apply(thresholds, slo.thresholds.map(function (t) {
      var tr = document.createElement('tr');
      cell(tr, t.metric + ' ' + t.expression, 'name'); cell(tr, t.value == null ? '–' : fixed(t.value, 2), 'num');
      cell(tr, t.status, 'status-' + t.status.replace(/\s+/g, '-'));
      return tr;
    }));
    document.querySelector('#slo table.thresholds').hidden = slo.thresholds.length === 0;
  }

  // ---- the stream --------------------------------------------------------------------------------

  var run = null; // the run shown: a stream that reconnects after a new run started sees another number

  function follow(number) {
    if (number == null || number === run) return;
    if (run !== null) onReset();
    run = number;
  }

  function onStats(message) {
    var next = JSON.parse(message.data);
    follow(next.run);
    snap = next;
    show();
  }

  // The rows a delta may change, and what names a row (as the server's SnapshotDelta).
  var KEYED = {
    requests: function (r) { return r.method + ' ' + r.name; },
    failures: function (r) { return r.method + ' ' + r.name + ' ' + r.error; },
    exceptions: function (r) { return r.task; }
  };

  function onDelta(message) {
    var d = JSON.parse(message.data);
    if (!snap || d.run !== snap.run || d.seq <= snap.seq) return; // already in the snapshot sent on connect
    if (d.base !== snap.seq) { reconnect(); return; } // a message was missed: start from a whole snapshot
    Object.keys(d).forEach(function (k) {
      if (k === 'base') return;
      if (k === 'points') snap.points = d.points; // only the new ones; show() appends them
      else if (KEYED[k]) {
        var key = KEYED[k], rows = snap[k] || [], at = {};
        rows.forEach(function (r, i) { at[key(r)] = i; });
        d[k].forEach(function (r) { if (at[key(r)] != null) rows[at[key(r)]] = r; else rows.push(r); });
        snap[k] = rows;
      } else snap[k] = d[k];
    });
    if (!('points' in d)) snap.points = [];
    show();
  }

  function show() {
    var last = points.length ? points[points.length - 1].endEpochMillis : -Infinity;
    (snap.points || []).forEach(function (p) { if (p.endEpochMillis > last) points.push(p); });
    if (points.length > MAX_POINTS) points.splice(0, points.length - MAX_POINTS);
    renderHeader();
    renderControls();
    renderChaos();
    renderSlo();
    renderRequests();
    renderFailures();
    renderExceptions();
    renderWorkers();
    renderRatio();
    renderEvents();
    view = timeline();
    renderWindows();
    if (snap.status !== 'waiting') drawCharts();
    updates++;
    if (snap.status === 'finished' && control().mode !== 'interactive') {
      stream.close(); // nothing more will come: the process ends with this run
      $('connection').textContent = 'run finished';
    }
    document.documentElement.setAttribute('data-updates', String(updates));
  }

  function onEvent(message) {
    var e = JSON.parse(message.data);
    follow(e.run);
    if (seen[e.seq]) return;
    seen[e.seq] = true;
    events.push(e);
    events.sort(function (a, b) { return a.seq - b.seq; });
    renderEvents();
    refreshTimeline();
  }

  document.querySelectorAll('table.sortable th').forEach(function (th) {
    th.addEventListener('click', function () {
      var key = th.getAttribute('data-key');
      sort.dir = sort.key === key ? -sort.dir : (th.classList.contains('num') ? -1 : 1);
      sort.key = key;
      document.querySelectorAll('table.sortable th').forEach(function (o) { o.classList.remove('asc', 'desc'); });
      th.classList.add(sort.dir > 0 ? 'asc' : 'desc');
      if (snap) renderRequests();
    });
  });

  // A new run from the start form: forget the previous one (the server replays the new run's events).
  function onReset() {
    points = []; events = []; seen = {}; view = { windows: [], markers: [] };
    renderEvents(); renderWindows();
    charts.forEach(function (c) { c.setData(data(CHARTS[charts.indexOf(c)].keys)); });
    showError('');
  }

  var stream;
  function connect() {
    stream = new EventSource('api/stream');
    stream.addEventListener('reset', function (message) { follow(JSON.parse(message.data).run); });
    stream.addEventListener('stats', onStats);
    stream.addEventListener('delta', onDelta);
    stream.addEventListener('event', onEvent);
    stream.onopen = function () { var c = $('connection'); c.textContent = 'live'; c.className = 'connection'; };
    stream.onerror = function () {
      var c = $('connection');
      c.textContent = snap && snap.status === 'finished' ? 'run finished' : 'disconnected, retrying…';
      c.className = 'connection' + (snap && snap.status === 'finished' ? '' : ' lost');
    };
    if (window.stampedeLive) window.stampedeLive.stream = stream;
  }
  function reconnect() { stream.close(); connect(); }
  connect();

  // The theme: the system's (prefers-color-scheme) until the toggle picks one, kept in this browser.
  var THEME_KEY = 'stampede-theme';
  function applyTheme(theme) {
    if (theme) document.documentElement.setAttribute('data-theme', theme);
    else document.documentElement.removeAttribute('data-theme');
    // the charts read their colours when made: make them again
    charts.splice(0).forEach(function (c) { c.destroy(); });
    CHARTS.forEach(function (spec) { spec.chart = null; });
    if (snap && snap.status !== 'waiting') drawCharts();
  }
  try { applyTheme(localStorage.getItem(THEME_KEY)); } catch (e) { /* storage off: the system's theme */ }
  $('theme').addEventListener('click', function () {
    var dark = document.documentElement.getAttribute('data-theme') === 'dark'
      || (!document.documentElement.getAttribute('data-theme') && matchMedia('(prefers-color-scheme: dark)').matches);
    var theme = dark ? 'light' : 'dark';
    try { localStorage.setItem(THEME_KEY, theme); } catch (e) { /* kept for this page only */ }
    applyTheme(theme);
  });

  var pending;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (c) { c.setSize({ width: Math.max(c.root.parentNode.clientWidth, 300), height: 200 }); });
    }, 100);
  });

  window.stampedeLive = { charts: charts, view: function () { return view; }, stream: stream,
    snapshot: function () { return snap; } };
})();
