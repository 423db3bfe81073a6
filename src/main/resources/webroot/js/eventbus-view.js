/* The event-bus table: Vert.x's own counters per address, as Micrometer reports them. */
import { $, el, placeInOrder, setClass, setHidden, setText } from './dom.js';
import { fmtInt, isNum } from './format.js';

const COLUMNS = ['sent', 'received', 'delivered', 'processed', 'discarded', 'pending', 'handlers'];

export function createEventBusView() {
  const root = $('#event-bus');
  const body = $('#event-bus-rows', root);
  const rows = new Map();

  return {
    render(entries) {
      if (!Array.isArray(entries)) {
        setHidden(root, true);
        return;
      }
      setHidden(root, false);
      const trs = [];
      const seen = new Set();
      for (const e of entries) {
        if (!e || e.address == null || seen.has(String(e.address))) continue;
        const address = String(e.address);
        seen.add(address);
        let row = rows.get(address);
        if (!row) {
          const tr = el('tr');
          tr.setAttribute('data-address', address);
          const name = el('td', 'addr', address);
          tr.append(name);
          const cells = {};
          for (const k of COLUMNS) {
            cells[k] = el('td', 'num');
            cells[k].setAttribute('data-field', k);
            tr.append(cells[k]);
          }
          row = { tr, cells };
          rows.set(address, row);
        }
        for (const k of COLUMNS) setText(row.cells[k], isNum(e[k]) ? fmtInt(e[k]) : '–');
        setClass(row.cells.pending, 'num' + (e.pending > 0 ? ' warn' : ''));
        setClass(row.cells.discarded, 'num' + (e.discarded > 0 ? ' warn' : ''));
        trs.push(row.tr);
      }
      for (const k of rows.keys()) if (!seen.has(k)) rows.delete(k);
      placeInOrder(body, trs);
    },
  };
}
