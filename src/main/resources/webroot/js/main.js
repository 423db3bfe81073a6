/*
 * rengarde web page: the live view of the client's or the server's status document. Entry module: builds the
 * views and hands each document (from api.js) to the one its type names. No build step: the browser loads these
 * modules as they are.
 */
import { startApi } from './api.js';
import { createCharts } from './charts.js';
import { createClientView } from './client-view.js';
import { $, Tiles } from './dom.js';
import { createEventBusView } from './eventbus-view.js';
import { isNum } from './format.js';
import { createHeader } from './header.js';
import { QualityTable } from './quality-table.js';
import { createServerView } from './server-view.js';
import { TunnelLossPanel } from './tunnel-loss.js';

const header = createHeader();
const charts = createCharts({ throughput: $('#chart-throughput'), datagrams: $('#chart-datagrams'), loss: $('#chart-loss') });
const parts = {
  header,
  tiles: new Tiles($('#tiles')),
  tunnel: new TunnelLossPanel($('#tunnel')),
  quality: new QualityTable($('#quality')),
  colorFor: charts.colorFor,
};
let api = null;
const commands = { post: (path, body) => api.post(path, body), refresh: () => api.refresh() };
const views = { client: createClientView(commands, parts), server: createServerView(parts) };
const eventBus = createEventBusView();
let type = null;
let beat = false;

function onDocument(doc) {
  try {
    const next = doc.type === 'server' ? 'server' : 'client';
    if (next !== type) {
      if (type) views[type].hide();
      type = next;
      charts.reset();
    }
    const view = views[type];
    header.render(doc, type);
    view.render(doc);
    eventBus.render(doc.eventBus);
    charts.record(isNum(doc.time) ? doc.time : Date.now(), view.samples(doc));
    charts.update(view.emptyChartText);
  } finally {
    beat = true;
    if (document.body.dataset.ready !== 'true') document.body.dataset.ready = 'true';
  }
}

api = startApi({
  onDocument,
  onContact(contact) {
    header.contact(contact, beat);
    beat = false;
  },
});
