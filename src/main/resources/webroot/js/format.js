/* Number, time and ratio formatting, and the thresholds the views share. */

export const LAST_RED_SECONDS = 10;  // engarde: "last received" turns red from here
export const LOSS_WARN = 5;          // link loss %, amber from here
export const LOSS_BAD = 20;          // link loss %, red from here
export const TUNNEL_LOSS_BAD = 1;    // tunnel loss %, red from here (any tunnel loss is amber: redundancy failed)

export const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

/**
 * A whole number with thousands separators, written out by hand: Number.prototype.toLocaleString builds a
 * formatter per call, and even a shared Intl.NumberFormat costs several times this, which shows when a page of
 * 1,000 peers formats thousands of numbers a second.
 */
function grouped(x) {
  const n = Math.round(x);
  const s = String(Math.abs(n));
  if (s.length <= 3) return n < 0 ? '-' + s : s;
  let out = s.slice(0, s.length % 3 || 3);
  for (let i = out.length; i < s.length; i += 3) out += ',' + s.slice(i, i + 3);
  return n < 0 ? '-' + out : out;
}

export const isObject = (v) => v != null && typeof v === 'object' && !Array.isArray(v);

export const objectOr = (v) => (isObject(v) ? v : {});

export const arrayOr = (v) => (Array.isArray(v) ? v : []);

export function fmtNumber(x) {
  if (!isNum(x)) return '–';
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a < 10) return x.toFixed(2);
  if (a < 100) return x.toFixed(1);
  return grouped(x);
}

export function fmtPps(x) {
  if (!isNum(x)) return '–';
  if (x !== 0 && Math.abs(x) < 10) return x.toFixed(1);
  return grouped(x);
}

export const mbps = (bytesPerSec) => (isNum(bytesPerSec) ? bytesPerSec * 8 / 1e6 : null);

export function fmtBytes(b) {
  if (!isNum(b)) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let v = b;
  while (Math.abs(v) >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return (i === 0 ? String(Math.round(v)) : (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v))) + ' ' + units[i];
}

export const fmtInt = (n) => (isNum(n) ? grouped(n) : '–');

/** A count in a few characters: 987, 12.3 k, 4.56 M. */
export function fmtCount(n) {
  if (!isNum(n)) return '–';
  const a = Math.abs(n);
  if (a < 10000) return fmtInt(n);
  if (a < 1e6) return `${(n / 1e3).toFixed(a < 1e5 ? 1 : 0)} k`;
  if (a < 1e9) return `${(n / 1e6).toFixed(a < 1e7 ? 2 : 1)} M`;
  return `${(n / 1e9).toFixed(2)} G`;
}

export function fmtAgo(last) {
  if (!isNum(last)) return 'never';
  const n = Math.max(0, Math.round(last));
  return n === 1 ? '1 second ago' : `${n} seconds ago`;
}

/** A duration in seconds, two units at most: 42 s, 5 min 03 s, 3 h 12 min, 2 d 4 h. */
export function fmtDuration(secs) {
  if (!isNum(secs)) return '–';
  const s = Math.max(0, Math.round(secs));
  const p2 = (n) => String(n).padStart(2, '0');
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${p2(s % 60)} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${p2(Math.floor(s / 60) % 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor(s / 3600) % 24} h`;
}

export function fmtRate(rates, dir) {
  if (!rates) return '–';
  return `${fmtPps(rates[`datagrams${dir}PerSec`])} pkt/s, ${fmtNumber(mbps(rates[`bytes${dir}PerSec`]))} Mbit/s`;
}

export function fmtTotals(stats) {
  if (!stats) return '–';
  return `${fmtBytes(stats.bytesIn)} in, ${fmtBytes(stats.bytesOut)} out`;
}

export function fmtClock(ms) {
  if (!isNum(ms)) return '';
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A ratio (0..1) as a percentage. */
export function fmtPercent(ratio) {
  if (!isNum(ratio)) return '–';
  const p = ratio * 100;
  if (p === 0) return '0 %';
  if (p < 0.01) return '<0.01 %';
  if (p < 1) return `${p.toFixed(2)} %`;
  if (p >= 99.95) return '100 %';
  return `${p.toFixed(1)} %`;
}

export function fmtShare(part, whole) {
  if (!isNum(part) || !isNum(whole) || whole <= 0) return '–';
  const p = part / whole * 100;
  if (p > 0 && p < 1) return '<1 %';
  if (p < 100 && p > 99) return '>99 %';
  return `${Math.round(p)} %`;
}

/** Lateness in ms: upper bounds of power-of-two microsecond buckets (0.001, 0.002, … 8.192, 16.384 …). */
export function fmtMs(ms) {
  if (!isNum(ms)) return '–';
  if (ms === 0) return '0';
  if (ms < 1) return ms.toFixed(3).replace(/0+$/, '');
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return grouped(ms);
}

/** 'none' (nothing judged), 'ok', 'warn' or 'bad' for a link's loss ratio. */
export function lossLevel(ratio) {
  if (!isNum(ratio)) return 'none';
  const p = ratio * 100;
  return p >= LOSS_BAD ? 'bad' : p >= LOSS_WARN ? 'warn' : 'ok';
}

export const isQuiet = (last) => !isNum(last) || last >= LAST_RED_SECONDS;

export function displayName(iface) {
  return iface.label ? `${iface.label} (${iface.name})` : String(iface.name);
}
