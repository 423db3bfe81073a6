/* See render-bench.html. */
import { createServerView } from '../../main/resources/webroot/js/server-view.js';
import { QualityTable } from '../../main/resources/webroot/js/quality-table.js';
import { Tiles } from '../../main/resources/webroot/js/dom.js';
import { TunnelLossPanel } from '../../main/resources/webroot/js/tunnel-loss.js';
import { serverDocument } from './synthetic-server.js';

const params = new URLSearchParams(location.search);
const PEERS = Number(params.get('peers') || 1000);
const UPDATES = Number(params.get('updates') || 20);
const OPEN_IDLE = params.has('openIdle');

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

function stat(list) {
  const sorted = [...list].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${median.toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
}

async function run() {
  // the page's own markup, so the view finds what index.html gives it
  const html = await (await fetch('../../main/resources/webroot/index.html')).text();
  const body = new DOMParser().parseFromString(html, 'text/html').body;
  for (const s of body.querySelectorAll('script')) s.remove();
  document.getElementById('page').replaceChildren(...body.childNodes);
  const parts = {
    tiles: new Tiles(document.getElementById('tiles')),
    tunnel: new TunnelLossPanel(document.getElementById('tunnel')),
    quality: new QualityTable(document.getElementById('quality')),
    colorFor: () => '#2f6fdf',
  };
  const view = createServerView(parts);
  if (OPEN_IDLE) {
    document.getElementById('peers-idle').open = true;
    document.getElementById('peers-tentative').open = true;
  }
  const texts = [];
  for (let i = 0; i <= UPDATES; i++) texts.push(JSON.stringify(serverDocument(PEERS, i)));

  const parse = [];
  const script = [];
  const layout = [];
  const frame = [];
  let first = null;
  for (let i = 0; i <= UPDATES; i++) {
    const t0 = performance.now();
    const doc = JSON.parse(texts[i]);
    const t1 = performance.now();
    view.render(doc);
    view.samples(doc);
    const t2 = performance.now();
    void document.body.getBoundingClientRect().height;   // style and layout, as the next frame would do them
    const t3 = performance.now();
    await nextFrame();
    const t4 = performance.now();
    if (i === 0) {
      first = { parse: t1 - t0, script: t2 - t1, layout: t3 - t2, frame: t4 - t0 };
      continue;
    }
    parse.push(t1 - t0);
    script.push(t2 - t1);
    layout.push(t3 - t2);
    frame.push(t4 - t0);
  }
  const cards = document.querySelectorAll('#peers .card[data-peer]').length;
  const links = document.querySelectorAll('#peers .link[data-address]').length;
  const lines = [
    `${PEERS} peers (${cards} cards, ${links} links in the DOM), document ${(texts[1].length / 1e6).toFixed(2)} MB`,
    `first render: parse ${first.parse.toFixed(1)} ms, script ${first.script.toFixed(1)} ms, layout ${first.layout.toFixed(1)} ms, to next frame ${first.frame.toFixed(1)} ms`,
    `updates (${UPDATES}):`,
    `  parse   ${stat(parse)}`,
    `  script  ${stat(script)}`,
    `  layout  ${stat(layout)}`,
    `  frame   ${stat(frame)}`,
  ];
  document.getElementById('result').textContent = lines.join('\n');
  console.log(lines.join('\n'));
}

run().catch((e) => {
  document.getElementById('result').textContent = 'FAILED ' + (e && e.stack || e);
});
