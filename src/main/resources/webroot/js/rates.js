/*
 * Per-second rates the page works out itself from successive counters, for what the document gives as counters
 * only (each peer's links and WireGuard socket): the push stays one snapshot of counters however many peers.
 */
import { isNum } from './format.js';

const FIELDS = ['datagramsIn', 'bytesIn', 'datagramsOut', 'bytesOut'];
const MIN_INTERVAL_MS = 500;   // the same refresh seen twice (get-list and the push) keeps its rates

export class RateMemory {
  constructor() {
    this.entries = new Map();   // key -> {time, counts, rates, mark}
    this.mark = 0;
  }

  /** Starts a document: keys not updated before the next {@link sweep} are forgotten then. */
  begin() {
    this.mark++;
  }

  /** {datagramsInPerSec, bytesInPerSec, datagramsOutPerSec, bytesOutPerSec} of key, null until two counters. */
  update(key, stats, timeMs) {
    const e = this.entries.get(key);
    if (!stats || !isNum(timeMs)) return e ? e.rates : null;
    if (e) {
      e.mark = this.mark;
      const dt = timeMs - e.time;
      if (dt >= 0 && dt < MIN_INTERVAL_MS) return e.rates;
      const rates = {};
      for (const f of FIELDS) {
        const delta = (isNum(stats[f]) ? stats[f] : 0) - e.counts[f];
        rates[`${f}PerSec`] = dt > 0 && delta > 0 ? delta * 1000 / dt : 0;   // a restart (counters back to 0) reads 0
      }
      e.time = timeMs;
      for (const f of FIELDS) e.counts[f] = isNum(stats[f]) ? stats[f] : 0;
      e.rates = rates;
      return rates;
    }
    const counts = {};
    for (const f of FIELDS) counts[f] = isNum(stats[f]) ? stats[f] : 0;
    this.entries.set(key, { time: timeMs, counts, rates: null, mark: this.mark });
    return null;
  }

  /** Forgets what the last document did not mention. */
  sweep() {
    for (const [k, e] of this.entries) if (e.mark !== this.mark) this.entries.delete(k);
  }
}
