/*
 * Synthetic server documents (the shape ServerRelay.status() and ServerStatusSource give), for the page's
 * render benchmark: n peers of two or three links each, some idle, some tentative, some losing datagrams, some
 * with an address left behind by a re-created link. tick: seconds since the start; counters advance with it.
 */

const quality = (firsts, uniques, missing, judged, altered, p50, p99, scale) => ({
  windowSeconds: 10, firstArrivals: firsts, uniqueSaves: uniques, missing, judged, altered,
  lossRatio: judged ? Math.round(10000 * missing / judged) / 10000 : null, lateMsP50: p50, lateMsP99: p99,
  total: { firstArrivals: firsts * scale, uniqueSaves: uniques * scale, missing: missing * scale, judged: judged * scale,
    altered: Math.floor(altered * scale / 3), lossRatio: judged ? Math.round(10000 * missing / judged) / 10000 : null },
});

const stats = (inCount, outCount, size) => ({
  datagramsIn: inCount, bytesIn: inCount * size, datagramsOut: outCount, bytesOut: outCount * size, sendErrors: 0, drops: 0,
});

const tunnel = (received, lost, totalReceived, totalLost, keyAge) => ({
  windowSeconds: 10, received, lost, lossRatio: received + lost ? Math.round(10000 * lost / (received + lost)) / 10000 : null,
  keyAgeSeconds: keyAge,
  total: { received: totalReceived, lost: totalLost,
    lossRatio: totalReceived + totalLost ? Math.round(10000 * totalLost / (totalReceived + totalLost)) / 10000 : null,
    skipped: 0, resyncs: 0 },
});

export function serverDocument(n, tick) {
  const peers = [];
  const sockets = [];
  for (let id = 1; id <= n; id++) {
    const base = Math.floor(tick * (200 + (id % 7) * 50)) + id * 1000;
    const tentative = id % 97 === 0;
    const idle = !tentative && id % 41 === 0;
    const losing = id % 250 === 3 && tick % 20 < 10;
    const recreated = id % 60 === 2;
    const addresses = [];
    const links = tentative ? 1 : 2 + (id % 2);
    for (let k = 0; k < links; k++) {
      const host = ['203.0.113.', '198.51.100.', '192.0.2.'][k] + (id % 250);
      const address = `${host}:${40000 + id * 3 + k}`;
      const last = idle ? 25 + k : tick % 2;
      const missing = k === 1 && id % 5 === 0 ? 20 + (tick % 3) : 0;
      addresses.push({ address, last, stats: stats(base + k * 13, Math.floor(base / 3), 180),
        quality: quality(k === 0 ? 900 : 80, k === 0 ? 12 : 1, missing, idle ? 0 : 1000, id % 11 === 4 && k === 1 ? 7 : 0,
          k === 0 ? null : 0.512, k === 0 ? null : 4.096, 50) });
      sockets.push({ address, last });
    }
    if (recreated) {
      const address = `203.0.113.${id % 250}:${30000 + id}`;
      addresses.push({ address, last: 18, stats: stats(5000, 1700, 180), quality: quality(0, 0, 1000, 1000, 0, null, null, 3) });
      sockets.push({ address, last: 18 });
    }
    const received = idle || tentative ? 0 : 1000 + (id % 100);
    peers.push({ id, state: tentative ? 'tentative' : 'active', ageSeconds: tick + id * 37, addresses, candidates: 0,
      wireGuard: { ...stats(Math.floor(base / 3), base, 190), kernelDrops: id % 333 === 6 ? 42 : 0, receiveBufferBytes: 8388608 },
      tunnelLoss: tunnel(received, losing ? 12 : 0, base, losing ? 340 : 0, tentative ? null : 42),
      socket: `127.0.1.${(id % 250) + 1}:${50000 + id}` });
  }
  const total = Math.floor(tick * 5000);
  return {
    type: 'server', version: '0.1.0', description: 'synthetic', listenAddress: '0.0.0.0:51820', dstAddress: '127.0.0.1:51821',
    sockets, peers,
    wireGuard: { stats: stats(Math.floor(total / 3), total, 190),
      rates: { datagramsInPerSec: 1666, bytesInPerSec: 316666, datagramsOutPerSec: 5000, bytesOutPerSec: 950000 } },
    listenSocket: { kernelDrops: 0, receiveBufferBytes: 8388608 },
    refusedDatagrams: 17, refusedNotWireGuard: 15, refusedUnknownIndex: 2, tentativePeers: Math.floor(n / 97), candidates: 0,
    limits: { peers: 0, tentative_initiations: 0, tentative_resumes: 0, members_per_peer: 0, initiators_per_peer: 0, candidates: 0 },
    duplicateFilter: true, duplicatesDropped: total, alteredForwarded: 0, strayDatagrams: 0, configError: null, eventBus: [],
    time: 1_700_000_000_000 + tick * 1000,
  };
}
