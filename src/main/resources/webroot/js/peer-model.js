/*
 * What the server page shows of each peer, worked out from its part of the document: which of its addresses
 * are live and which are stale, the lossiest live link, rates, its tunnel loss, and its group (live, idle,
 * tentative). No DOM here.
 */
import { arrayOr, isNum, isObject, isQuiet, LOSS_WARN, objectOr } from './format.js';
import { tunnelLossLevel } from './tunnel-loss.js';

const hostOf = (address) => {
  const s = String(address);
  const colon = s.lastIndexOf(':');
  return colon > 0 ? s.slice(0, colon) : s;
};

const portOf = (address) => {
  const s = String(address);
  return s.slice(s.lastIndexOf(':') + 1);
};

/**
 * An address the relay marks stale (silent for 3 s while another address of its peer is heard), or, from a relay
 * that does not say, silent for 10 s or more while another is heard: it no longer delivers (a link re-created on
 * a new port left it behind, or the link died) and lingers until clientTimeout. Its loss then says nothing about a
 * link, so it is never the lossiest. {@code replacedBy}: the live address from the same host, when there is one
 * (the re-created link).
 */
function markStale(links) {
  const live = links.filter((l) => (typeof l.stale === 'boolean' ? !l.stale : !isQuiet(l.last)));
  for (const l of links) {
    l.stale = typeof l.stale === 'boolean' ? l.stale : live.length > 0 && isQuiet(l.last);
    l.replacedBy = null;
    if (l.stale) {
      const host = hostOf(l.address);
      const heir = live.find((o) => hostOf(o.address) === host);
      if (heir) l.replacedBy = portOf(heir.address);
    }
  }
}

/** The live link worth pointing at: the lossiest, when its loss reaches the amber threshold. */
function markLossiest(links) {
  let worst = null;
  for (const l of links) {
    const r = l.quality.lossRatio;
    if (!l.stale && isNum(r) && r * 100 >= LOSS_WARN && (!worst || r > worst.quality.lossRatio)) worst = l;
  }
  for (const l of links) l.lossiest = l === worst;
}

/**
 * One entry per peer (each id once): {id, key, state, group, ageSeconds, socket, candidates, links, wireGuard,
 * wireGuardRates, tunnel, level, lostNow, search}. rates: a RateMemory, advanced here.
 */
export function describePeers(peers, timeMs, rates) {
  rates.begin();
  const out = [];
  const seen = new Set();
  for (const p of arrayOr(peers)) {
    if (!isObject(p) || p.id == null || seen.has(String(p.id))) continue;
    const key = String(p.id);
    seen.add(key);
    const links = [];
    const linkSeen = new Set();
    for (const a of arrayOr(p.addresses)) {
      if (!isObject(a) || a.address == null || linkSeen.has(String(a.address))) continue;
      const address = String(a.address);
      linkSeen.add(address);
      links.push({ address, last: a.last, stale: a.stale, stats: objectOr(a.stats), quality: objectOr(a.quality),
        rates: rates.update(key + '|' + address, a.stats, timeMs) });
    }
    markStale(links);
    markLossiest(links);
    const wireGuard = objectOr(p.wireGuard);
    const tunnel = objectOr(p.tunnelLoss);
    const state = p.state === 'tentative' ? 'tentative' : 'active';
    const quiet = links.every((l) => isQuiet(l.last));
    out.push({
      id: p.id, key, state,
      group: state === 'tentative' ? 'tentative' : quiet ? 'idle' : 'live',
      ageSeconds: p.ageSeconds, socket: p.socket == null ? '' : String(p.socket),
      candidates: isNum(p.candidates) ? p.candidates : 0,
      links, wireGuard, wireGuardRates: rates.update('peer|' + key, p.wireGuard, timeMs),
      tunnel, level: tunnelLossLevel(p.tunnelLoss), lostNow: isNum(tunnel.lost) ? tunnel.lost : 0,
      search: (`#${key} peer ${key} ` + (p.socket || '') + ' ' + links.map((l) => l.address).join(' ')).toLowerCase(),
    });
  }
  rates.sweep();
  return out;
}

/** Losing peers first (most lost first), then by id. */
export function comparePeers(a, b) {
  if (a.lostNow !== b.lostNow) return b.lostNow - a.lostNow;
  const na = Number(a.id);
  const nb = Number(b.id);
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * The filter box: "#17" or "peer 17" is that peer; anything else is a piece of an address (client or relay
 * socket) or of the id.
 */
export function peerFilter(text) {
  const q = String(text || '').trim().toLowerCase();
  if (!q) return null;
  const id = /^(?:#|peer\s+)(\S+)$/.exec(q);
  if (id) return (m) => m.key.toLowerCase() === id[1];
  return (m) => m.search.includes(q);
}
