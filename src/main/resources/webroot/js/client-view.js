/*
 * The client page: engarde's interface cards (active, idle, excluded) with Exclude/Include and Reset all
 * exclusions, the summary tiles, the tunnel's loss, the link quality table and the chart samples.
 */
import { $, cssVar, el, placeInOrder, setClass, setHidden, setText } from './dom.js';
import { lastRow, makeCard, trafficRows, trafficTiles } from './cards.js';
import { arrayOr, displayName, isNum, mbps, objectOr } from './format.js';
import { keyFacts } from './tunnel-loss.js';

const STATUSES = ['active', 'idle', 'excluded'];

/** api: {post, refresh}; parts: {header, tiles, tunnel, quality, colorFor}. */
export function createClientView(api, parts) {
  const root = $('#client-view');
  const resetButton = $('#reset-exclusions');
  const groups = {};
  for (const s of STATUSES) groups[s] = $('#' + s, root);
  const cards = new Map();   // interface name -> card parts
  const pending = new Set(); // interface names with a command in flight
  let resetPending = false;
  let doc = null;

  const activeCount = () => arrayOr(doc && doc.interfaces).filter((i) => i && i.status === 'active').length;

  async function toggleExclusion(name) {
    const p = cards.get(name);
    if (!p || pending.has(name)) return;
    const status = p.card.getAttribute('data-status');
    const action = status === 'excluded' ? 'include' : 'exclude';
    if (action === 'exclude' && status === 'active' && activeCount() === 1) {
      const who = p.title.textContent || name;
      if (!window.confirm(`${who} is the only active interface; excluding it stops the tunnel. Exclude it?`)) return;
    }
    pending.add(name);
    p.button.disabled = true;
    try {
      await api.post(action, { interface: name });
    } catch (e) {
      parts.header.actionError(`Could not ${action} ${name}: ${e.message}`);
    } finally {
      pending.delete(name);
      await api.refresh();
      const again = cards.get(name);
      if (again) again.button.disabled = false;
    }
  }

  resetButton.addEventListener('click', async () => {
    if (resetPending) return;
    resetPending = true;
    resetButton.disabled = true;
    try {
      await api.post('reset-exclusions');
    } catch (e) {
      parts.header.actionError(`Could not reset the exclusions: ${e.message}`);
    } finally {
      resetPending = false;
      await api.refresh();
      resetButton.disabled = false;
    }
  });

  function card(iface, status) {
    const name = String(iface.name);
    let p = cards.get(name);
    if (!p) {
      p = makeCard('data-interface', name);
      const actions = el('div', 'card-actions');
      p.button = el('button', 'btn toggle-exclusion');
      p.button.type = 'button';
      p.button.addEventListener('click', () => toggleExclusion(name));
      actions.append(p.button);
      p.card.append(actions);
      cards.set(name, p);
    }
    if (p.card.getAttribute('data-status') !== status) p.card.setAttribute('data-status', status);
    const title = displayName(iface);
    setText(p.title, title);
    p.title.title = title;
    setText(p.badge, status);
    setClass(p.badge, 'badge badge-' + status);

    const rows = [
      lastRow(iface.last),
      { key: 'sender', label: 'Sender', value: iface.senderAddress || '—', cls: iface.senderAddress ? '' : 'muted' },
      { key: 'destination', label: 'Destination', value: iface.dstAddress || '—', cls: iface.dstAddress ? '' : 'muted' },
    ];
    if (status === 'active') rows.push(...trafficRows(iface.stats, iface.rates));
    p.kv.set(rows);

    const err = status === 'idle' && iface.error ? String(iface.error) : '';
    setText(p.error, err);
    setHidden(p.error, !err);

    const include = status === 'excluded';
    setText(p.button, include ? 'Include' : 'Exclude');
    p.button.dataset.action = include ? 'include' : 'exclude';
    setClass(p.button, 'btn toggle-exclusion' + (include ? ' btn-primary' : ''));
    p.button.disabled = pending.has(name);
    return p;
  }

  /** The interfaces by status, each name once, in the document's order. */
  function grouped(d) {
    const out = { active: [], idle: [], excluded: [] };
    const seen = new Set();
    for (const i of arrayOr(d.interfaces)) {
      if (!i || i.name == null || seen.has(String(i.name))) continue;
      seen.add(String(i.name));
      (out[i.status] || out.idle).push(i);
    }
    return out;
  }

  function render(d) {
    doc = d;
    setHidden(root, false);
    const byStatus = grouped(d);
    const seen = new Set();
    for (const status of STATUSES) {
      const list = byStatus[status].map((i) => {
        seen.add(String(i.name));
        return card(i, status).card;
      });
      placeInOrder($('.cards', groups[status]), list);
      setText($('.count', groups[status]), list.length ? String(list.length) : '');
      setHidden($('.empty', groups[status]), list.length > 0);
    }
    for (const name of cards.keys()) if (!seen.has(name)) cards.delete(name);
    resetButton.disabled = resetPending;

    const dispatcher = objectOr(d.dispatcher);
    const total = byStatus.active.length + byStatus.idle.length + byStatus.excluded.length;
    parts.tiles.set([
      { key: 'links', label: 'Active links', value: `${byStatus.active.length} of ${total}`,
        sub: `${byStatus.idle.length} idle · ${byStatus.excluded.length} excluded`, cls: byStatus.active.length ? '' : 'tile-bad' },
      { key: 'listen', label: 'Listening on', value: d.listenAddress || '–',
        sub: dispatcher.wireGuardAddress ? `WireGuard at ${dispatcher.wireGuardAddress}` : 'WireGuard not seen yet' },
      ...trafficTiles(dispatcher),
    ]);

    const tunnel = dispatcher.tunnelLoss;
    setHidden(parts.tunnel.root, !tunnel);
    if (tunnel) parts.tunnel.render(tunnel, keyFacts(tunnel));

    parts.quality.render(
      byStatus.active.map((i) => ({ key: String(i.name), label: displayName(i), mono: false, q: i.quality })),
      { on: dispatcher.duplicateFilter, dropped: dispatcher.duplicatesDropped, alteredForwarded: dispatcher.alteredForwarded },
      'No active link.', parts.colorFor);
  }

  /** One chart sample per active link, and the tunnel's loss. */
  function samples(d) {
    const out = [];
    for (const i of grouped(d).active) {
      const r = objectOr(i.rates);
      const q = objectOr(i.quality);
      out.push({ key: String(i.name), label: displayName(i), inMbps: mbps(r.bytesInPerSec), outMbps: mbps(r.bytesOutPerSec),
        outPps: r.datagramsOutPerSec, loss: isNum(q.lossRatio) ? q.lossRatio * 100 : null });
    }
    const tunnel = objectOr(objectOr(d.dispatcher).tunnelLoss);
    if ('lossRatio' in tunnel) {
      out.push({ key: '@tunnel', label: 'tunnel', color: cssVar('--text', '#1d2127'), width: 2.5,
        loss: isNum(tunnel.lossRatio) ? tunnel.lossRatio * 100 : null });
    }
    return out;
  }

  return {
    render,
    samples,
    hide() { setHidden(root, true); cards.clear(); for (const s of STATUSES) $('.cards', groups[s]).textContent = ''; },
    emptyChartText: 'No active link.',
  };
}
