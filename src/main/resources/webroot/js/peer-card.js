/*
 * One peer's card on the server page: its tunnel loss first (did anything die?), its traffic through its
 * WireGuard socket, and one line per link (client address) with that link's figures. Built once per peer and
 * updated in place; links keyed by address.
 */
import { el, placeInOrder, setAttr, setHidden, setText, setTitle } from './dom.js';
import { fmtAgo, fmtDuration, fmtInt, fmtMs, fmtNumber, fmtPercent, fmtShare, isNum, lossLevel, mbps, objectOr } from './format.js';
import { lostText, outOfText } from './tunnel-loss.js';

const mbit = (bytesPerSec) => (isNum(bytesPerSec) ? `${fmtNumber(mbps(bytesPerSec))} Mbit/s` : '–');

function makeLink(address) {
  const li = el('li', 'link');
  li.setAttribute('data-address', address);
  const head = el('div', 'link-head');
  const swatch = el('span', 'link-dot');
  swatch.setAttribute('aria-hidden', 'true');
  const addr = el('span', 'link-addr', address);
  const tag = el('span', 'q-tag');
  tag.hidden = true;
  const last = el('span', 'link-last');
  head.append(swatch, addr, tag, last);
  const figs = el('div', 'link-figs');
  const rate = el('span', 'lf lf-rate');
  const loss = el('span', 'lf lf-loss');
  const first = el('span', 'lf lf-first');
  const late = el('span', 'lf lf-late');
  late.title = 'Behind the first copy, p50 / p99 (upper bounds of power-of-two microsecond buckets)';
  const problems = el('span', 'lf lf-problems');
  figs.append(rate, loss, first, late, problems);
  const note = el('div', 'link-note');
  note.hidden = true;
  li.append(head, figs, note);
  return { li, tag, last, figs, rate, loss, first, late, problems, note };
}

function linkProblems(l) {
  const out = [];
  const q = l.quality;
  const total = objectOr(q.total);
  if (total.altered > 0) out.push(`altered ${fmtInt(q.altered)} / ${fmtInt(total.altered)}`);
  if (l.stats.sendErrors > 0) out.push(`${fmtInt(l.stats.sendErrors)} send errors`);
  if (l.stats.drops > 0) out.push(`${fmtInt(l.stats.drops)} drops`);
  return out.join(' · ');
}

function updateLink(p, l, firstsSum, windowSeconds) {
  const q = l.quality;
  const total = objectOr(q.total);
  const state = l.stale ? 'stale' : (!isNum(l.last) || l.last >= 10 ? 'quiet' : 'live');
  setAttr(p.li, 'data-state', state);
  setAttr(p.li, 'data-level', l.stale ? 'none' : lossLevel(q.lossRatio));
  setAttr(p.li, 'data-lossiest', l.lossiest ? '' : null);
  const tag = l.stale ? 'stale' : l.lossiest ? 'lossiest' : '';
  setText(p.tag, tag);
  setHidden(p.tag, !tag);
  setText(p.last, isNum(l.last) ? `${fmtInt(l.last)} s ago` : 'never');
  setTitle(p.last, `Last received ${fmtAgo(l.last)}`);
  setAttr(p.last, 'data-red', state === 'live' ? null : '');

  setHidden(p.figs, l.stale);
  setHidden(p.note, !l.stale);
  if (l.stale) {
    setText(p.note, l.replacedBy
      ? `Left behind by a re-created link (now port ${l.replacedBy}); forgotten after clientTimeout.`
      : 'Silent while the peer\'s other links deliver; forgotten after clientTimeout.');
    return;
  }
  setText(p.rate, l.rates ? `${mbit(l.rates.bytesInPerSec)} in` : `${fmtInt(l.stats.datagramsIn)} in`);
  setTitle(p.rate, l.rates ? `${fmtNumber(l.rates.datagramsInPerSec)} datagrams/s from this address; ${fmtInt(l.stats.datagramsIn)} in total` : '');
  setText(p.loss, `loss ${fmtPercent(q.lossRatio)}`);
  setTitle(p.loss, isNum(q.judged)
    ? `${fmtInt(q.missing)} missing of ${fmtInt(q.judged)} judged in the last ${windowSeconds} s; `
      + `${fmtPercent(total.lossRatio)} (${fmtInt(total.missing)} of ${fmtInt(total.judged)}) in total`
    : '');
  setText(p.first, `first ${fmtShare(q.firstArrivals, firstsSum)}`);
  setTitle(p.first, `${fmtInt(q.firstArrivals)} first arrivals, ${fmtInt(q.uniqueSaves)} unique saves in the last ${windowSeconds} s`);
  setText(p.late, isNum(q.lateMsP50) ? `late ${fmtMs(q.lateMsP50)} / ${fmtMs(q.lateMsP99)} ms` : '');
  setHidden(p.late, !isNum(q.lateMsP50));
  const problems = linkProblems(l);
  setText(p.problems, problems);
  setHidden(p.problems, !problems);
  setTitle(p.problems, total.altered > 0
    ? 'Altered: copies whose bytes differed from the other links\' copies of the same datagram (last window / total)' : '');
}

export class PeerCard {
  constructor(key) {
    const card = el('article', 'card peer');
    card.id = 'peer-' + key;
    card.setAttribute('data-peer', key);
    const head = el('div', 'card-head');
    this.age = el('span', 'peer-age');
    this.age.title = 'Age of this peer (since the relay first saw it)';
    this.badge = el('span', 'badge');
    head.append(el('h4', 'card-title', 'Peer ' + key), this.age, this.badge);

    this.loss = el('div', 'peer-loss');
    const label = el('span', 'pl-label', 'Tunnel loss');
    this.now = el('span', 'pl-now');
    this.nowSub = el('span', 'pl-sub');
    this.total = el('span', 'pl-total');
    this.loss.append(label, this.now, this.nowSub, this.total);

    this.traffic = el('p', 'peer-traffic');
    this.traffic.title = 'Through this peer\'s own socket to WireGuard: from the client (first copies) / back from WireGuard (sent on every link)';
    this.warn = el('p', 'peer-warn');
    this.warn.hidden = true;
    this.linkList = el('ul', 'links');
    card.append(head, this.loss, this.traffic, this.warn, this.linkList);
    this.card = card;
    this.links = new Map();
    this.near = true;      // near the viewport: updated on each push (the page's IntersectionObserver says)
    this.pending = null;   // the latest figures, while not near
  }

  update(m) {
    setAttr(this.card, 'data-state', m.state);
    setAttr(this.card, 'data-group', m.group);
    setAttr(this.card, 'data-level', m.level);
    const badge = m.state === 'tentative' ? 'tentative' : m.group === 'idle' ? 'idle' : 'active';
    setText(this.badge, badge);
    setAttr(this.badge, 'class', 'badge badge-' + badge);
    setText(this.age, isNum(m.ageSeconds) ? fmtDuration(m.ageSeconds) : '');

    const t = m.tunnel;
    const total = objectOr(t.total);
    const w = isNum(t.windowSeconds) ? t.windowSeconds : 10;
    setAttr(this.loss, 'data-level', m.level);
    setText(this.now, `${lostText(t.lost)} · ${w} s`);
    setText(this.nowSub, outOfText(t.lost, t.received, t.lossRatio));
    setText(this.total, `total ${lostText(total.lost)}${isNum(total.lossRatio) ? ' · ' + fmtPercent(total.lossRatio) : ''}`);
    setTitle(this.loss, 'Datagrams no link delivered, from the gaps in WireGuard\'s counters'
      + (isNum(t.keyAgeSeconds) ? `; key age ${fmtDuration(t.keyAgeSeconds)}` : '')
      + (total.resyncs > 0 ? `; ${fmtInt(total.resyncs)} resyncs skipped ${fmtInt(total.skipped)} counters` : ''));

    const r = m.wireGuardRates;
    const traffic = [`${r ? mbit(r.bytesOutPerSec) : '–'} to WireGuard`, `${r ? mbit(r.bytesInPerSec) : '–'} back`];
    if (m.socket) traffic.push(`via ${m.socket}`);
    if (m.candidates > 0) traffic.push(`${fmtInt(m.candidates)} candidate address${m.candidates === 1 ? '' : 'es'}`);
    setText(this.traffic, traffic.join(' · '));

    const wg = m.wireGuard;
    const warn = [];
    if (wg.kernelDrops > 0) warn.push(`${fmtInt(wg.kernelDrops)} kernel drops at this peer's WireGuard socket: the relay, not the links, lost them`);
    if (wg.sendErrors > 0) warn.push(`${fmtInt(wg.sendErrors)} send errors to WireGuard`);
    if (wg.drops > 0) warn.push(`${fmtInt(wg.drops)} drops`);
    setText(this.warn, warn.join(' · '));
    setHidden(this.warn, !warn.length);

    let firstsSum = 0;
    for (const l of m.links) if (isNum(l.quality.firstArrivals)) firstsSum += l.quality.firstArrivals;
    const items = [];
    const seen = new Set();
    for (const l of m.links) {
      let p = this.links.get(l.address);
      if (!p) {
        p = makeLink(l.address);
        this.links.set(l.address, p);
      }
      updateLink(p, l, firstsSum, w);
      items.push(p.li);
      seen.add(l.address);
    }
    for (const k of this.links.keys()) if (!seen.has(k)) this.links.delete(k);
    placeInOrder(this.linkList, items);
  }
}
