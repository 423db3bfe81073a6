/*
 * Talking to the web manager: get-list once at load (and every second while the event stream is not open or is
 * silent), then one document a second from the server-sent events at api/v1/events; the commands; and whether we
 * are in contact. Contact is lost after two missed refreshes; the page keeps retrying and recovers by itself.
 */
import { isNum } from './format.js';

const API = 'api/v1/';
const LOST_AFTER_MS = 2500;        // two missed refreshes
const STREAM_RETRY_MS = 2000;      // when the browser gave up on the EventSource (e.g. HTTP error)
const FETCH_TIMEOUT_MS = 5000;
const POLL_MS = 1000;
const STATUS_MS = 500;

function describeError(e) {
  if (!e) return 'unknown error';
  if (e.name === 'TypeError') return 'network error';
  return e.message || String(e);
}

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

/**
 * Starts the traffic. {@code onDocument(doc)} gets each new document; {@code onContact(contact)} gets, twice a
 * second and after each change, {phase: 'connecting' | 'live' | 'polling' | 'lost', message, title}.
 */
export function startApi({ onDocument, onContact }) {
  const state = {
    hasDoc: false,
    lastDocAt: performance.now(),   // the page load counts as contact, so the banner waits 2.5 s
    lastDocTime: null,
    reason: null,                   // the latest failure since the last document, if any
    es: null,
    esRetryTimer: 0,
    pollInFlight: false,
  };

  const streamOpen = () => state.es != null && state.es.readyState === EventSource.OPEN;

  function contact() {
    const silentFor = performance.now() - state.lastDocAt;
    if (silentFor > LOST_AFTER_MS) {
      const secs = Math.round(silentFor / 1000);
      const why = state.reason || (streamOpen() ? 'the event stream is silent' : 'cannot connect');
      const reason = state.hasDoc ? `no update for ${secs} s (${why})` : `no update received yet (${why})`;
      return { phase: 'lost', message: `Lost contact with rengarde: ${reason}; retrying…`, title: 'Lost contact; retrying' };
    }
    if (!state.hasDoc) return { phase: 'connecting', title: 'Waiting for the first update' };
    return streamOpen()
      ? { phase: 'live', title: 'Receiving live updates' }
      : { phase: 'polling', title: 'Event stream unavailable; polling every second' };
  }

  const report = () => onContact(contact());

  function accept(doc) {
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      state.reason = 'malformed update';
      return;
    }
    // a slow get-list answer must not overwrite a newer pushed document
    if (isNum(doc.time) && isNum(state.lastDocTime) && doc.time < state.lastDocTime && state.lastDocTime - doc.time < 5000) {
      return;
    }
    if (isNum(doc.time)) state.lastDocTime = doc.time;
    state.lastDocAt = performance.now();
    state.hasDoc = true;
    state.reason = null;
    try {
      onDocument(doc);
    } finally {
      report();
    }
  }

  async function refresh() {
    try {
      const res = await fetchTimed(API + 'get-list', { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!res.ok) throw await responseError(res);
      accept(await res.json());
    } catch (e) {
      state.reason = e instanceof SyntaxError ? 'malformed answer' : describeError(e);
      report();
    }
  }

  async function poll() {
    if (state.pollInFlight) return;
    state.pollInFlight = true;
    try { await refresh(); } finally { state.pollInFlight = false; }
  }

  function connect() {
    clearTimeout(state.esRetryTimer);
    if (!('EventSource' in window)) return;
    const es = new EventSource(API + 'events');
    state.es = es;
    es.onopen = report;
    es.onmessage = (ev) => {
      let doc;
      try {
        doc = JSON.parse(ev.data);
      } catch (e) {
        state.reason = 'malformed update';
        return;
      }
      accept(doc);
    };
    es.onerror = () => {
      state.reason = 'event stream interrupted';
      if (es.readyState === EventSource.CLOSED) {
        // the browser gave up (HTTP error, wrong content type): start a new stream later
        es.close();
        if (state.es === es) state.es = null;
        state.esRetryTimer = setTimeout(connect, STREAM_RETRY_MS);
      }
      report();
    };
  }

  /** POSTs a command; resolves with its JSON answer, rejects with an Error whose message says why. */
  async function post(path, body) {
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

  connect();
  refresh();
  setInterval(() => {
    // fallback while the stream is not open, and while it is open but silent (a buffering proxy, a stuck stream)
    if (!streamOpen() || contact().phase === 'lost') poll();
  }, POLL_MS);
  setInterval(report, STATUS_MS);
  return { refresh, post };
}
