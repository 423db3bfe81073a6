/*
 * What every page shows around its view: title (engarde's "client"/"server"), description, version, the time of
 * the document, the contact light, the error banner (lost contact, a failed command), the configuration verdict
 * and the footer.
 */
import { $, setHidden, setText } from './dom.js';
import { fmtClock, isNum } from './format.js';

const ACTION_ERROR_MS = 15000;

export function createHeader() {
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
    footer: $('#footer-text'),
  };
  let contact = { phase: 'connecting' };
  let actionError = null;
  let actionErrorTimer = 0;

  function drawBanner() {
    const lost = contact.phase === 'lost';
    setText(dom.contactError, lost ? contact.message : '');
    setHidden(dom.contactError, !lost);
    setText(dom.actionError, actionError || '');
    setHidden(dom.actionError, !actionError);
    setHidden(dom.dismissError, !actionError);
    setHidden(dom.errorBanner, !lost && !actionError);
  }

  function clearActionError() {
    clearTimeout(actionErrorTimer);
    actionError = null;
    drawBanner();
  }

  dom.dismissError.addEventListener('click', clearActionError);

  return {
    /** The document's common fields; {@code type} is 'client' or 'server'. */
    render(doc, type) {
      setText(dom.title, type);
      setText(dom.description, doc.description || '');
      setHidden(dom.description, !doc.description);
      setText(dom.version, doc.version ? `version ${doc.version}` : '');
      const docTitle = `rengarde ${type}` + (doc.description ? ` · ${doc.description}` : '');
      if (document.title !== docTitle) document.title = docTitle;
      setText(dom.updated, isNum(doc.time) ? `updated ${fmtClock(doc.time)}` : '');

      const cfg = doc.configError == null ? '' : String(doc.configError);
      setText(dom.configErrorMessage, cfg);
      setHidden(dom.configError, !cfg);

      const foot = [`listening on ${doc.listenAddress || '?'}`];
      if (type === 'server' && doc.dstAddress) foot.push(`WireGuard at ${doc.dstAddress}`);
      const wg = doc.dispatcher && doc.dispatcher.wireGuardAddress;
      if (type === 'client' && wg) foot.push(`WireGuard at ${wg}`);
      setText(dom.footer, `rengarde ${type} ${doc.version || ''} · ${foot.join(' · ')}`);
    },

    /** The contact light and banner; a new document also restarts the heartbeat animation. */
    contact(next, beat) {
      contact = next;
      const dot = next.phase === 'lost' ? 'lost' : next.phase === 'connecting' ? 'connecting' : 'live';
      if (dom.dot.dataset.state !== dot) dom.dot.dataset.state = dot;
      setText(dom.statusText, next.phase === 'lost' ? 'no contact' : next.phase);
      dom.live.title = next.title || '';
      if (beat) {
        // two names for the same animation: switching restarts it without forcing a layout
        const next = dom.dot.classList.contains('beat-a') ? 'beat-b' : 'beat-a';
        dom.dot.classList.remove('beat-a', 'beat-b');
        dom.dot.classList.add(next);
      }
      drawBanner();
    },

    /** A failed command, shown until dismissed or for 15 s. */
    actionError(message) {
      actionError = message;
      clearTimeout(actionErrorTimer);
      actionErrorTimer = setTimeout(clearActionError, ACTION_ERROR_MS);
      drawBanner();
    },
  };
}
