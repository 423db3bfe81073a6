/*
 * The last 120 s of throughput, datagrams and loss, drawn with uPlot (loaded by index.html as a classic script
 * before the modules, as window.uPlot). A view gives one sample per series and refresh: {key, label, color?,
 * inMbps?, outMbps?, outPps?, loss?}; a series is on a chart when its samples carry that chart's fields.
 */
import { $, cssVar, el, setText } from './dom.js';
import { fmtNumber, fmtPps, isNum, LOSS_BAD, LOSS_WARN } from './format.js';

const HISTORY_SECONDS = 120;
const HISTORY_POINTS = 120;
const PALETTE = ['#2f6fdf', '#1a9e55', '#d9480f', '#8e44ad', '#c2255c', '#0c8599',
                 '#b08400', '#5c7cfa', '#2b8a3e', '#e8590c', '#862e9c', '#495057'];
const FIELDS = ['inMbps', 'outMbps', 'outPps', 'loss'];
const KINDS = {
  throughput: (s) => 'inMbps' in s || 'outMbps' in s,
  datagrams: (s) => 'outPps' in s,
  loss: (s) => 'loss' in s,
};

const darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
const narrowQuery = window.matchMedia ? window.matchMedia('(max-width: 600px)') : null;

const chartHeight = () => (narrowQuery && narrowQuery.matches ? 190 : 240);

function fmtTime(secs) {
  const d = new Date(secs * 1000);
  const p2 = (n) => String(n).padStart(2, '0');
  return `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
}

const axisTime = (u, splits) => splits.map((v) => (v == null ? '' : fmtTime(v)));
const axisNumber = (u, splits) => splits.map((v) => (v == null ? '' : v.toLocaleString('en-US', { maximumFractionDigits: 3 })));
const fmtLossValue = (v) => (v === 0 ? '0' : v < 1 ? v.toFixed(2) : v.toFixed(1));

/** Legend value: the hovered point, or the latest known value when the cursor is off the chart. */
function latestOr(format) {
  return (u, v, si, idx) => {
    if (idx == null) {
      const col = u.data[si] || [];
      for (let i = col.length - 1; i >= 0; i--) {
        if (col[i] != null) { v = col[i]; break; }
      }
    }
    return v == null ? '–' : format(v);
  };
}

/** Faint dashed lines at the amber and red loss thresholds, under the series. */
function drawLossBands(u) {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const ratio = window.devicePixelRatio || 1;
  ctx.save();
  ctx.lineWidth = Math.max(1, Math.round(ratio));
  ctx.setLineDash([4 * ratio, 4 * ratio]);
  ctx.globalAlpha = 0.6;
  for (const [v, color] of [[LOSS_WARN, cssVar('--warn', '#9a6700')], [LOSS_BAD, cssVar('--bad', '#c62828')]]) {
    const y = Math.round(u.valToPos(v, 'y', true)) + 0.5;
    if (y < top || y > top + height) continue;
    ctx.strokeStyle = color;
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
  }
  ctx.restore();
}

/** mounts: {throughput, datagrams, loss}: the elements the charts draw into. */
export function createCharts(mounts) {
  const hist = { t: [], series: new Map(), current: [] };   // series: key -> {label, color, width, kinds, inMbps, …}
  const colors = new Map();
  const charts = {};
  // width: the mount's, from the ResizeObserver, so a refresh does not force a layout to read it
  for (const [kind, mount] of Object.entries(mounts)) charts[kind] = { kind, mount, plot: null, sig: '', width: 0 };
  let emptyText = 'No data.';

  function colorFor(key) {
    const s = hist.series.get(key);
    if (s && s.color) return s.color;
    let c = colors.get(key);
    if (!c) {
      const used = new Set(colors.values());
      c = PALETTE.find((p) => !used.has(p)) || PALETTE[colors.size % PALETTE.length];
      colors.set(key, c);
    }
    return c;
  }

  function reset() {
    hist.t = [];
    hist.series.clear();
    hist.current = [];
  }

  function record(timeMs, samples) {
    const t = timeMs / 1000;
    let n = hist.t.length;
    if (n && t < hist.t[n - 1] - 5) { reset(); n = 0; }   // clock jump or restart
    let idx;
    if (n && t - hist.t[n - 1] < 0.5) {
      idx = n - 1;                                       // same refresh seen twice: overwrite
      hist.t[idx] = Math.max(t, hist.t[idx]);
    } else {
      hist.t.push(t);
      for (const s of hist.series.values()) for (const f of FIELDS) s[f].push(null);
      idx = hist.t.length - 1;
    }
    for (const s of hist.series.values()) for (const f of FIELDS) s[f][idx] = null;

    hist.current = [];
    for (const smp of samples) {
      if (hist.current.includes(smp.key)) continue;
      let s = hist.series.get(smp.key);
      if (!s) {
        s = {};
        for (const f of FIELDS) s[f] = new Array(hist.t.length).fill(null);
        hist.series.set(smp.key, s);
      }
      s.label = smp.label;
      s.color = smp.color || null;
      s.width = smp.width || 0;
      s.kinds = Object.keys(KINDS).filter((k) => KINDS[k](smp));
      for (const f of FIELDS) s[f][idx] = isNum(smp[f]) ? smp[f] : null;
      hist.current.push(smp.key);
    }

    let drop = 0;
    while (drop < hist.t.length && (hist.t.length - drop > HISTORY_POINTS || hist.t[drop] < t - HISTORY_SECONDS)) drop++;
    if (drop) {
      hist.t.splice(0, drop);
      for (const s of hist.series.values()) for (const f of FIELDS) s[f].splice(0, drop);
    }
    for (const [k, s] of hist.series) {
      if (!hist.current.includes(k) && FIELDS.every((f) => s[f].every((v) => v == null))) hist.series.delete(k);
    }
    for (const k of colors.keys()) if (!hist.series.has(k)) colors.delete(k);
  }

  function series(kind, keys) {
    const out = [{ label: 'Time', value: latestOr(fmtTime) }];
    const fmtVal = (unit) => latestOr((v) => `${kind === 'datagrams' ? fmtPps(v) : fmtNumber(v)} ${unit}`);
    for (const k of keys) {
      const s = hist.series.get(k);
      const stroke = colorFor(k);
      const width = s.width || 2;
      const common = { stroke, points: { show: false } };
      if (kind === 'throughput') {
        out.push({ ...common, label: `${s.label} in`, width, value: fmtVal('Mbit/s') });
        out.push({ ...common, label: `${s.label} out`, width: width * 0.75, dash: [6, 4], value: fmtVal('Mbit/s') });
      } else if (kind === 'loss') {
        out.push({ ...common, label: s.label, width, value: latestOr((v) => `${fmtLossValue(v)} %`) });
      } else {
        out.push({ ...common, label: `${s.label} out`, width, value: fmtVal('pkt/s') });
      }
    }
    return out;
  }

  function data(kind, keys) {
    const out = [hist.t.slice()];
    for (const k of keys) {
      const s = hist.series.get(k);
      if (kind === 'throughput') out.push(s.inMbps.slice(), s.outMbps.slice());
      else if (kind === 'loss') out.push(s.loss.slice());
      else out.push(s.outPps.slice());
    }
    return out;
  }

  function options(kind, keys, width) {
    const axis = cssVar('--muted', '#666');
    const grid = cssVar('--grid', '#e5e5e5');
    const font = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    const lossRange = (u, min, max) => [0, isNum(max) && max > 0 ? Math.min(100, Math.max(LOSS_WARN * 1.4, max * 1.12)) : LOSS_WARN * 1.4];
    return {
      width,
      height: chartHeight(),
      series: series(kind, keys),
      cursor: { sync: { key: 'rengarde' }, drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: (u, min, max) => [max - HISTORY_SECONDS, max] },
        y: { range: kind === 'loss' ? lossRange : (u, min, max) => [0, isNum(max) && max > 0 ? max * 1.12 : 1] },
      },
      hooks: kind === 'loss' ? { drawAxes: [drawLossBands] } : {},
      axes: [
        { stroke: axis, font, space: 64, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, values: axisTime },
        { stroke: axis, font, size: 52, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, values: axisNumber },
      ],
      legend: {
        live: true,
        markers: {   // uPlot replaces its default markers object wholesale, so give every field
          show: true,
          width: 2,
          dash: (u, si) => (u.series[si].dash ? 'dashed' : 'solid'),
          stroke: (u, si) => u.series[si].stroke(u, si),
          fill: () => 'transparent',
        },
      },
    };
  }

  function showEmpty(c, text) {
    if (c.plot) { c.plot.destroy(); c.plot = null; }
    c.sig = '';
    let msg = $('.chart-empty', c.mount);
    if (!msg) {
      c.mount.textContent = '';
      msg = el('div', 'chart-empty');
      c.mount.append(msg);
    }
    msg.style.height = chartHeight() + 'px';
    setText(msg, text);
  }

  function draw(c) {
    if (typeof window.uPlot !== 'function') {
      showEmpty(c, 'Chart library not loaded.');
      return;
    }
    const keys = hist.current.filter((k) => hist.series.has(k) && hist.series.get(k).kinds.includes(c.kind));
    if (!keys.length || !hist.t.length) {
      showEmpty(c, emptyText);
      return;
    }
    const width = c.width || Math.floor(c.mount.clientWidth);
    if (width < 50) return;   // hidden or not laid out yet
    const sig = [darkQuery && darkQuery.matches ? 'dark' : 'light', chartHeight(),
                 ...keys.map((k) => `${k}\u0001${hist.series.get(k).label}\u0001${colorFor(k)}`)].join('\u0000');
    const d = data(c.kind, keys);
    if (!c.plot || c.sig !== sig) {
      if (c.plot) c.plot.destroy();
      c.mount.textContent = '';
      c.plot = new window.uPlot(options(c.kind, keys, width), d, c.mount);
      c.sig = sig;
    } else {
      c.plot.setData(d);
    }
  }

  function update(text) {
    emptyText = text;
    for (const c of Object.values(charts)) draw(c);
  }

  function resize() {
    for (const c of Object.values(charts)) {
      if (!c.plot) continue;
      const width = c.width;
      const height = chartHeight();
      if (width >= 50 && (width !== c.plot.width || height !== c.plot.height)) c.plot.setSize({ width, height });
    }
  }

  let resizeFrame = 0;
  const scheduleResize = () => {
    if (resizeFrame) return;
    resizeFrame = requestAnimationFrame(() => { resizeFrame = 0; resize(); });
  };
  const byMount = new Map(Object.values(charts).map((c) => [c.mount, c]));
  const measure = (entries) => {
    for (const e of entries) byMount.get(e.target).width = Math.floor(e.contentRect.width);
    scheduleResize();
  };
  if ('ResizeObserver' in window) {
    const ro = new ResizeObserver(measure);
    for (const c of Object.values(charts)) ro.observe(c.mount);
  } else {
    const remeasure = () => {
      for (const c of Object.values(charts)) c.width = Math.floor(c.mount.clientWidth);
      scheduleResize();
    };
    window.addEventListener('resize', remeasure);
  }
  const rebuild = () => { for (const c of Object.values(charts)) c.sig = ''; update(emptyText); };
  if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener('change', rebuild);
  if (narrowQuery && narrowQuery.addEventListener) narrowQuery.addEventListener('change', rebuild);

  return { record, update, reset, colorFor };
}
