/*
 * The server page. With peers (the relay's default): a summary, a filter box and one card per peer, live peers
 * first and idle and tentative peers in collapsed groups whose cards are only updated while open; the cards are
 * kept by peer id and updated in place, so a push with 1,000 peers rewrites only the text that changed. Without
 * peers (wireGuardFilter: false, or an engarde document): engarde's card per client address and the link
 * quality table.
 */
import { $, el, placeInOrder, setClass, setHidden, setText } from './dom.js';
import { lastRow, makeCard, trafficRows, trafficTiles } from './cards.js';
import { arrayOr, fmtInt, isNum, isObject, LAST_RED_SECONDS, mbps, objectOr } from './format.js';
import { comparePeers, describePeers, peerFilter } from './peer-model.js';
import { PeerCard } from './peer-card.js';
import { RateMemory } from './rates.js';
import { sumTunnelLoss } from './tunnel-loss.js';

const GROUPS = ['live', 'idle', 'tentative'];
const CHART_PEERS = 8;          // up to this many peers get a chart series each; more: one series for them all
const LOSING_SHOWN = 6;         // peers named in the tunnel loss panel

/** A peer's chart sample, from its WireGuard socket: in = from the client, out = from WireGuard. */
function peerSample(key, label, rates, tunnel) {
  const r = objectOr(rates);
  return { key, label, inMbps: mbps(r.bytesOutPerSec), outMbps: mbps(r.bytesInPerSec), outPps: r.datagramsInPerSec,
    loss: isNum(tunnel.lossRatio) ? tunnel.lossRatio * 100 : null };
}

/** parts: {tiles, tunnel, quality, colorFor}. */
export function createServerView(parts) {
  const root = $('#server-view');
  const peersSection = $('#peers', root);
  const socketsSection = $('#sockets', root);
  const filterBox = $('#peer-filter', root);
  const summary = $('#peer-summary', root);
  const peersEmpty = $('#peers-empty', root);
  const losing = $('#tunnel .tl-peers');
  const groups = {
    live: { box: null, cards: $('#peers-live', root), count: $('#peers > .view-head .count', root) },
    idle: { box: $('#peers-idle', root) },
    tentative: { box: $('#peers-tentative', root) },
  };
  for (const g of ['idle', 'tentative']) {
    groups[g].cards = $('.cards', groups[g].box);
    groups[g].count = $('.count', groups[g].box);
  }
  const peerCards = new Map();     // peer id -> PeerCard
  // Cards far off screen are not rewritten on each push: they keep the peer's latest figures and take them
  // when they come near the viewport, so an update costs the visible cards, not all 1,000.
  const nearScreen = 'IntersectionObserver' in window
    ? new IntersectionObserver(onNearScreen, { rootMargin: '800px 0px' }) : null;
  const socketCards = new Map();   // address -> card parts (no peers)
  const rates = new RateMemory();
  let models = [];
  let peersMode = false;
  let filterText = '';
  let openBeforeFilter = null;     // the collapsed groups' state before a filter opened them

  const isOpen = (g) => !groups[g].box || groups[g].box.open;

  function setFilter(text) {
    const was = filterText;
    filterText = text;
    if (!was && text) {
      openBeforeFilter = { idle: groups.idle.box.open, tentative: groups.tentative.box.open };
      groups.idle.box.open = true;
      groups.tentative.box.open = true;
    } else if (was && !text && openBeforeFilter) {
      groups.idle.box.open = openBeforeFilter.idle;
      groups.tentative.box.open = openBeforeFilter.tentative;
      openBeforeFilter = null;
    }
    drawPeers();
  }

  filterBox.addEventListener('input', () => setFilter(filterBox.value));
  for (const g of ['idle', 'tentative']) groups[g].box.addEventListener('toggle', () => { if (peersMode) drawPeers(); });
  if (losing) {
    losing.addEventListener('click', (ev) => {
      const b = ev.target.closest('button[data-peer]');
      if (!b) return;
      filterBox.value = '#' + b.dataset.peer;
      setFilter(filterBox.value);
      const card = peerCards.get(b.dataset.peer);
      if (card) card.card.scrollIntoView({ block: 'nearest' });
    });
  }

  function onNearScreen(entries) {
    for (const e of entries) {
      const c = peerCards.get(e.target.getAttribute('data-peer'));
      if (!c) continue;
      c.near = e.isIntersecting;
      if (c.near && c.pending) {
        c.update(c.pending);
        c.pending = null;
      }
    }
  }

  function dropCard(key) {
    const c = peerCards.get(key);
    if (nearScreen) nearScreen.unobserve(c.card);
    c.card.remove();
    peerCards.delete(key);
  }

  /** A closed group's cards are not updated, but those of peers that left the group leave it. */
  function pruneClosed(container, list) {
    const keep = new Set(list.map((m) => m.key));
    for (const node of [...container.children]) if (!keep.has(node.getAttribute('data-peer'))) node.remove();
  }

  function drawPeers() {
    const match = peerFilter(filterText);
    const lists = { live: [], idle: [], tentative: [] };
    for (const m of models) if (!match || match(m)) lists[m.group].push(m);
    for (const g of GROUPS) {
      const list = lists[g].sort(comparePeers);
      setText(groups[g].count, String(list.length));
      if (!isOpen(g)) {
        pruneClosed(groups[g].cards, list);
        continue;
      }
      const nodes = [];
      for (const m of list) {
        let c = peerCards.get(m.key);
        if (!c) {
          c = new PeerCard(m.key);
          peerCards.set(m.key, c);
          c.update(m);
          if (nearScreen) nearScreen.observe(c.card);
        } else if (c.near || !nearScreen) {
          c.update(m);
          c.pending = null;
        } else {
          c.pending = m;
        }
        nodes.push(c.card);
      }
      placeInOrder(groups[g].cards, nodes);
    }
    setHidden(groups.idle.box, lists.idle.length === 0);
    setHidden(groups.tentative.box, lists.tentative.length === 0);
    const shown = lists.live.length + lists.idle.length + lists.tentative.length;
    setText(peersEmpty, models.length ? 'No peer matches the filter.' : 'No peer: no client has completed a handshake through this relay yet.');
    setHidden(peersEmpty, lists.live.length > 0);
    setText(summary, peerSummary(shown));
  }

  function peerSummary(shown) {
    const count = { active: 0, idle: 0, tentative: 0, links: 0, stale: 0, losing: 0 };
    for (const m of models) {
      if (m.group === 'tentative') count.tentative++;
      else if (m.group === 'idle') count.idle++;
      else count.active++;
      for (const l of m.links) if (l.stale) count.stale++; else count.links++;
      if (m.lostNow > 0) count.losing++;
    }
    const all = `${fmtInt(models.length)} peer${models.length === 1 ? '' : 's'}`;
    const parts = [filterText ? `${fmtInt(shown)} matching “${filterText}” of ${all}` : all,
      `${fmtInt(count.active)} active`, `${fmtInt(count.idle)} idle`, `${fmtInt(count.tentative)} tentative`,
      `${fmtInt(count.links)} live addresses` + (count.stale ? ` (+${fmtInt(count.stale)} stale)` : ''),
      count.losing ? `${fmtInt(count.losing)} losing datagrams now` : 'none losing datagrams'];
    return parts.join(' · ');
  }

  function renderTunnel() {
    const active = models.filter((m) => m.state === 'active');
    const sum = sumTunnelLoss(active.map((m) => m.tunnel));
    const losers = active.filter((m) => m.lostNow > 0).sort(comparePeers);
    setHidden(parts.tunnel.root, false);
    parts.tunnel.render(sum, `${fmtInt(active.length)} peer${active.length === 1 ? '' : 's'} measured`);
    if (!losing) return;
    const buttons = losers.slice(0, LOSING_SHOWN).map((m) => {
      const b = el('button', 'btn btn-small', `peer ${m.key} · ${fmtInt(m.lostNow)} lost`);
      b.type = 'button';
      b.dataset.peer = m.key;
      return b;
    });
    if (losers.length > LOSING_SHOWN) buttons.push(el('span', 'hint', `+${fmtInt(losers.length - LOSING_SHOWN)} more`));
    const sig = buttons.map((b) => b.textContent).join('|');
    if (losing.dataset.sig !== sig) {
      losing.dataset.sig = sig;
      losing.replaceChildren(...buttons);
    }
    setHidden(losing, losers.length === 0);
  }

  function renderPeers(d) {
    models = describePeers(d.peers, d.time, rates);
    setHidden(peersSection, false);
    setHidden(socketsSection, true);
    socketCards.clear();
    $('.cards', socketsSection).textContent = '';
    parts.quality.hide();
    drawPeers();
    const live = new Set(models.map((m) => m.key));
    for (const k of [...peerCards.keys()]) if (!live.has(k)) dropCard(k);
    renderTunnel();

    const inGroup = { live: 0, idle: 0, tentative: 0 };
    let links = 0;
    let stale = 0;
    let peerDrops = 0;
    for (const m of models) {
      inGroup[m.group]++;
      for (const l of m.links) if (l.stale) stale++; else links++;
      if (isNum(m.wireGuard.kernelDrops)) peerDrops += m.wireGuard.kernelDrops;
    }
    const listenDrops = objectOr(d.listenSocket).kernelDrops;
    const relayDrops = (isNum(listenDrops) ? listenDrops : 0) + peerDrops;
    const limits = Object.entries(objectOr(d.limits)).filter(([, v]) => v > 0);
    const tiles = [
      { key: 'peers', label: 'Peers', value: `${fmtInt(inGroup.live)} active`,
        sub: `${fmtInt(inGroup.idle)} idle · ${fmtInt(inGroup.tentative)} tentative` },
      { key: 'clients', label: 'Client addresses', value: fmtInt(links),
        sub: `${fmtInt(stale)} stale · ${fmtInt(d.candidates)} candidate${d.candidates === 1 ? '' : 's'}` },
      { key: 'wireguard', label: 'WireGuard', value: d.dstAddress || '–', sub: 'one socket per peer' },
      ...trafficTiles(d.wireGuard),
      { key: 'refused', label: 'Refused datagrams', value: fmtInt(d.refusedDatagrams),
        sub: `${fmtInt(d.refusedNotWireGuard)} not WireGuard · ${fmtInt(d.refusedUnknownIndex)} unknown index`,
        cls: d.refusedDatagrams > 0 ? 'tile-warn' : '' },
      { key: 'relay-drops', label: 'Relay kernel drops', value: fmtInt(relayDrops),
        sub: `listen socket ${fmtInt(listenDrops)} · peers' sockets ${fmtInt(peerDrops)}`, cls: relayDrops > 0 ? 'tile-warn' : '',
        title: 'Datagrams the kernel dropped at the relay\'s full socket buffers: the relay, not the links, lost them' },
    ];
    if (d.alteredForwarded > 0) {
      tiles.push({ key: 'altered', label: 'Altered copies forwarded', value: fmtInt(d.alteredForwarded), cls: 'tile-warn',
        sub: 'bytes differed between links; WireGuard keeps the genuine one' });
    }
    if (limits.length) {
      tiles.push({ key: 'limits', label: 'Limits reached', value: fmtInt(limits.reduce((s, [, v]) => s + v, 0)),
        sub: limits.map(([k, v]) => `${k.replace(/_/g, ' ')} ${fmtInt(v)}`).join(' · '), cls: 'tile-warn' });
    }
    parts.tiles.set(tiles);
  }

  function socketCard(sock) {
    const address = String(sock.address);
    let p = socketCards.get(address);
    if (!p) {
      p = makeCard('data-address', address);
      socketCards.set(address, p);
    }
    setText(p.title, address);
    p.title.title = address;
    const quiet = isNum(sock.last) && sock.last >= LAST_RED_SECONDS;
    setText(p.badge, quiet ? 'quiet' : 'live');
    setClass(p.badge, 'badge ' + (quiet ? 'badge-idle' : 'badge-active'));
    p.kv.set([lastRow(sock.last), ...trafficRows(sock.stats, sock.rates)]);
    return p.card;
  }

  function uniqueSockets(d) {
    const seen = new Set();
    return arrayOr(d.sockets).filter((s) => {
      if (!isObject(s) || s.address == null || seen.has(String(s.address))) return false;
      seen.add(String(s.address));
      return true;
    });
  }

  function renderSockets(d) {
    models = [];
    for (const k of [...peerCards.keys()]) dropCard(k);
    setHidden(peersSection, true);
    setHidden(socketsSection, false);
    setHidden(losing, true);
    setHidden(parts.tunnel.root, true);
    const sockets = uniqueSockets(d);
    const live = new Set(sockets.map((s) => String(s.address)));
    placeInOrder($('.cards', socketsSection), sockets.map(socketCard));
    for (const k of socketCards.keys()) if (!live.has(k)) socketCards.delete(k);
    setText($('.count', socketsSection), sockets.length ? String(sockets.length) : '');
    setHidden($('.empty', socketsSection), sockets.length > 0);
    parts.tiles.set([
      { key: 'clients', label: 'Client addresses', value: String(sockets.length),
        sub: d.listenAddress ? `listening on ${d.listenAddress}` : '' },
      { key: 'wireguard', label: 'WireGuard', value: d.dstAddress || '–', sub: 'destination' },
      ...trafficTiles(d.wireGuard),
      { key: 'refused', label: 'Refused datagrams', value: fmtInt(d.refusedDatagrams),
        sub: 'from unknown senders', cls: d.refusedDatagrams > 0 ? 'tile-warn' : '' },
    ]);
    parts.quality.render(sockets.map((s) => ({ key: String(s.address), label: String(s.address), mono: true, q: s.quality })),
      { on: d.duplicateFilter, dropped: d.duplicatesDropped, alteredForwarded: d.alteredForwarded },
      'No client address is sending.', parts.colorFor);
  }

  return {
    render(d) {
      setHidden(root, false);
      peersMode = isNum(d.tentativePeers) || arrayOr(d.peers).length > 0;
      if (peersMode) renderPeers(d); else renderSockets(d);
    },

    /** Chart samples: each peer while there are few, else all peers as one; without peers, each address. */
    samples(d) {
      if (!peersMode) {
        return uniqueSockets(d).map((s) => {
          const r = objectOr(s.rates);
          const q = objectOr(s.quality);
          return { key: String(s.address), label: String(s.address), inMbps: mbps(r.bytesInPerSec),
            outMbps: mbps(r.bytesOutPerSec), outPps: r.datagramsOutPerSec, loss: isNum(q.lossRatio) ? q.lossRatio * 100 : null };
        });
      }
      const active = models.filter((m) => m.state === 'active');
      if (active.length && active.length <= CHART_PEERS) {
        return active.map((m) => peerSample('peer|' + m.key, 'peer ' + m.key, m.wireGuardRates, m.tunnel));
      }
      const wg = objectOr(d.wireGuard);
      return [peerSample('@all', 'all peers', wg.rates, sumTunnelLoss(active.map((m) => m.tunnel)))];
    },

    hide() {
      setHidden(root, true);
      if (losing) setHidden(losing, true);
      for (const k of [...peerCards.keys()]) dropCard(k);
      socketCards.clear();
    },

    get emptyChartText() { return peersMode ? 'No peer.' : 'No client address.'; },
  };
}
