#!/usr/bin/env python3
"""scripts/bench's parsers and its table; figures only, nothing asserted.

  bench_report.py owners                               "INODE PID COMM" for every socket of every process (root)
  bench_report.py report OUT CORES CLK_TCK IMPLS [NOTE...]
      the table from the files scripts/bench left in OUT/IMPL/ (IMPLS: comma-separated rengarde,plain,engarde) and
      OUT/ (relay alone, JMH); each NOTE is printed under the title

The parsers are tested by scripts/bench_report_test.py on sample text.
"""
import json
import math
import os
import re
import sys

NAN = float("nan")
NAMES = {"rengarde": "rengarde", "plain": "plain fan-out", "engarde": "engarde"}

# Ports of the lab (scripts/lab): the relay's client listenAddr, the server's listenAddr, the server WireGuard.
CLIENT_LISTEN_PORT = 59401
SERVER_PORT = 59402
WG_SERVER_PORT = 59301


# ---- /proc/net/udp --------------------------------------------------------------------------------------------------

def hex_address(text):
    """'0100007F:E7A9' -> '127.0.0.1:59305' (the address is printed in host byte order, little-endian here)."""
    ip, port = text.split(":")
    octets = bytes.fromhex(ip)[::-1]
    return ".".join(str(b) for b in octets) + ":" + str(int(port, 16))


def parse_proc_net_udp(text):
    """The sockets of one /proc/net/udp listing: {inode: {"local", "remote", "drops", "rx_queue"}}."""
    sockets = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 13 or not fields[0].endswith(":") or not fields[0][:-1].isdigit():
            continue
        inode = int(fields[9])
        sockets[inode] = {
            "local": hex_address(fields[1]),
            "remote": hex_address(fields[2]),
            "rx_queue": int(fields[4].split(":")[1], 16),
            "drops": int(fields[12]),
        }
    return sockets


def parse_udp_samples(text):
    """A file of '=== PHASE NS' blocks, each followed by one /proc/net/udp listing (PHASE: before, during, after).
    Returns [(phase, ns, sockets)]."""
    blocks = []
    current = None
    lines = []
    for line in text.splitlines():
        if line.startswith("=== "):
            if current:
                blocks.append((current[0], current[1], parse_proc_net_udp("\n".join(lines))))
            parts = line.split()
            current = (parts[1], parts[2])
            lines = []
        else:
            lines.append(line)
    if current:
        blocks.append((current[0], current[1], parse_proc_net_udp("\n".join(lines))))
    return blocks


def socket_drops(text):
    """Drops per socket during one run: {(ns, inode): (local, remote, dropped)} for the sockets that dropped any.
    A socket absent before the run counts from zero; the highest count seen in any later sample is its last."""
    before = {}
    latest = {}
    for phase, ns, sockets in parse_udp_samples(text):
        for inode, s in sockets.items():
            key = (ns, inode)
            if phase == "before":
                before[key] = s["drops"]
            elif key not in latest or s["drops"] > latest[key][2]:
                latest[key] = (s["local"], s["remote"], s["drops"])
    out = {}
    for key, (local, remote, drops) in latest.items():
        dropped = drops - before.get(key, 0)
        if dropped > 0:
            out[key] = (local, remote, dropped)
    return out


def parse_owners(text):
    """'INODE PID COMM' lines -> {inode: 'COMM'}."""
    owners = {}
    for line in text.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[0].isdigit():
            owners[int(parts[0])] = parts[2].strip()
    return owners


def print_owners():
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/comm") as f:
                comm = f.read().strip()
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                print(target[8:-1], pid, comm)


# ---- tcpdump: residence per hop -------------------------------------------------------------------------------------

TCPDUMP_LINE = re.compile(
    r"^(\d+\.\d+) IP (\d+\.\d+\.\d+\.\d+)\.(\d+) > (\d+\.\d+\.\d+\.\d+)\.(\d+): UDP, length (\d+)")


def parse_tcpdump(text):
    """Lines of 'tcpdump -tt -n' -> [(time, src_port, dst_port, length)]; other lines are skipped."""
    packets = []
    for line in text.splitlines():
        m = TCPDUMP_LINE.match(line)
        if m:
            packets.append((float(m.group(1)), int(m.group(3)), int(m.group(5)), int(m.group(6))))
    return packets


def clusters(events, spread=0.005):
    """Copies of one datagram (same length, within `spread` seconds of the first) -> [(first time, length)]."""
    out = []
    open_clusters = {}
    for t, length in sorted(events):
        start = open_clusters.get(length)
        if start is not None and t - start <= spread:
            continue
        open_clusters[length] = t
        out.append((t, length))
    return out


def residence(ins, outs, window=0.05):
    """Matches each datagram in to the first copy out (same length, within `window` s, in order).
    ins and outs are [(time, length)], copies included. Returns (delays in s, datagrams in)."""
    arrivals = clusters(ins)
    departures = clusters(outs)
    used = [False] * len(departures)
    delays = []
    j0 = 0
    for t, length in arrivals:
        while j0 < len(departures) and departures[j0][0] < t:
            j0 += 1
        j = j0
        while j < len(departures) and departures[j][0] - t <= window:
            if not used[j] and departures[j][1] == length:
                used[j] = True
                delays.append(departures[j][0] - t)
                break
            j += 1
    return delays, len(arrivals)


def hops(captures):
    """captures: {(ns, iface): [(time, sport, dport, length)]} of one ping run, lo and the links of each namespace.
    Returns {hop: (delays, datagrams in)} for the four hops of the relay."""
    def pick(ns, links, want):
        events = []
        for (n, iface), packets in captures.items():
            if n == ns and (iface != "lo") == links:
                events += [(t, length) for t, sport, dport, length in packets if want(sport, dport)]
        return events
    return {
        "client uplink (WireGuard in, first link out)": residence(
            pick("client", False, lambda s, d: d == CLIENT_LISTEN_PORT),
            pick("client", True, lambda s, d: d == SERVER_PORT)),
        "server uplink (first copy in, WireGuard out)": residence(
            pick("server", True, lambda s, d: d == SERVER_PORT),
            pick("server", False, lambda s, d: d == WG_SERVER_PORT)),
        "server downlink (WireGuard in, first link out)": residence(
            pick("server", False, lambda s, d: s == WG_SERVER_PORT),
            pick("server", True, lambda s, d: s == SERVER_PORT)),
        "client downlink (first copy in, WireGuard out)": residence(
            pick("client", True, lambda s, d: s == SERVER_PORT),
            pick("client", False, lambda s, d: s == CLIENT_LISTEN_PORT)),
    }


def percentile(values, q):
    if not values:
        return NAN
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


# ---- iperf3 and ping ------------------------------------------------------------------------------------------------

def tcp_mbits(doc):
    try:
        return doc["end"]["sum_received"]["bits_per_second"] / 1e6
    except (KeyError, TypeError):
        return NAN


def udp_result(doc):
    """(delivered Mbit/s, lost %) as the receiver counted them, whichever end received (iperf3 -R too)."""
    try:
        end = doc["end"]
    except (KeyError, TypeError):
        return NAN, NAN
    received = end.get("sum_received")
    if received and "lost_percent" in received:
        return received["bits_per_second"] / 1e6, received["lost_percent"]
    s = end.get("sum")
    if not s:
        return NAN, NAN
    lost = s.get("lost_percent", NAN)
    rate = s["bits_per_second"] / 1e6
    return (rate * (1 - lost / 100) if s.get("sender") else rate), lost


def relay_rtt(text):
    """UdpTool ping's "rtt_us p50 A p90 B p99 C answered N of M": (p50, p99) in ms; NaN when absent or when fewer
    than 90% came back (the figures would describe the few that did)."""
    m = re.search(r"rtt_us p50 (-?\d+) p90 (-?\d+) p99 (-?\d+) answered (\d+) of (\d+)", text or "")
    if not m or int(m.group(4)) < 0.9 * int(m.group(5)) or int(m.group(4)) == 0:
        return NAN, NAN
    return int(m.group(1)) / 1000, int(m.group(3)) / 1000


def ping_rtts(text):
    return sorted(float(m) for m in re.findall(r"time=([0-9.]+) ms", text))


# ---- the table ------------------------------------------------------------------------------------------------------

class Results:
    """The files scripts/bench left for one implementation."""

    def __init__(self, directory):
        self.dir = directory

    def text(self, name):
        try:
            with open(os.path.join(self.dir, name)) as f:
                return f.read()
        except OSError:
            return ""

    def json(self, name):
        try:
            return json.loads(self.text(name))
        except ValueError:
            return None

    def values(self):
        """key=value lines of values.txt (RSS, CPU ticks, byte counts)."""
        out = {}
        for line in self.text("values.txt").splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                try:
                    out[k.strip()] = float(v)
                except ValueError:
                    pass
        return out

    def captures(self):
        out = {}
        for name in sorted(os.listdir(self.dir)) if os.path.isdir(self.dir) else []:
            m = re.match(r"tcpdump-(client|server)-(.+)\.txt$", name)
            if m:
                out[(m.group(1), m.group(2))] = parse_tcpdump(self.text(name))
        return out

    def owners(self):
        owners = {}
        for name in sorted(os.listdir(self.dir)) if os.path.isdir(self.dir) else []:
            if name.startswith("owners"):
                owners.update(parse_owners(self.text(name)))
        return owners


def fmt(value, digits=0, unit=""):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.{digits}f}{unit}"


def ratio(a, b):
    return a / b if b and not math.isnan(a) and not math.isnan(b) else NAN


def verdict(ok):
    return "n/a" if ok is None else ("yes" if ok else "no")


def report(out, impls, cores, tck, skipped):
    res = {i: Results(os.path.join(out, i)) for i in impls}
    vals = {i: res[i].values() for i in impls}
    cols = [NAMES[i] for i in impls]
    rows = []  # (measure, [cells], target, rengarde meets it?)

    def add(measure, cells, target="", ok=""):
        """ok: True or False, None when rengarde has no figure, "" when the target is not a pass or fail."""
        rows.append((measure, cells, target, "" if ok == "" else verdict(ok)))

    def nan(x):
        return isinstance(x, float) and math.isnan(x)

    def meets(values, test):
        """Whether rengarde's value passes test; None when rengarde was not run or has no figure."""
        v = values.get("rengarde", NAN)
        return None if nan(v) else test(v)

    tcp = {i: {d: (tcp_mbits(res[i].json(f"tcp-relay-{d}.json")), tcp_mbits(res[i].json(f"tcp-direct-{d}.json")))
               for d in ("up", "down")} for i in impls}
    for d in ("up", "down"):
        add(f"TCP {d}, Mbit/s, three links", [fmt(tcp[i][d][0]) for i in impls])
        add(f"  direct WireGuard, one link, same lab", [fmt(tcp[i][d][1]) for i in impls])
        r = {i: ratio(*tcp[i][d]) for i in impls}
        add("  ratio to direct", [fmt(r[i], 2) for i in impls], ">= 0.80", meets(r, lambda v: v >= 0.8))
        if "plain" in impls:
            rp = {i: ratio(tcp[i][d][0], tcp["plain"][d][0]) for i in impls}
            add("  ratio to plain fan-out", [fmt(rp[i], 2) for i in impls], ">= 0.90", meets(rp, lambda v: v >= 0.9))

    for d in ("up", "down"):
        for rate in (50, 100, 200):
            relay = {i: udp_result(res[i].json(f"udp-relay-{d}-{rate}.json")) for i in impls}
            direct = {i: udp_result(res[i].json(f"udp-direct-{d}-{rate}.json")) for i in impls}
            add(f"UDP {d} {rate} Mbit/s offered: delivered Mbit/s (loss %)",
                [f"{fmt(relay[i][0], 1)} ({fmt(relay[i][1], 2)})" for i in impls],
                "print what arrives" if rate == 200 else "")
            add("  direct WireGuard, same lab", [f"{fmt(direct[i][0], 1)} ({fmt(direct[i][1], 2)})" for i in impls])
            if rate == 100:
                beyond = {i: relay[i][1] - direct[i][1] for i in impls}
                add("  loss beyond direct, points", [fmt(beyond[i], 2) for i in impls], "<= 0.10",
                    meets(beyond, lambda v: v <= 0.1))

    warm = {i: {d: udp_result(res[i].json(f"udp-warmup-{d}-50.json")) for d in ("up", "down")} for i in impls}
    add("warm-up: the first UDP after start, 50 Mbit/s up / down, loss % (not in the figures above)",
        [f"{fmt(warm[i]['up'][1], 2)} / {fmt(warm[i]['down'][1], 2)}" for i in impls])
    add("  CPU s during the warm-up (10 s of traffic), client / server",
        [f"{fmt(vals[i].get('cpu_ticks_warmup_client', NAN) / tck, 1)} / "
         f"{fmt(vals[i].get('cpu_ticks_warmup_server', NAN) / tck, 1)}" for i in impls])

    pings = {}
    for i in impls:
        for rate in (5, 100):
            relay = ping_rtts(res[i].text(f"ping-relay-{rate}.txt"))
            direct = ping_rtts(res[i].text(f"ping-direct-{rate}.txt"))
            pings[(i, rate)] = (percentile(relay, 0.5), percentile(direct, 0.5), percentile(relay, 0.99),
                                percentile(direct, 0.99), len(relay))
    for rate in (5, 100):
        add(f"ping {rate}/s RTT p50, ms (direct)", [f"{fmt(pings[(i, rate)][0], 3)} ({fmt(pings[(i, rate)][1], 3)})"
                                                    for i in impls])
        added = {i: pings[(i, rate)][0] - pings[(i, rate)][1] for i in impls}
        limit = added.get("engarde", NAN)
        add("  added p50, ms", [fmt(added[i], 3) for i in impls],
            "<= engarde's; aim +0.25" if not nan(limit) else "aim +0.25 (engarde not run)",
            meets(added, lambda v: v <= (0.25 if nan(limit) else limit)))
        add("  added p99, ms", [fmt(pings[(i, rate)][2] - pings[(i, rate)][3], 3) for i in impls])

    hop_notes = []
    hop_table = {i: hops(res[i].captures()) for i in impls}
    for hop in next(iter(hop_table.values()), {}):
        cells = []
        for i in impls:
            delays, total = hop_table[i][hop]
            cell = f"{fmt(percentile(delays, 0.5) * 1e3, 3)} ({len(delays)}/{total})"
            if total == 0 or len(delays) < 0.9 * total:
                cell += " unreliable"
                hop_notes.append(f"{NAMES[i]}, {hop}: matched {len(delays)} of {total} datagrams")
            cells.append(cell)
        add(f"residence p50 at 5/s, ms (matched/in): {hop}", cells)

    for proc in ("client", "server"):
        idle = {i: vals[i].get(f"rss_idle_{proc}", NAN) / 1024 for i in impls}
        add(f"RSS {proc} idle 10 s, MB", [fmt(idle[i]) for i in impls], "<= 64", meets(idle, lambda v: v <= 64))
        loaded = {i: max((x for x in (vals[i].get(f"rss_udp100_up_{proc}", NAN),
                                       vals[i].get(f"rss_udp100_down_{proc}", NAN)) if not nan(x)), default=NAN)
                  / 1024 for i in impls}
        add(f"RSS {proc} right after UDP 100 Mbit/s (larger of up, down), MB", [fmt(loaded[i]) for i in impls],
            "<= 128", meets(loaded, lambda v: v <= 128))
        add("  peak (VmHWM) over the whole run, MB", [fmt(vals[i].get(f"hwm_{proc}", NAN) / 1024) for i in impls])
    for proc in ("client", "server"):
        cells = []
        for i in impls:
            v = vals[i]
            gb = v.get("tunnel_bytes", NAN) / 1e9
            cells.append(fmt(ratio(v.get(f"cpu_ticks_{proc}", NAN) / tck, gb), 1))
        add(f"CPU s per GB through the tunnel, {proc}", cells)

    top = Results(out)
    relay_alone = {}
    for i in impls:
        count = re.search(r"per-second (\d+)", top.text(f"alone-{i}-count.txt"))
        blast = re.search(r"per-second (\d+)", top.text(f"alone-{i}-blast.txt"))
        relay_alone[i] = (float(blast.group(1)) if blast else NAN, float(count.group(1)) if count else NAN)
    add("relay alone, 1,400-byte datagrams /s: offered -> delivered",
        [f"{fmt(relay_alone[i][0])} -> {fmt(relay_alone[i][1])}" for i in impls])
    if "plain" in impls:
        add("  delivered, ratio to plain fan-out", [fmt(ratio(relay_alone[i][1], relay_alone["plain"][1]), 2)
                                                     for i in impls])
    for rate in (100, 5):
        rtts = {i: relay_rtt(top.text(f"alone-{i}-ping{rate}.txt")) for i in impls}
        add(f"relay alone, round trip of one 128-byte datagram at {rate}/s (no WireGuard), p50 / p99, ms",
            [f"{fmt(rtts[i][0], 3)} / {fmt(rtts[i][1], 3)}" for i in impls])

    print()
    print(f"rengarde benchmark, one run: each column in a lab of its own, with direct WireGuard (one link) measured "
          f"in the same lab; {cores} cores shared by both wireguard-go pairs, the relay, iperf3 and tcpdump. "
          f"Targets are printed, not asserted; the last column says whether rengarde meets its target.")
    for line in skipped:
        print(line)
    print()
    print("| measure | " + " | ".join(cols) + " | target | rengarde meets |")
    print("|---|" + "---|" * len(cols) + "---|---|")
    for measure, cells, target, meets in rows:
        print(f"| {measure} | " + " | ".join(cells) + f" | {target} | {meets} |")
    for note in hop_notes:
        print(f"note: residence matching unreliable for {note} (datagrams paired by length and order)")

    print()
    print("Kernel drops per socket during each UDP run (/proc/net/udp, sampled every 0.5 s; only sockets that "
          "dropped):")
    print()
    print("| UDP run | " + " | ".join(cols) + " |")
    print("|---|" + "---|" * len(cols))
    runs = [("warmup", d, 50) for d in ("up", "down")]
    runs += [(path, d, rate) for path in ("relay", "direct") for d in ("up", "down") for rate in (50, 100, 200)]
    for path, d, rate in runs:
        cells = []
        for i in impls:
            owners = res[i].owners()
            drops = socket_drops(res[i].text(f"drops-udp-{path}-{d}-{rate}.txt"))
            parts = [f"{ns} {owners.get(inode, '?')} {local}: {n}"
                     for (ns, inode), (local, remote, n) in sorted(drops.items(), key=lambda kv: -kv[1][2])]
            cells.append("; ".join(parts) if parts else "0")
        label = f"warm-up {d} {rate} (the first after start)" if path == "warmup" else f"{path} {d} {rate}"
        print(f"| {label} | " + " | ".join(cells) + " |")

    jmh = top.text("jmh.txt")
    lines = [l for l in jmh.splitlines()
             if l.startswith(("PacketPathBenchmark.", "HandlerPathBenchmark.")) and "avgt" in l
             and not re.search(r":gc\.(count|time|alloc\.rate)\s", l)]
    if lines:
        print()
        print("JMH, in-process packet path (ns per datagram; gc.alloc.rate.norm = bytes allocated per datagram):")
        for l in lines:
            print("  " + " ".join(l.split()))


def main(argv):
    if len(argv) >= 2 and argv[1] == "owners":
        print_owners()
        return 0
    if len(argv) >= 6 and argv[1] == "report":
        out, cores, tck = argv[2], argv[3], int(argv[4])
        impls = [i for i in argv[5].split(",") if i]
        skipped = argv[6:]
        report(out, impls, cores, tck, skipped)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
