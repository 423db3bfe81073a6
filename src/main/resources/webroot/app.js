/*
 * rengarde web page: live view of the client or server status document.
 *
 * Data: GET api/v1/get-list once at load (and every second while the event stream is not open),
 * then one document a second from the server-sent events at api/v1/events.
 * Everything coming from the document is put into the DOM with textContent / attributes, never as HTML.
 */
'use strict';

(() => {
  const API = 'api/v1/';
  const LOST_AFTER_MS = 2500;        // two missed refreshes
  const HISTORY_SECONDS = 120;
  const HISTORY_POINTS = 120;
  const LAST_RED_SECONDS = 10;
  const ACTION_ERROR_MS = 15000;
  const STREAM_RETRY_MS = 2000;      // when the browser gave up on the EventSource (e.g. HTTP error)
  const FETCH_TIMEOUT_MS = 5000;
  const LOSS_WARN = 5;               // loss %, amber from here
  const LOSS_BAD = 20;               // loss %, red from here
  const PALETTE = ['#2f6fdf', '#1a9e55', '#d9480f', '#8e44ad', '#c2255c', '#0c8599',
                   '#b08400', '#5c7cfa', '#2b8a3e', '#e8590c', '#862e9c', '#495057'];

  // ---------------------------------------------------------------- small helpers

  const $ = (sel, root = document) => root.querySelector(sel);

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function setText(node, text) {
    const s = text == null ? '' : String(text);
    if (node.textContent !== s) node.textContent = s;
  }

  function setClass(node, cls) {
    if (node.className !== cls) node.className = cls;
  }

  function setHidden(node, hidden) {
    if (node.hidden !== hidden) node.hidden = hidden;
  }

  const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

  function fmtNumber(x) {
    if (!isNum(x)) return '–';
    const a = Math.abs(x);
    if (a === 0) return '0';
    if (a < 10) return x.toFixed(2);
    if (a < 100) return x.toFixed(1);
    return Math.round(x).toLocaleString('en-US');
  }

  function fmtPps(x) {
    if (!isNum(x)) return '–';
    if (x !== 0 && Math.abs(x) < 10) return x.toFixed(1);
    return Math.round(x).toLocaleString('en-US');
  }

  const mbps = (bytesPerSec) => (isNum(bytesPerSec) ? bytesPerSec * 8 / 1e6 : null);

  function fmtBytes(b) {
    if (!isNum(b)) return '–';
    const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
    let i = 0;
    let v = b;
    while (Math.abs(v) >= 1000 && i < units.length - 1) { v /= 1000; i++; }
    return (i === 0 ? String(Math.round(v)) : (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v))) + ' ' + units[i];
  }

  const fmtInt = (n) => (isNum(n) ? Math.round(n).toLocaleString('en-US') : '–');

  function fmtAgo(last) {
    if (!isNum(last)) return 'never';
    const n = Math.max(0, Math.round(last));
    return n === 1 ? '1 second ago' : `${n} seconds ago`;
  }

  function fmtRate(rates, dir) {
    if (!rates) return '–';
    const pps = rates[`datagrams${dir}PerSec`];
    const bps = rates[`bytes${dir}PerSec`];
    return `${fmtPps(pps)} pkt/s, ${fmtNumber(mbps(bps))} Mbit/s`;
  }

  function fmtTotals(stats) {
    if (!stats) return '–';
    return `${fmtBytes(stats.bytesIn)} in, ${fmtBytes(stats.bytesOut)} out`;
  }

  function fmtClock(ms) {
    if (!isNum(ms)) return '';
    return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function displayName(iface) {
    return iface.label ? `${iface.label} (${iface.name})` : String(iface.name);
  }

  function describeError(e) {
    if (!e) return 'unknown error';
    if (e.name === 'TypeError') return 'network error';
    return e.message || String(e);
  }

  // ---------------------------------------------------------------- state

  const state = {
    doc: null,
    type: null,
    lastDocAt: performance.now(),   // the page load counts as contact, so the banner waits 2.5 s
    lastDocTime: null,
    contactLost: false,
    contactReason: null,            // the latest failure since the last document, if any
    actionError: null,
    actionErrorTimer: 0,
    pending: new Set(),             // interface names with an exclude/include request in flight
    resetPending: false,
    es: null,
    esRetryTimer: 0,
    pollInFlight: false,
  };

  const dom = {
    title: $('#title'),
    description: $('#description'),
    version: $('#version'),
    dot: $('#status-dot'),
    statusText: $('#status-text'),
    live: $('.live'),
    updated: $('#updated'),
    errorBanner: $('#error-banner'),
    contactError: $('#contact-error'),
    actionError: $('#action-error'),
    dismissError: $('#dismiss-error'),
    configError: $('#config-error'),
    configErrorMessage: $('#config-error-message'),
    tiles: $('#tiles'),
    clientView: $('#client-view'),
    serverView: $('#server-view'),
    reset: $('#reset-exclusions'),
    groups: {
      active: $('#active'),
      idle: $('#idle'),
      excluded: $('#excluded'),
      sockets: $('#sockets'),
    },
    eventBus: $('#event-bus'),
    eventBusRows: $('#event-bus-rows'),
    quality: $('#quality'),
    qualityRows: $('#quality-rows'),
    qualityEmpty: $('#quality-empty'),
    qualityWindows: Array.from(document.querySelectorAll('#quality .q-window')),
    dupFilter: $('#dup-filter'),
    dupFilterState: $('#dup-filter-state'),
    dupDropped: $('#dup-dropped'),
    footer: $('#footer-text'),
  };

  // ---------------------------------------------------------------- cards

  const ifCards = new Map();      // interface name -> card parts
  const socketCards = new Map();  // address -> card parts

  function makeCard(attr, key) {
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
    return { card, title, badge, dl, error, rows: new Map(), button: null };
  }

  /** rows: [{key, label, value, cls}] ; keeps row elements stable between refreshes. */
  function setRows(parts, rows) {
    const seen = new Set();
    let prev = null;
    for (const r of rows) {
      let row = parts.rows.get(r.key);
      if (!row) {
        const wrap = el('div', 'kv-row');
        const dt = el('dt');
        const dd = el('dd');
        wrap.append(dt, dd);
        row = { wrap, dt, dd };
        parts.rows.set(r.key, row);
      }
      setText(row.dt, r.label);
      setText(row.dd, r.value);
      setClass(row.dd, r.key + (r.cls ? ' ' + r.cls : ''));
      const expected = prev ? prev.wrap.nextSibling : parts.dl.firstChild;
      if (expected !== row.wrap) parts.dl.insertBefore(row.wrap, expected);
      prev = row;
      seen.add(r.key);
    }
    for (const [k, row] of parts.rows) {
      if (!seen.has(k)) {
        row.wrap.remove();
        parts.rows.delete(k);
      }
    }
  }

  /** Puts the cards into the section's grid in the given order, moving only what is out of place. */
  function placeCards(section, list) {
    const grid = $('.cards', section);
    let prev = null;
    for (const p of list) {
      const expected = prev ? prev.card.nextSibling : grid.firstChild;
      if (expected !== p.card) grid.insertBefore(p.card, expected);
      prev = p;
    }
    // anything left after the last placed card is no longer in this section
    let extra = prev ? prev.card.nextSibling : grid.firstChild;
    while (extra) {
      const next = extra.nextSibling;
      extra.remove();
      extra = next;
    }
    setText($('.count', section), list.length ? String(list.length) : '');
    setHidden($('.empty', section), list.length > 0);
  }

  function lastRow(last) {
    const stale = isNum(last) && last >= LAST_RED_SECONDS;
    return { key: 'last', label: 'Last received', value: fmtAgo(last), cls: stale ? 'stale' : (isNum(last) ? '' : 'muted') };
  }

  function trafficRows(stats, rates) {
    const rows = [];
    if (rates) {
      rows.push({ key: 'rate-in', label: 'In', value: fmtRate(rates, 'In') });
      rows.push({ key: 'rate-out', label: 'Out', value: fmtRate(rates, 'Out') });
    }
    if (stats) {
      rows.push({ key: 'totals', label: 'Total', value: fmtTotals(stats) });
      if ('sendErrors' in stats) {
        rows.push({ key: 'send-errors', label: 'Send errors', value: fmtInt(stats.sendErrors), cls: stats.sendErrors > 0 ? 'warn' : '' });
      }
      if ('drops' in stats) {
        rows.push({ key: 'drops', label: 'Drops', value: fmtInt(stats.drops), cls: stats.drops > 0 ? 'warn' : '' });
      }
    }
    return rows;
  }

  function updateInterfaceCard(iface, status) {
    const name = String(iface.name);
    let p = ifCards.get(name);
    if (!p) {
      p = makeCard('data-interface', name);
      const actions = el('div', 'card-actions');
      p.button = el('button', 'btn toggle-exclusion');
      p.button.type = 'button';
      p.button.addEventListener('click', () => toggleExclusion(name));
      actions.append(p.button);
      p.card.append(actions);
      ifCards.set(name, p);
    }
    if (p.card.getAttribute('data-status') !== status) p.card.setAttribute('data-status', status);
    setText(p.title, displayName(iface));
    p.title.title = displayName(iface);
    setText(p.badge, status);
    setClass(p.badge, 'badge badge-' + status);

    const rows = [
      lastRow(iface.last),
      { key: 'sender', label: 'Sender', value: iface.senderAddress || '—', cls: iface.senderAddress ? '' : 'muted' },
      { key: 'destination', label: 'Destination', value: iface.dstAddress || '—', cls: iface.dstAddress ? '' : 'muted' },
    ];
    if (status === 'active') rows.push(...trafficRows(iface.stats, iface.rates));
    setRows(p, rows);

    const err = status === 'idle' && iface.error ? String(iface.error) : '';
    setText(p.error, err);
    setHidden(p.error, !err);

    const include = status === 'excluded';
    setText(p.button, include ? 'Include' : 'Exclude');
    p.button.dataset.action = include ? 'include' : 'exclude';
    setClass(p.button, 'btn toggle-exclusion' + (include ? ' btn-primary' : ''));
    p.button.disabled = state.pending.has(name);
    return p;
  }

  function updateSocketCard(sock) {
    const address = String(sock.address);
    let p = socketCards.get(address);
    if (!p) {
      p = makeCard('data-address', address);
      socketCards.set(address, p);
    }
    setText(p.title, address);
    p.title.title = address;
    const last = sock.last;
    const stale = isNum(last) && last >= LAST_RED_SECONDS;
    setText(p.badge, stale ? 'quiet' : 'live');
    setClass(p.badge, 'badge ' + (stale ? 'badge-idle' : 'badge-active'));
    setRows(p, [lastRow(last), ...trafficRows(sock.stats, sock.rates)]);
    return p;
  }

  // ---------------------------------------------------------------- summary tiles

  const tiles = new Map();

  /** list: [{key, label, value, sub, cls}] */
  function setTiles(list) {
    const seen = new Set();
    let prev = null;
    for (const t of list) {
      let tile = tiles.get(t.key);
      if (!tile) {
        const box = el('div', 'tile');
        box.id = 'tile-' + t.key;
        const label = el('div', 'tile-label');
        const value = el('div', 'tile-value');
        const sub = el('div', 'tile-sub');
        box.append(label, value, sub);
        tile = { box, label, value, sub };
        tiles.set(t.key, tile);
      }
      setText(tile.label, t.label);
      setText(tile.value, t.value);
      setText(tile.sub, t.sub || '');
      setHidden(tile.sub, !t.sub);
      setClass(tile.box, 'tile' + (t.cls ? ' ' + t.cls : ''));
      const expected = prev ? prev.box.nextSibling : dom.tiles.firstChild;
      if (expected !== tile.box) dom.tiles.insertBefore(tile.box, expected);
      prev = tile;
      seen.add(t.key);
    }
    for (const [k, tile] of tiles) {
      if (!seen.has(k)) {
        tile.box.remove();
        tiles.delete(k);
      }
    }
  }

  function trafficTiles(part) {
    const rates = part && part.rates;
    const stats = part && part.stats;
    const problems = [];
    if (stats && stats.sendErrors > 0) problems.push(`${fmtInt(stats.sendErrors)} send errors`);
    if (stats && stats.drops > 0) problems.push(`${fmtInt(stats.drops)} drops`);
    const sub = (dir) => {
      const parts = [];
      if (rates) parts.push(`${fmtPps(rates[`datagrams${dir}PerSec`])} pkt/s`);
      if (stats) parts.push(`${fmtBytes(stats[`bytes${dir}`])} total`);
      return parts.join(' · ');
    };
    const val = (dir) => (rates ? `${fmtNumber(mbps(rates[`bytes${dir}PerSec`]))} Mbit/s` : '–');
    return [
      { key: 'wg-in', label: 'From WireGuard', value: val('In'), sub: sub('In') },
      { key: 'wg-out', label: 'To WireGuard', value: val('Out'), sub: [sub('Out'), ...problems].filter(Boolean).join(' · '),
        cls: problems.length ? 'tile-warn' : '' },
    ];
  }

  // ---------------------------------------------------------------- rendering

  function render(doc) {
    const type = doc.type === 'server' ? 'server' : 'client';
    if (type !== state.type) {
      state.type = type;
      for (const p of ifCards.values()) p.card.remove();
      for (const p of socketCards.values()) p.card.remove();
      ifCards.clear();
      socketCards.clear();
      resetHistory();
    }

    setText(dom.title, type);
    setText(dom.description, doc.description || '');
    setHidden(dom.description, !doc.description);
    setText(dom.version, doc.version ? `version ${doc.version}` : '');
    const docTitle = `rengarde ${type}` + (doc.description ? ` · ${doc.description}` : '');
    if (document.title !== docTitle) document.title = docTitle;
    setText(dom.updated, isNum(doc.time) ? `updated ${fmtClock(doc.time)}` : '');

    // configuration verdict
    const cfg = doc.configError == null ? '' : String(doc.configError);
    setText(dom.configErrorMessage, cfg);
    setHidden(dom.configError, !cfg);

    setHidden(dom.clientView, type !== 'client');
    setHidden(dom.serverView, type !== 'server');
    if (type === 'client') renderClient(doc); else renderServer(doc);
    renderQuality(doc, type);
    renderEventBus(doc.eventBus);

    const foot = [`listening on ${doc.listenAddress || '?'}`];
    if (type === 'server' && doc.dstAddress) foot.push(`WireGuard at ${doc.dstAddress}`);
    if (type === 'client' && doc.dispatcher && doc.dispatcher.wireGuardAddress) foot.push(`WireGuard at ${doc.dispatcher.wireGuardAddress}`);
    setText(dom.footer, `rengarde ${type} ${doc.version || ''} · ${foot.join(' · ')}`);
  }

  function renderClient(doc) {
    const groups = { active: [], idle: [], excluded: [] };
    for (const i of Array.isArray(doc.interfaces) ? doc.interfaces : []) {
      if (!i || i.name == null) continue;
      (groups[i.status] || groups.idle).push(i);
    }
    const seen = new Set();
    for (const status of ['active', 'idle', 'excluded']) {
      const list = [];
      for (const i of groups[status]) {
        const name = String(i.name);
        if (seen.has(name)) continue;
        seen.add(name);
        list.push(updateInterfaceCard(i, status));
      }
      placeCards(dom.groups[status], list);
    }
    for (const [name, p] of ifCards) {
      if (!seen.has(name)) {
        p.card.remove();
        ifCards.delete(name);
      }
    }
    dom.reset.disabled = state.resetPending;

    const d = doc.dispatcher || {};
    const total = groups.active.length + groups.idle.length + groups.excluded.length;
    setTiles([
      { key: 'links', label: 'Active links', value: `${groups.active.length} of ${total}`,
        sub: `${groups.idle.length} idle · ${groups.excluded.length} excluded`, cls: groups.active.length ? '' : 'tile-bad' },
      { key: 'listen', label: 'Listening on', value: doc.listenAddress || '–',
        sub: d.wireGuardAddress ? `WireGuard at ${d.wireGuardAddress}` : 'WireGuard not seen yet' },
      ...trafficTiles(d),
    ]);
  }

  function renderServer(doc) {
    const list = [];
    const seen = new Set();
    for (const s of Array.isArray(doc.sockets) ? doc.sockets : []) {
      if (!s || s.address == null) continue;
      const address = String(s.address);
      if (seen.has(address)) continue;
      seen.add(address);
      list.push(updateSocketCard(s));
    }
    placeCards(dom.groups.sockets, list);
    for (const [address, p] of socketCards) {
      if (!seen.has(address)) {
        p.card.remove();
        socketCards.delete(address);
      }
    }
    const refused = doc.refusedDatagrams;
    setTiles([
      { key: 'clients', label: 'Client addresses', value: String(list.length),
        sub: doc.listenAddress ? `listening on ${doc.listenAddress}` : '' },
      { key: 'wireguard', label: 'WireGuard', value: doc.dstAddress || '–', sub: 'destination' },
      ...trafficTiles(doc.wireGuard),
      { key: 'refused', label: 'Refused datagrams', value: fmtInt(refused),
        sub: 'from unknown senders', cls: refused > 0 ? 'tile-warn' : '' },
    ]);
  }

  // ---------------------------------------------------------------- link quality

  const qualityRows = new Map();   // link key -> row parts

  const QUALITY_FIELDS = [   // label: the heading shown above each figure on narrow screens
    { key: 'loss', label: (w) => `Loss · ${w} s` },
    { key: 'firsts', label: (w) => `First arrivals · ${w} s` },
    { key: 'saves', label: (w) => `Unique saves · ${w} s / total` },
    { key: 'missing', label: (w) => `Missing · ${w} s` },
    { key: 'late', label: () => 'Late p50 / p99 · ms' },
  ];

  /** A ratio (0..1) as a percentage. */
  function fmtPercent(ratio) {
    if (!isNum(ratio)) return '–';
    const p = ratio * 100;
    if (p === 0) return '0 %';
    if (p < 1) return `${p.toFixed(2)} %`;
    if (p >= 99.95) return '100 %';
    return `${p.toFixed(1)} %`;
  }

  function fmtShare(part, whole) {
    if (!isNum(part) || !isNum(whole) || whole <= 0) return '–';
    const p = part / whole * 100;
    if (p > 0 && p < 1) return '<1 %';
    if (p < 100 && p > 99) return '>99 %';
    return `${Math.round(p)} %`;
  }

  /** Lateness in ms: upper bounds of power-of-two microsecond buckets (0.001, 0.002, … 8.192, 16.384 …). */
  function fmtMs(ms) {
    if (!isNum(ms)) return '–';
    if (ms === 0) return '0';
    if (ms < 1) return ms.toFixed(3).replace(/0+$/, '');
    if (ms < 10) return ms.toFixed(2);
    if (ms < 100) return ms.toFixed(1);
    return Math.round(ms).toLocaleString('en-US');
  }

  function lossLevel(ratio) {
    if (!isNum(ratio)) return 'none';
    const p = ratio * 100;
    return p >= LOSS_BAD ? 'bad' : p >= LOSS_WARN ? 'warn' : 'ok';
  }

  /** The links the quality table lists: active interfaces (client) or client addresses (server). */
  function qualityLinks(doc, type) {
    const out = [];
    const seen = new Set();
    if (type === 'server') {
      for (const s of Array.isArray(doc.sockets) ? doc.sockets : []) {
        if (!s || s.address == null || seen.has(String(s.address))) continue;
        seen.add(String(s.address));
        out.push({ key: String(s.address), label: String(s.address), mono: true, q: s.quality });
      }
    } else {
      for (const i of Array.isArray(doc.interfaces) ? doc.interfaces : []) {
        if (!i || i.name == null || i.status !== 'active' || seen.has(String(i.name))) continue;
        seen.add(String(i.name));
        out.push({ key: String(i.name), label: displayName(i), mono: false, q: i.quality });
      }
    }
    for (const l of out) if (!l.q || typeof l.q !== 'object' || Array.isArray(l.q)) l.q = null;
    return out;
  }

  function makeQualityRow(key) {
    const tr = el('tr');
    tr.setAttribute('data-link', key);
    const linkCell = el('th', 'q-link');
    linkCell.scope = 'row';
    const swatch = el('span', 'swatch');
    swatch.setAttribute('aria-hidden', 'true');
    const name = el('span', 'q-name');
    const tag = el('span', 'q-tag', 'lossiest');
    tag.hidden = true;
    linkCell.append(swatch, name, tag);
    tr.append(linkCell);
    const cells = {};
    for (const f of QUALITY_FIELDS) {
      const td = el('td', 'num q-' + f.key);
      td.setAttribute('data-field', f.key);
      const main = el('span', 'q-main');
      const sub = el('span', 'q-sub');
      td.append(main, sub);
      tr.append(td);
      cells[f.key] = { td, main, sub };
    }
    return { tr, linkCell, swatch, name, tag, cells };
  }

  function setCell(cell, main, sub, title) {
    setText(cell.main, main);
    setText(cell.sub, sub || '');
    setHidden(cell.sub, !sub);
    if (cell.td.title !== (title || '')) cell.td.title = title || '';
  }

  function renderQuality(doc, type) {
    const filterOn = type === 'server' ? doc.duplicateFilter : (doc.dispatcher || {}).duplicateFilter;
    const dropped = type === 'server' ? doc.duplicatesDropped : (doc.dispatcher || {}).duplicatesDropped;
    const links = qualityLinks(doc, type);
    const known = typeof filterOn === 'boolean' || isNum(dropped) || links.some((l) => l.q);
    setHidden(dom.quality, !known);
    if (!known) return;

    // duplicate filter line
    const fState = filterOn === true ? 'on' : filterOn === false ? 'off' : 'unknown';
    if (dom.dupFilter.dataset.state !== fState) dom.dupFilter.dataset.state = fState;
    setText(dom.dupFilterState, fState === 'unknown' ? '–' : fState);
    setText(dom.dupDropped, fmtInt(dropped));
    dom.dupFilter.title = fState === 'off'
      ? 'Every copy of each datagram is passed on to WireGuard'
      : fState === 'on' ? 'Only the first copy of each datagram is passed on to WireGuard' : '';

    const win = links.map((l) => l.q && l.q.windowSeconds).find(isNum);
    for (const w of dom.qualityWindows) setText(w, isNum(win) ? String(win) : '10');

    let firstsSum = 0;
    for (const l of links) if (l.q && isNum(l.q.firstArrivals)) firstsSum += l.q.firstArrivals;
    // the lossiest link, when its loss is worth pointing at
    let worst = null;
    for (const l of links) {
      const r = l.q && l.q.lossRatio;
      if (isNum(r) && r * 100 >= LOSS_WARN && (!worst || r > worst.q.lossRatio)) worst = l;
    }

    const seen = new Set();
    let prev = null;
    for (const l of links) {
      seen.add(l.key);
      let row = qualityRows.get(l.key);
      if (!row) {
        row = makeQualityRow(l.key);
        qualityRows.set(l.key, row);
      }
      const q = l.q || {};
      const total = q.total && typeof q.total === 'object' ? q.total : {};
      setText(row.name, l.label);
      row.linkCell.title = l.label;
      setClass(row.name, 'q-name' + (l.mono ? ' mono' : ''));
      const color = colorFor(l.key);
      if (row.swatch.style.backgroundColor !== color) row.swatch.style.backgroundColor = color;
      const level = lossLevel(q.lossRatio);
      if (row.tr.getAttribute('data-level') !== level) row.tr.setAttribute('data-level', level);
      const isWorst = worst === l;
      if (row.tr.hasAttribute('data-lossiest') !== isWorst) row.tr.toggleAttribute('data-lossiest', isWorst);
      setHidden(row.tag, !isWorst);

      const w = isNum(q.windowSeconds) ? q.windowSeconds : (isNum(win) ? win : 10);
      for (const f of QUALITY_FIELDS) {
        const label = f.label(w);
        if (row.cells[f.key].td.getAttribute('data-label') !== label) row.cells[f.key].td.setAttribute('data-label', label);
      }
      setCell(row.cells.loss, fmtPercent(q.lossRatio), isNum(total.lossRatio) ? `${fmtPercent(total.lossRatio)} total` : '',
        isNum(q.judged)
          ? `${fmtInt(q.missing)} missing of ${fmtInt(q.judged)} judged in the last ${w} s`
            + (isNum(total.judged) ? `; ${fmtInt(total.missing)} of ${fmtInt(total.judged)} in total` : '')
          : '');
      setCell(row.cells.firsts, fmtInt(q.firstArrivals), fmtShare(q.firstArrivals, firstsSum),
        isNum(total.firstArrivals) ? `${fmtInt(total.firstArrivals)} in total` : '');
      setCell(row.cells.saves, `${fmtInt(q.uniqueSaves)} / ${fmtInt(total.uniqueSaves)}`, '',
        'Datagrams only this link delivered: last ' + w + ' s / in total');
      setClass(row.cells.saves.td, 'num q-saves' + (q.uniqueSaves > 0 ? ' q-good' : ''));
      setCell(row.cells.missing, fmtInt(q.missing), '',
        isNum(total.missing) ? `${fmtInt(total.missing)} in total` : '');
      setCell(row.cells.late, `${fmtMs(q.lateMsP50)} / ${fmtMs(q.lateMsP99)}`, '',
        'Behind the first copy, upper bounds (power-of-two microsecond buckets)');

      const expected = prev ? prev.tr.nextSibling : dom.qualityRows.firstChild;
      if (expected !== row.tr) dom.qualityRows.insertBefore(row.tr, expected);
      prev = row;
    }
    for (const [k, row] of qualityRows) {
      if (!seen.has(k)) {
        row.tr.remove();
        qualityRows.delete(k);
      }
    }
    setText(dom.qualityEmpty, type === 'server' ? 'No client address is sending.' : 'No active link.');
    setHidden(dom.qualityEmpty, links.length > 0);
  }

  const busRows = new Map();

  function renderEventBus(entries) {
    if (!Array.isArray(entries)) {
      setHidden(dom.eventBus, true);
      return;
    }
    setHidden(dom.eventBus, false);
    const seen = new Set();
    let prev = null;
    for (const e of entries) {
      if (!e || e.address == null) continue;
      const address = String(e.address);
      if (seen.has(address)) continue;
      seen.add(address);
      let row = busRows.get(address);
      if (!row) {
        const tr = el('tr');
        tr.setAttribute('data-address', address);
        const cells = ['address', 'published', 'delivered', 'pending', 'handlers'].map((k) => {
          const td = el('td', k === 'address' ? 'addr' : 'num');
          td.setAttribute('data-field', k);
          tr.append(td);
          return td;
        });
        row = { tr, cells };
        busRows.set(address, row);
      }
      const [a, pub, del, pen, han] = row.cells;
      setText(a, address);
      setText(pub, isNum(e.published) ? String(e.published) : '–');
      setText(del, isNum(e.delivered) ? String(e.delivered) : '–');
      setText(pen, isNum(e.pending) ? String(e.pending) : '–');
      setClass(pen, 'num' + (e.pending > 0 ? ' warn' : ''));
      setText(han, isNum(e.handlers) ? String(e.handlers) : '–');
      const expected = prev ? prev.tr.nextSibling : dom.eventBusRows.firstChild;
      if (expected !== row.tr) dom.eventBusRows.insertBefore(row.tr, expected);
      prev = row;
    }
    for (const [k, row] of busRows) {
      if (!seen.has(k)) {
        row.tr.remove();
        busRows.delete(k);
      }
    }
  }

  // ---------------------------------------------------------------- history and charts

  const hist = { t: [], series: new Map(), current: [] };   // series: key -> {label, inMbps, outMbps, outPps, loss}
  const colors = new Map();

  function resetHistory() {
    hist.t = [];
    hist.series.clear();
    hist.current = [];
  }

  function lossOf(entry) {
    const q = entry.quality;
    return q && typeof q === 'object' && isNum(q.lossRatio) ? q.lossRatio * 100 : null;
  }

  function samplesOf(doc) {
    const out = [];
    if (doc.type === 'server') {
      for (const s of Array.isArray(doc.sockets) ? doc.sockets : []) {
        if (s && s.address != null) out.push({ key: String(s.address), label: String(s.address), rates: s.rates, loss: lossOf(s) });
      }
    } else {
      for (const i of Array.isArray(doc.interfaces) ? doc.interfaces : []) {
        if (i && i.name != null && i.status === 'active') out.push({ key: String(i.name), label: displayName(i), rates: i.rates, loss: lossOf(i) });
      }
    }
    return out;
  }

  function record(doc) {
    const t = (isNum(doc.time) ? doc.time : Date.now()) / 1000;
    let n = hist.t.length;
    if (n && t < hist.t[n - 1] - 5) { resetHistory(); n = 0; }   // clock jump or restart
    let idx;
    if (n && t - hist.t[n - 1] < 0.5) {
      idx = n - 1;                                               // same refresh seen twice: overwrite
      hist.t[idx] = Math.max(t, hist.t[idx]);
    } else {
      hist.t.push(t);
      for (const s of hist.series.values()) { s.inMbps.push(null); s.outMbps.push(null); s.outPps.push(null); s.loss.push(null); }
      idx = hist.t.length - 1;
    }
    for (const s of hist.series.values()) { s.inMbps[idx] = null; s.outMbps[idx] = null; s.outPps[idx] = null; s.loss[idx] = null; }

    const samples = samplesOf(doc);
    hist.current = [];
    for (const smp of samples) {
      if (hist.current.includes(smp.key)) continue;
      let s = hist.series.get(smp.key);
      if (!s) {
        const len = hist.t.length;
        s = { label: smp.label, inMbps: new Array(len).fill(null), outMbps: new Array(len).fill(null), outPps: new Array(len).fill(null),
              loss: new Array(len).fill(null) };
        hist.series.set(smp.key, s);
      }
      s.label = smp.label;
      const r = smp.rates;
      if (r) {
        s.inMbps[idx] = isNum(r.bytesInPerSec) ? mbps(r.bytesInPerSec) : null;
        s.outMbps[idx] = isNum(r.bytesOutPerSec) ? mbps(r.bytesOutPerSec) : null;
        s.outPps[idx] = isNum(r.datagramsOutPerSec) ? r.datagramsOutPerSec : null;
      }
      s.loss[idx] = smp.loss;
      hist.current.push(smp.key);
    }

    // keep the last 120 s / 120 points
    let drop = 0;
    while (drop < hist.t.length && (hist.t.length - drop > HISTORY_POINTS || hist.t[drop] < t - HISTORY_SECONDS)) drop++;
    if (drop) {
      hist.t.splice(0, drop);
      for (const s of hist.series.values()) {
        s.inMbps.splice(0, drop); s.outMbps.splice(0, drop); s.outPps.splice(0, drop); s.loss.splice(0, drop);
      }
    }
    for (const [k, s] of hist.series) {
      if (!hist.current.includes(k) && s.inMbps.every((v) => v == null) && s.outPps.every((v) => v == null)
          && s.loss.every((v) => v == null)) {
        hist.series.delete(k);
      }
    }
    for (const k of colors.keys()) if (!hist.series.has(k)) colors.delete(k);
  }

  function colorFor(key) {
    let c = colors.get(key);
    if (!c) {
      const used = new Set(colors.values());
      c = PALETTE.find((p) => !used.has(p)) || PALETTE[colors.size % PALETTE.length];
      colors.set(key, c);
    }
    return c;
  }

  function cssVar(name, fallback) {
    const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  }

  const darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const narrowQuery = window.matchMedia ? window.matchMedia('(max-width: 600px)') : null;

  function chartHeight() {
    return narrowQuery && narrowQuery.matches ? 190 : 240;
  }

  const axisNumber = (u, splits) => splits.map((v) => (v == null ? '' : v.toLocaleString('en-US', { maximumFractionDigits: 3 })));

  function fmtTime(secs) {
    const d = new Date(secs * 1000);
    const p2 = (n) => String(n).padStart(2, '0');
    return `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
  }

  const axisTime = (u, splits) => splits.map((v) => (v == null ? '' : fmtTime(v)));

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

  const charts = {
    throughput: { mount: $('#chart-throughput'), plot: null, sig: '', unit: 'Mbit/s' },
    datagrams: { mount: $('#chart-datagrams'), plot: null, sig: '', unit: 'pkt/s' },
    loss: { mount: $('#chart-loss'), plot: null, sig: '', unit: '%' },
  };

  const fmtLossValue = (v) => (v === 0 ? '0' : v < 1 ? v.toFixed(2) : v.toFixed(1));

  function chartSeries(kind, keys) {
    const series = [{ label: 'Time', value: latestOr(fmtTime) }];
    const fmtVal = (unit) => latestOr((v) => `${kind === 'datagrams' ? fmtPps(v) : fmtNumber(v)} ${unit}`);
    for (const k of keys) {
      const s = hist.series.get(k);
      const color = colorFor(k);
      if (kind === 'throughput') {
        series.push({ label: `${s.label} in`, stroke: color, width: 2, value: fmtVal('Mbit/s'), points: { show: false } });
        series.push({ label: `${s.label} out`, stroke: color, width: 1.5, dash: [6, 4], value: fmtVal('Mbit/s'), points: { show: false } });
      } else if (kind === 'loss') {
        series.push({ label: s.label, stroke: color, width: 2, value: latestOr((v) => `${fmtLossValue(v)} %`), points: { show: false } });
      } else {
        series.push({ label: `${s.label} out`, stroke: color, width: 2, value: fmtVal('pkt/s'), points: { show: false } });
      }
    }
    return series;
  }

  function chartData(kind, keys) {
    const data = [hist.t.slice()];
    for (const k of keys) {
      const s = hist.series.get(k);
      if (kind === 'throughput') {
        data.push(s.inMbps.slice(), s.outMbps.slice());
      } else if (kind === 'loss') {
        data.push(s.loss.slice());
      } else {
        data.push(s.outPps.slice());
      }
    }
    return data;
  }

  function chartOptions(kind, keys, width) {
    const axis = cssVar('--muted', '#666');
    const grid = cssVar('--grid', '#e5e5e5');
    const font = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    return {
      width,
      height: chartHeight(),
      series: chartSeries(kind, keys),
      cursor: { sync: { key: 'rengarde' }, drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: (u, min, max) => [max - HISTORY_SECONDS, max] },
        y: { range: kind === 'loss'
          ? (u, min, max) => [0, isNum(max) && max > 0 ? Math.min(100, Math.max(LOSS_WARN * 1.4, max * 1.12)) : LOSS_WARN * 1.4]
          : (u, min, max) => [0, isNum(max) && max > 0 ? max * 1.12 : 1] },
      },
      hooks: kind === 'loss' ? { drawAxes: [drawLossBands] } : {},
      axes: [
        { stroke: axis, font, space: 64, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 },
          values: axisTime },
        { stroke: axis, font, size: 52, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 },
          values: axisNumber },
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

  /** Faint dashed lines at the amber and red loss thresholds, under the series. */
  function drawLossBands(u) {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const lines = [[LOSS_WARN, cssVar('--warn', '#9a6700')], [LOSS_BAD, cssVar('--bad', '#c62828')]];
    ctx.save();
    ctx.lineWidth = Math.max(1, Math.round(window.devicePixelRatio || 1));
    ctx.setLineDash([4 * (window.devicePixelRatio || 1), 4 * (window.devicePixelRatio || 1)]);
    ctx.globalAlpha = 0.6;
    for (const [v, color] of lines) {
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

  function showChartEmpty(c, text) {
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

  function updateChart(kind) {
    const c = charts[kind];
    if (typeof window.uPlot !== 'function') {
      showChartEmpty(c, 'Chart library not loaded.');
      return;
    }
    const keys = hist.current.filter((k) => hist.series.has(k));
    if (!keys.length || !hist.t.length) {
      showChartEmpty(c, state.type === 'server' ? 'No client address.' : 'No active link.');
      return;
    }
    const width = Math.floor(c.mount.clientWidth);
    if (width < 50) return;   // hidden or not laid out yet
    const sig = [darkQuery && darkQuery.matches ? 'dark' : 'light', chartHeight(),
                 ...keys.map((k) => `${k}\u0001${hist.series.get(k).label}\u0001${colorFor(k)}`)].join('\u0000');
    const data = chartData(kind, keys);
    if (!c.plot || c.sig !== sig) {
      if (c.plot) c.plot.destroy();
      c.mount.textContent = '';
      c.plot = new window.uPlot(chartOptions(kind, keys, width), data, c.mount);
      c.sig = sig;
    } else {
      c.plot.setData(data);
    }
  }

  function updateCharts() {
    updateChart('throughput');
    updateChart('datagrams');
    if (!dom.quality.hidden) updateChart('loss');
  }

  function resizeCharts() {
    for (const c of Object.values(charts)) {
      if (!c.plot) continue;
      const width = Math.floor(c.mount.clientWidth);
      const height = chartHeight();
      if (width >= 50 && (width !== c.plot.width || height !== c.plot.height)) c.plot.setSize({ width, height });
    }
  }

  let resizeFrame = 0;
  function scheduleResize() {
    if (resizeFrame) return;
    resizeFrame = requestAnimationFrame(() => { resizeFrame = 0; resizeCharts(); });
  }

  if ('ResizeObserver' in window) {
    const ro = new ResizeObserver(scheduleResize);
    for (const c of Object.values(charts)) ro.observe(c.mount);
  }
  window.addEventListener('resize', scheduleResize);
  const rebuildCharts = () => { for (const c of Object.values(charts)) c.sig = ''; updateCharts(); };
  if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener('change', rebuildCharts);
  if (narrowQuery && narrowQuery.addEventListener) narrowQuery.addEventListener('change', rebuildCharts);

  // ---------------------------------------------------------------- documents, contact, banners

  function handleDocument(doc) {
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      state.contactReason = 'malformed update';
      return;
    }
    // a slow get-list answer must not overwrite a newer pushed document
    if (isNum(doc.time) && isNum(state.lastDocTime) && doc.time < state.lastDocTime && state.lastDocTime - doc.time < 5000) {
      return;
    }
    if (isNum(doc.time)) state.lastDocTime = doc.time;
    state.lastDocAt = performance.now();
    state.doc = doc;
    state.contactLost = false;
    state.contactReason = null;
    try {
      render(doc);
      record(doc);
      updateCharts();
    } finally {
      updateStatus();
      dom.dot.classList.remove('beat');
      void dom.dot.offsetWidth;       // restart the heartbeat animation
      dom.dot.classList.add('beat');
      if (document.body.dataset.ready !== 'true') document.body.dataset.ready = 'true';
    }
  }

  function updateStatus() {
    const silentFor = performance.now() - state.lastDocAt;
    state.contactLost = silentFor > LOST_AFTER_MS;
    let dotState;
    let text;
    if (state.contactLost) {
      dotState = 'lost';
      text = 'no contact';
    } else if (!state.doc) {
      dotState = 'connecting';
      text = 'connecting';
    } else {
      dotState = 'live';
      text = state.es && state.es.readyState === EventSource.OPEN ? 'live' : 'polling';
    }
    if (dom.dot.dataset.state !== dotState) dom.dot.dataset.state = dotState;
    setText(dom.statusText, text);
    dom.live.title = state.contactLost ? 'Lost contact; retrying'
      : dotState === 'connecting' ? 'Waiting for the first update'
      : text === 'live' ? 'Receiving live updates' : 'Event stream unavailable; polling every second';

    if (state.contactLost) {
      const secs = Math.round(silentFor / 1000);
      const why = state.contactReason
        || (state.es && state.es.readyState === EventSource.OPEN ? 'the event stream is silent' : 'cannot connect');
      const reason = state.doc ? `no update for ${secs} s (${why})` : `no update received yet (${why})`;
      setText(dom.contactError, `Lost contact with rengarde: ${reason}; retrying…`);
    }
    setHidden(dom.contactError, !state.contactLost);
    setText(dom.actionError, state.actionError || '');
    setHidden(dom.actionError, !state.actionError);
    setHidden(dom.dismissError, !state.actionError);
    setHidden(dom.errorBanner, !state.contactLost && !state.actionError);
  }

  function showActionError(message) {
    state.actionError = message;
    clearTimeout(state.actionErrorTimer);
    state.actionErrorTimer = setTimeout(() => { state.actionError = null; updateStatus(); }, ACTION_ERROR_MS);
    updateStatus();
  }

  dom.dismissError.addEventListener('click', () => {
    clearTimeout(state.actionErrorTimer);
    state.actionError = null;
    updateStatus();
  });

  // ---------------------------------------------------------------- network

  async function responseError(res) {
    let detail = '';
    try {
      const body = await res.json();
      if (body && body.error) detail = String(body.error);
    } catch (e) { /* not JSON */ }
    return new Error(detail || `HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`);
  }

  /** fetch with a time limit, so a server that accepts and never answers cannot block the polling. */
  async function fetchTimed(url, init) {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), FETCH_TIMEOUT_MS);
    try {
      return await fetch(url, { ...init, signal: ctl.signal });
    } catch (e) {
      if (e && e.name === 'AbortError') throw new Error('request timed out');
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  async function fetchList() {
    try {
      const res = await fetchTimed(API + 'get-list', { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!res.ok) throw await responseError(res);
      handleDocument(await res.json());
    } catch (e) {
      state.contactReason = e instanceof SyntaxError ? 'malformed answer' : describeError(e);
      updateStatus();
    }
  }

  async function poll() {
    if (state.pollInFlight) return;
    state.pollInFlight = true;
    try { await fetchList(); } finally { state.pollInFlight = false; }
  }

  function connect() {
    clearTimeout(state.esRetryTimer);
    if (!('EventSource' in window)) return;
    const es = new EventSource(API + 'events');
    state.es = es;
    es.onopen = () => updateStatus();
    es.onmessage = (ev) => {
      let doc;
      try {
        doc = JSON.parse(ev.data);
      } catch (e) {
        state.contactReason = 'malformed update';
        return;
      }
      handleDocument(doc);
    };
    es.onerror = () => {
      state.contactReason = 'event stream interrupted';
      if (es.readyState === EventSource.CLOSED) {
        // the browser gave up (HTTP error, wrong content type): start a new stream later
        es.close();
        if (state.es === es) state.es = null;
        state.esRetryTimer = setTimeout(connect, STREAM_RETRY_MS);
      }
      updateStatus();
    };
  }

  async function postAction(path, body) {
    const init = { method: 'POST', cache: 'no-store', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetchTimed(API + path, init);
    } catch (e) {
      throw new Error(describeError(e));
    }
    if (!res.ok) throw await responseError(res);
    let data = null;
    try { data = await res.json(); } catch (e) { /* empty answer */ }
    if (data && data.error) throw new Error(String(data.error));
    return data;
  }

  function activeCount() {
    const ifs = state.doc && Array.isArray(state.doc.interfaces) ? state.doc.interfaces : [];
    return ifs.filter((i) => i && i.status === 'active').length;
  }

  async function toggleExclusion(name) {
    const p = ifCards.get(name);
    if (!p || state.pending.has(name)) return;
    const status = p.card.getAttribute('data-status');
    const action = status === 'excluded' ? 'include' : 'exclude';
    if (action === 'exclude' && status === 'active' && activeCount() === 1) {
      const who = p.title.textContent || name;
      if (!window.confirm(`${who} is the only active interface; excluding it stops the tunnel. Exclude it?`)) return;
    }
    state.pending.add(name);
    p.button.disabled = true;
    try {
      await postAction(action, { interface: name });
    } catch (e) {
      showActionError(`Could not ${action} ${name}: ${e.message}`);
    } finally {
      state.pending.delete(name);
      await fetchList();
      const again = ifCards.get(name);
      if (again) again.button.disabled = false;
    }
  }

  dom.reset.addEventListener('click', async () => {
    if (state.resetPending) return;
    state.resetPending = true;
    dom.reset.disabled = true;
    try {
      await postAction('reset-exclusions');
    } catch (e) {
      showActionError(`Could not reset the exclusions: ${e.message}`);
    } finally {
      state.resetPending = false;
      await fetchList();
      dom.reset.disabled = false;
    }
  });

  // ---------------------------------------------------------------- start

  connect();
  fetchList();
  setInterval(() => {
    // fallback while the stream is not open, and while it is open but silent (a buffering proxy, a stuck stream)
    if (!state.es || state.es.readyState !== EventSource.OPEN || state.contactLost) poll();
  }, 1000);
  setInterval(updateStatus, 500);
})();
