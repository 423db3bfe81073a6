/* The parts engarde's cards share on both pages: a card's frame, "last received", traffic rows and tiles. */
import { el, KeyValueList } from './dom.js';
import { fmtAgo, fmtBytes, fmtInt, fmtNumber, fmtPps, fmtRate, fmtTotals, isNum, LAST_RED_SECONDS, mbps } from './format.js';

/** A card: <div class="card" ATTR=KEY> with a title, a badge, a key-value list and an error line. */
export function makeCard(attr, key) {
  const card = el('div', 'card');
  card.setAttribute(attr, key);
  const title = el('h4', 'card-title');
  const badge = el('span', 'badge');
  const head = el('div', 'card-head');
  head.append(title, badge);
  const dl = el('dl', 'kv');
  const error = el('p', 'card-error');
  error.hidden = true;
  card.append(head, dl, error);
  return { card, title, badge, kv: new KeyValueList(dl), error, button: null };
}

/** engarde's "last received N seconds ago", red from 10 s. */
export function lastRow(last) {
  const stale = isNum(last) && last >= LAST_RED_SECONDS;
  return { key: 'last', label: 'Last received', value: fmtAgo(last), cls: stale ? 'stale' : (isNum(last) ? '' : 'muted') };
}

const RELAY_LOST = 'The kernel dropped these at this socket\'s full receive buffer: the relay, not the link, lost them';

/** A counter row shown only when it is not zero, amber. */
function problemRow(rows, stats, field, key, label, title) {
  if (stats[field] > 0) rows.push({ key, label, value: fmtInt(stats[field]), cls: 'warn', title });
}

/** Rates, totals and the problem counters of a link or client address. */
export function trafficRows(stats, rates) {
  const rows = [];
  if (rates) {
    rows.push({ key: 'rate-in', label: 'In', value: fmtRate(rates, 'In') });
    rows.push({ key: 'rate-out', label: 'Out', value: fmtRate(rates, 'Out') });
  }
  if (stats) {
    rows.push({ key: 'totals', label: 'Total', value: fmtTotals(stats) });
    if ('kernelDrops' in stats) {
      rows.push({ key: 'kernel-drops', label: 'Kernel drops', title: RELAY_LOST,
        value: stats.kernelDrops > 0 ? `${fmtInt(stats.kernelDrops)} (the relay lost them, not the link)` : '0',
        cls: stats.kernelDrops > 0 ? 'warn' : '' });
    }
    problemRow(rows, stats, 'sendErrors', 'send-errors', 'Send errors', 'Sends the kernel refused');
    problemRow(rows, stats, 'drops', 'drops', 'Drops', 'Copies dropped: the socket\'s queue was full, or a filter refused them');
    problemRow(rows, stats, 'refusedByServer', 'refused', 'Refused by server',
      'ICMP port unreachable from the server: nothing listens at the destination');
    if (stats.gsoSends > 0) {
      rows.push({ key: 'gso', label: 'GSO sends', value: fmtInt(stats.gsoSends),
        title: 'Sends that carried several datagrams in one system call (UDP segmentation offload)' });
    }
  }
  return rows;
}

/** The two WireGuard traffic tiles, from a {stats, rates} part of the document. */
export function trafficTiles(part) {
  const rates = part && part.rates;
  const stats = part && part.stats;
  const sendProblems = [];
  if (stats && stats.sendErrors > 0) sendProblems.push(`${fmtInt(stats.sendErrors)} send errors`);
  if (stats && stats.drops > 0) sendProblems.push(`${fmtInt(stats.drops)} drops`);
  const kernelDrops = stats && stats.kernelDrops > 0 ? [`${fmtInt(stats.kernelDrops)} kernel drops`] : [];
  const sub = (dir, problems) => {
    const parts = [];
    if (rates) parts.push(`${fmtPps(rates[`datagrams${dir}PerSec`])} pkt/s`);
    if (stats) parts.push(`${fmtBytes(stats[`bytes${dir}`])} total`);
    return [...parts, ...problems].join(' · ');
  };
  const val = (dir) => (rates ? `${fmtNumber(mbps(rates[`bytes${dir}PerSec`]))} Mbit/s` : '–');
  return [
    { key: 'wg-in', label: 'From WireGuard', value: val('In'), sub: sub('In', kernelDrops),
      cls: kernelDrops.length ? 'tile-warn' : '',
      title: kernelDrops.length ? 'Kernel drops: WireGuard\'s datagrams the relay\'s socket had no room for' : '' },
    { key: 'wg-out', label: 'To WireGuard', value: val('Out'), sub: sub('Out', sendProblems),
      cls: sendProblems.length ? 'tile-warn' : '' },
  ];
}
