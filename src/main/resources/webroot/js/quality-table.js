/*
 * The link quality panel (client, and the server without peers): one row per link with the figures the
 * duplicate copies tell, the duplicate filter's state, and the altered copies it forwarded.
 */
import { $, el, placeInOrder, setAttr, setClass, setHidden, setText, setTitle } from './dom.js';
import { fmtInt, fmtMs, fmtPercent, fmtShare, isNum, isObject, LOSS_WARN, lossLevel, objectOr } from './format.js';

const FIELDS = [   // label: the heading shown above each figure on narrow screens
  { key: 'loss', label: (w) => `Loss · ${w} s` },
  { key: 'firsts', label: (w) => `First arrivals · ${w} s` },
  { key: 'saves', label: (w) => `Unique saves · ${w} s / total` },
  { key: 'missing', label: (w) => `Missing · ${w} s` },
  { key: 'altered', label: (w) => `Altered · ${w} s / total` },
  { key: 'late', label: () => 'Late p50 / p99 · ms' },
];

function makeRow(key) {
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
  for (const f of FIELDS) {
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
  setTitle(cell.td, title);
}

/** The link worth pointing at: the lossiest, when its loss reaches the amber threshold. */
function lossiest(links) {
  let worst = null;
  for (const l of links) {
    const r = l.q && l.q.lossRatio;
    if (isNum(r) && r * 100 >= LOSS_WARN && (!worst || r > worst.q.lossRatio)) worst = l;
  }
  return worst;
}

export class QualityTable {
  constructor(root) {
    this.root = root;
    this.rowsRoot = $('#quality-rows', root);
    this.empty = $('#quality-empty', root);
    this.windows = Array.from(root.querySelectorAll('.q-window'));
    this.dupFilter = $('#dup-filter', root);
    this.dupFilterState = $('#dup-filter-state', root);
    this.dupDropped = $('#dup-dropped', root);
    this.altered = $('#dup-altered', root);
    this.alteredCount = $('#dup-altered-count', root);
    this.rows = new Map();
  }

  hide() {
    setHidden(this.root, true);
  }

  /**
   * links: [{key, label, mono, q}]; filter: {on, dropped, alteredForwarded}; colorFor(key) gives each link's
   * chart colour.
   */
  render(links, filter, emptyText, colorFor) {
    for (const l of links) if (!isObject(l.q)) l.q = null;
    const known = typeof filter.on === 'boolean' || isNum(filter.dropped) || links.some((l) => l.q);
    setHidden(this.root, !known);
    if (!known) return;

    const fState = filter.on === true ? 'on' : filter.on === false ? 'off' : 'unknown';
    setAttr(this.dupFilter, 'data-state', fState);
    setText(this.dupFilterState, fState === 'unknown' ? '–' : fState);
    setText(this.dupDropped, fmtInt(filter.dropped));
    setTitle(this.dupFilter, fState === 'off'
      ? 'Every copy of each datagram is passed on to WireGuard'
      : fState === 'on' ? 'Only the first copy of each datagram is passed on to WireGuard' : '');
    setText(this.alteredCount, fmtInt(filter.alteredForwarded));
    setHidden(this.altered, !(filter.alteredForwarded > 0));

    const win = links.map((l) => l.q && l.q.windowSeconds).find(isNum);
    for (const w of this.windows) setText(w, isNum(win) ? String(win) : '10');

    let firstsSum = 0;
    for (const l of links) if (l.q && isNum(l.q.firstArrivals)) firstsSum += l.q.firstArrivals;
    const worst = lossiest(links);

    const trs = [];
    const seen = new Set();
    for (const l of links) {
      seen.add(l.key);
      let row = this.rows.get(l.key);
      if (!row) {
        row = makeRow(l.key);
        this.rows.set(l.key, row);
      }
      const q = l.q || {};
      const total = objectOr(q.total);
      setText(row.name, l.label);
      setTitle(row.linkCell, l.label);
      setClass(row.name, 'q-name' + (l.mono ? ' mono' : ''));
      const color = colorFor(l.key);
      if (row.swatch.style.backgroundColor !== color) row.swatch.style.backgroundColor = color;
      setAttr(row.tr, 'data-level', lossLevel(q.lossRatio));
      setAttr(row.tr, 'data-lossiest', worst === l ? '' : null);
      setHidden(row.tag, worst !== l);

      const w = isNum(q.windowSeconds) ? q.windowSeconds : (isNum(win) ? win : 10);
      for (const f of FIELDS) setAttr(row.cells[f.key].td, 'data-label', f.label(w));
      setCell(row.cells.loss, fmtPercent(q.lossRatio), isNum(total.lossRatio) ? `${fmtPercent(total.lossRatio)} total` : '',
        isNum(q.judged)
          ? `${fmtInt(q.missing)} missing of ${fmtInt(q.judged)} judged in the last ${w} s`
            + (isNum(total.judged) ? `; ${fmtInt(total.missing)} of ${fmtInt(total.judged)} in total` : '')
          : '');
      setCell(row.cells.firsts, fmtInt(q.firstArrivals), fmtShare(q.firstArrivals, firstsSum),
        isNum(total.firstArrivals) ? `${fmtInt(total.firstArrivals)} in total` : '');
      setCell(row.cells.saves, `${fmtInt(q.uniqueSaves)} / ${fmtInt(total.uniqueSaves)}`, '',
        `Datagrams only this link delivered: last ${w} s / in total`);
      setClass(row.cells.saves.td, 'num q-saves' + (q.uniqueSaves > 0 ? ' q-good' : ''));
      setCell(row.cells.missing, fmtInt(q.missing), '', isNum(total.missing) ? `${fmtInt(total.missing)} in total` : '');
      setCell(row.cells.altered, `${fmtInt(q.altered)} / ${fmtInt(total.altered)}`, '',
        'Copies whose bytes differed from the other links\' copies of the same datagram: last ' + w + ' s / in total');
      setClass(row.cells.altered.td, 'num q-altered' + (total.altered > 0 ? ' q-warn' : ''));
      setCell(row.cells.late, `${fmtMs(q.lateMsP50)} / ${fmtMs(q.lateMsP99)}`, '',
        'Behind the first copy, upper bounds (power-of-two microsecond buckets)');
      trs.push(row.tr);
    }
    for (const k of this.rows.keys()) if (!seen.has(k)) this.rows.delete(k);
    placeInOrder(this.rowsRoot, trs);
    setText(this.empty, emptyText);
    setHidden(this.empty, links.length > 0);
  }
}
