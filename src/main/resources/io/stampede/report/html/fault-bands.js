// Fault bands for uPlot, one drawing for the HTML report and the live web UI: every fault a shaded
// window (lasting: injection to rollback; instant: until the target is healthy again), its name at
// the top left, and every target change a vertical line. Load after uPlot.
var StampedeBands = (function () {
  'use strict';

  var px = uPlot.pxRatio || 1;
  var WINDOW_FILL = {
    lasting: 'rgba(245, 159, 0, 0.22)',
    until_healthy: 'rgba(224, 49, 49, 0.13)',
    not_recovered: 'rgba(224, 49, 49, 0.30)',
    instant: 'rgba(224, 49, 49, 0.85)'
  };
  var WINDOW_EDGE = {
    lasting: 'rgba(230, 119, 0, 0.9)',
    until_healthy: 'rgba(201, 42, 42, 0.7)',
    not_recovered: 'rgba(201, 42, 42, 0.9)',
    instant: 'rgba(201, 42, 42, 0.9)'
  };
  var MARKER = {
    down: { color: '#e03131', dash: [5, 3], width: 1.5 },
    up: { color: '#2f9e44', dash: [5, 3], width: 1.5 },
    started: { color: '#868e96', dash: [2, 3], width: 1 },
    ended: { color: '#868e96', dash: [8, 3], width: 1.5 },
    failed: { color: '#212529', dash: [], width: 2 }
  };

  function clipped(u, draw) {
    var ctx = u.ctx, b = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(b.left, b.top, b.width, b.height);
    ctx.clip();
    draw(ctx, b);
    ctx.restore();
  }

  function drawWindows(u, windows) {
    clipped(u, function (ctx, b) {
      windows.forEach(function (w) {
        var x0 = u.valToPos(w.from, 'x', true), x1 = u.valToPos(w.to, 'x', true);
        var thin = w.kind === 'instant' || x1 - x0 < 3 * px;
        ctx.fillStyle = WINDOW_FILL[w.kind] || WINDOW_FILL.lasting;
        ctx.fillRect(x0, b.top, thin ? 2 * px : x1 - x0, b.height);
        if (!thin) {
          ctx.fillStyle = WINDOW_EDGE[w.kind] || WINDOW_EDGE.lasting;
          ctx.fillRect(x0, b.top, 2 * px, b.height);
        }
      });
    });
  }

  // The page may set --band-label (a dark theme); white otherwise.
  function labelBackground() {
    return getComputedStyle(document.documentElement).getPropertyValue('--band-label').trim() || 'rgba(255, 255, 255, 0.9)';
  }

  // Each window's name at its top left, over the lines and markers so it stays readable.
  function drawLabels(u, windows) {
    clipped(u, function (ctx, b) {
      ctx.font = 'bold ' + Math.round(11 * px) + 'px system-ui, sans-serif';
      ctx.textAlign = 'left'; // uPlot leaves the axes' alignment behind
      ctx.textBaseline = 'top';
      windows.forEach(function (w) {
        var text = w.label + (w.target ? ' on ' + w.target : '') + (w.manual ? ' (manual)' : '');
        var tw = ctx.measureText(text).width;
        // at the window's left, but inside the plot: a fault near the right edge keeps its whole name
        var x0 = Math.max(b.left, Math.min(u.valToPos(w.from, 'x', true), b.left + b.width - tw - 11 * px));
        ctx.fillStyle = labelBackground();
        ctx.fillRect(x0 + 4 * px, b.top + 3 * px, tw + 6 * px, 15 * px);
        ctx.fillStyle = WINDOW_EDGE[w.kind] || '#000';
        ctx.fillText(text, x0 + 7 * px, b.top + 5 * px);
      });
    });
  }

  function drawMarkers(u, markers) {
    clipped(u, function (ctx, b) {
      markers.forEach(function (m) {
        var style = MARKER[m.kind];
        if (!style || m.at < u.scales.x.min || m.at > u.scales.x.max) return;
        var x = Math.round(u.valToPos(m.at, 'x', true)) + 0.5;
        ctx.strokeStyle = style.color;
        ctx.lineWidth = style.width * px;
        ctx.setLineDash(style.dash.map(function (d) { return d * px; }));
        ctx.beginPath();
        ctx.moveTo(x, b.top);
        ctx.lineTo(x, b.top + b.height);
        ctx.stroke();
      });
    });
  }

  /**
   * uPlot hooks that draw the bands; {@code timeline()} is asked at every draw, so a live page can
   * change its windows and markers between draws.
   */
  function hooks(timeline) {
    return {
      drawClear: [function (u) { drawWindows(u, timeline().windows); }],
      draw: [function (u) { drawMarkers(u, timeline().markers); }, function (u) { drawLabels(u, timeline().windows); }]
    };
  }

  return { hooks: hooks };
})();
