/*
 * DOM helpers that write only what changed, so a view can be updated in place every second. Everything coming
 * from a document goes in with textContent and attributes, never as HTML.
 */

export const $ = (sel, root = document) => root.querySelector(sel);

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

/*
 * setText and setTitle remember what they wrote on the node (rather than reading the DOM back), so an unchanged
 * value costs a comparison of two strings: a page of 1,000 peers sets tens of thousands of them a second.
 * Nodes they manage are written through them only.
 */
export function setText(node, text) {
  const s = text == null ? '' : String(text);
  if (node.rgText !== s) {
    node.textContent = s;
    node.rgText = s;
  }
}

export function setClass(node, cls) {
  if (node.className !== cls) node.className = cls;
}

export function setHidden(node, hidden) {
  if (node.hidden !== hidden) node.hidden = hidden;
}

/** Sets an attribute, or removes it for null. */
export function setAttr(node, name, value) {
  if (value == null) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
  } else if (node.getAttribute(name) !== String(value)) {
    node.setAttribute(name, value);
  }
}

export function setTitle(node, title) {
  const s = title || '';
  if (node.rgTitle !== s) {
    node.title = s;
    node.rgTitle = s;
  }
}

/**
 * Makes {@code nodes} the children of {@code parent}, in order, moving only what is out of place and removing
 * whatever else was there.
 */
export function placeInOrder(parent, nodes) {
  let expected = parent.firstChild;
  for (const n of nodes) {
    if (n !== expected) parent.insertBefore(n, expected);
    else expected = expected.nextSibling;
  }
  while (expected) {
    const next = expected.nextSibling;
    expected.remove();
    expected = next;
  }
}

/** A <dl class="kv"> whose rows ({key, label, value, cls, title}) keep their elements between refreshes. */
export class KeyValueList {
  constructor(dl) {
    this.dl = dl;
    this.rows = new Map();
  }

  set(rows) {
    const wraps = [];
    const seen = new Set();
    for (const r of rows) {
      let row = this.rows.get(r.key);
      if (!row) {
        const wrap = el('div', 'kv-row');
        const dt = el('dt');
        const dd = el('dd');
        wrap.append(dt, dd);
        row = { wrap, dt, dd };
        this.rows.set(r.key, row);
      }
      setText(row.dt, r.label);
      setText(row.dd, r.value);
      setClass(row.dd, r.key + (r.cls ? ' ' + r.cls : ''));
      setTitle(row.wrap, r.title);
      wraps.push(row.wrap);
      seen.add(r.key);
    }
    for (const k of this.rows.keys()) if (!seen.has(k)) this.rows.delete(k);
    placeInOrder(this.dl, wraps);
  }
}

/** The summary tiles: [{key, label, value, sub, cls, title}]. */
export class Tiles {
  constructor(root) {
    this.root = root;
    this.tiles = new Map();
  }

  set(list) {
    const boxes = [];
    const seen = new Set();
    for (const t of list) {
      let tile = this.tiles.get(t.key);
      if (!tile) {
        const box = el('div', 'tile');
        box.id = 'tile-' + t.key;
        const label = el('div', 'tile-label');
        const value = el('div', 'tile-value');
        const sub = el('div', 'tile-sub');
        box.append(label, value, sub);
        tile = { box, label, value, sub };
        this.tiles.set(t.key, tile);
      }
      setText(tile.label, t.label);
      setText(tile.value, t.value);
      setText(tile.sub, t.sub || '');
      setHidden(tile.sub, !t.sub);
      setClass(tile.box, 'tile' + (t.cls ? ' ' + t.cls : ''));
      setTitle(tile.box, t.title);
      boxes.push(tile.box);
      seen.add(t.key);
    }
    for (const k of this.tiles.keys()) if (!seen.has(k)) this.tiles.delete(k);
    placeInOrder(this.root, boxes);
  }
}

/** A CSS custom property of the page (for what canvas draws), or the fallback. */
export function cssVar(name, fallback) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}
