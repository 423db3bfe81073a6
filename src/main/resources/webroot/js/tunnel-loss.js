/*
 * Tunnel loss: the datagrams no link delivered, from the gaps in WireGuard's transport counters ("did anything
 * die?"). The client measures its tunnel, the server each peer. Shape: {windowSeconds, received, lost, lossRatio,
 * keyAgeSeconds, total: {received, lost, lossRatio, skipped, resyncs}}.
 */
import { $, setAttr, setText, setTitle } from './dom.js';
import { fmtCount, fmtDuration, fmtInt, fmtPercent, isNum, isObject, objectOr, TUNNEL_LOSS_BAD } from './format.js';

const n = (v) => (isNum(v) ? v : 0);

/** 'none' (no figures), 'idle' (nothing counted in the window), 'ok', 'warn' (something died) or 'bad' (≥ 1 %). */
export function tunnelLossLevel(t) {
  if (!isObject(t)) return 'none';
  const lost = n(t.lost);
  if (lost > 0) {
    const ratio = isNum(t.lossRatio) ? t.lossRatio : lost / (lost + n(t.received));
    return ratio * 100 >= TUNNEL_LOSS_BAD ? 'bad' : 'warn';
  }
  return n(t.received) > 0 ? 'ok' : 'idle';
}

const ratio = (lost, received) => (lost + received > 0 ? lost / (lost + received) : null);

/** The sum of several peers' tunnel loss, in the same shape (no key age). */
export function sumTunnelLoss(list) {
  const sum = { windowSeconds: null, received: 0, lost: 0, total: { received: 0, lost: 0, skipped: 0, resyncs: 0 } };
  for (const t of list) {
    if (!isObject(t)) continue;
    if (sum.windowSeconds == null && isNum(t.windowSeconds)) sum.windowSeconds = t.windowSeconds;
    sum.received += n(t.received);
    sum.lost += n(t.lost);
    const total = objectOr(t.total);
    for (const k of ['received', 'lost', 'skipped', 'resyncs']) sum.total[k] += n(total[k]);
  }
  sum.lossRatio = ratio(sum.lost, sum.received);
  sum.total.lossRatio = ratio(sum.total.lost, sum.total.received);
  return sum;
}

/** "0 lost" / "12 lost", the headline of a figure. */
export const lostText = (lost) => (isNum(lost) ? `${fmtInt(lost)} lost` : '–');

/** "of 12,345 · 0.10 %": what the headline is out of. */
export function outOfText(lost, received, lossRatio) {
  if (!isNum(received)) return '';
  const whole = received + n(lost);
  if (whole === 0) return 'nothing to judge';
  return `of ${fmtCount(whole)} · ${fmtPercent(isNum(lossRatio) ? lossRatio : ratio(n(lost), received))}`;
}

function verdict(level, w) {
  switch (level) {
    case 'ok': return `Nothing died in the last ${w} s: every datagram reached this side on at least one link.`;
    case 'idle': return `No WireGuard transport datagram arrived in the last ${w} s, so nothing could be judged.`;
    case 'warn':
    case 'bad': return `Datagrams died in the last ${w} s: every link lost them, or the sending side dropped them before its links.`;
    default: return '';
  }
}

/** The prominent panel at the top of the page (index.html's #tunnel). */
export class TunnelLossPanel {
  constructor(root) {
    this.root = root;
    this.windowLabel = $('.tl-window-label', root);
    this.windowValue = $('.tl-window-value', root);
    this.windowSub = $('.tl-window-sub', root);
    this.totalValue = $('.tl-total-value', root);
    this.totalSub = $('.tl-total-sub', root);
    this.meta = $('.tl-meta', root);
    this.verdict = $('.tl-verdict', root);
  }

  /** t: a tunnelLoss object; meta: a line of extra facts ('' for none). */
  render(t, meta) {
    const level = tunnelLossLevel(t);
    setAttr(this.root, 'data-level', level);
    const w = isNum(t.windowSeconds) ? t.windowSeconds : 10;
    const total = objectOr(t.total);
    setText(this.windowLabel, `Last ${w} s`);
    setText(this.windowValue, lostText(t.lost));
    setText(this.windowSub, outOfText(t.lost, t.received, t.lossRatio));
    setText(this.totalValue, lostText(total.lost));
    setText(this.totalSub, outOfText(total.lost, total.received, total.lossRatio));
    setTitle(this.totalValue.parentNode, isNum(total.resyncs)
      ? `${fmtInt(total.resyncs)} resyncs skipped ${fmtInt(total.skipped)} counters (a counter far ahead: not counted as lost)`
      : '');
    setText(this.meta, meta);
    setText(this.verdict, verdict(level, w));
  }
}

/** The key age, resyncs and skipped counters, as one line. */
export function keyFacts(t) {
  const parts = [];
  if (isNum(t.keyAgeSeconds)) parts.push(`key age ${fmtDuration(t.keyAgeSeconds)}`);
  const total = objectOr(t.total);
  if (n(total.resyncs) > 0) parts.push(`${fmtInt(total.resyncs)} resyncs (${fmtInt(total.skipped)} counters skipped)`);
  return parts.join(' · ');
}
