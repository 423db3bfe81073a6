#!/usr/bin/env python3
"""Tests of scripts/bench_report.py's parsers on sample text: python3 scripts/bench_report_test.py"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_report as b  # noqa: E402

HEADER = ("   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref "
          "pointer drops            ")


def udp_line(sl, local, remote, rx_queue, inode, drops):
    return (f"{sl:5d}: {local} {remote} 07 00000000:{rx_queue:08X} 00:00000000 00000000     0        0 {inode} 2 "
            f"000000000669df0f {drops}        ")


class ProcNetUdp(unittest.TestCase):
    def test_decodes_addresses_queue_and_drops(self):
        text = "\n".join([HEADER,
                          udp_line(13100, "0100007F:E7A9", "0100007F:E80A", 0x1A40, 119980, 0),
                          udp_line(2331, "00000000:E80A", "00000000:0000", 0, 5551, 37)])
        sockets = b.parse_proc_net_udp(text)
        self.assertEqual(sockets[119980], {"local": "127.0.0.1:59305", "remote": "127.0.0.1:59402",
                                           "rx_queue": 0x1A40, "drops": 0})
        self.assertEqual(sockets[5551]["local"], "0.0.0.0:59402")
        self.assertEqual(sockets[5551]["drops"], 37)

    def test_a_link_address(self):
        self.assertEqual(b.hex_address("0201C90A:A0F1"), "10.201.1.2:41201")

    def test_drops_during_a_run_per_socket(self):
        before_client = [HEADER, udp_line(1, "0100007F:E809", "00000000:0000", 0, 100, 5)]
        during_client = [HEADER, udp_line(1, "0100007F:E809", "00000000:0000", 0, 100, 9),
                         udp_line(2, "0202CA0A:1451", "00000000:0000", 0, 200, 3)]
        after_client = [HEADER, udp_line(1, "0100007F:E809", "00000000:0000", 0, 100, 12)]
        server = [HEADER, udp_line(7, "00000000:E80A", "00000000:0000", 0, 300, 4)]
        text = "\n".join(["=== before client"] + before_client + ["=== before server"] + server
                         + ["=== during client"] + during_client + ["=== during server"] + server
                         + ["=== after client"] + after_client + ["=== after server"] + server)
        drops = b.socket_drops(text)
        # 100: 5 before, 12 after; 200: new during the run (iperf3), gone after, 3 in its last sample; 300: none.
        self.assertEqual(drops, {("client", 100): ("127.0.0.1:59401", "0.0.0.0:0", 7),
                                 ("client", 200): ("10.202.2.2:5201", "0.0.0.0:0", 3)})

    def test_owners(self):
        self.assertEqual(b.parse_owners("119980 4242 java\n5551 17 wireguard-go\nnoise\n"),
                         {119980: "java", 5551: "wireguard-go"})


class Tcpdump(unittest.TestCase):
    def test_parses_udp_lines_only(self):
        text = ("1796167427.051203 IP 127.0.0.1.41890 > 127.0.0.1.59401: UDP, length 128\n"
                "tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n"
                "1796167427.051300 IP 10.201.1.2.40000 > 10.201.1.1.59402: UDP, length 128\n")
        self.assertEqual(b.parse_tcpdump(text), [(1796167427.051203, 41890, 59401, 128),
                                                 (1796167427.0513, 40000, 59402, 128)])

    def test_first_copy_out_of_three_links(self):
        ins = [(10.0000, 128), (10.2000, 128), (10.4000, 148)]
        outs = [(10.00021, 128), (10.00025, 128), (10.00030, 128),   # the first ping over three links
                (10.20040, 128), (10.20041, 128), (10.20050, 128),
                (10.40010, 148), (10.40011, 148), (10.40012, 148)]  # a handshake: a length of its own
        delays, total = b.residence(ins, outs)
        self.assertEqual(total, 3)
        self.assertEqual([round(d * 1e6) for d in delays], [210, 400, 100])

    def test_copies_in_count_once_and_unmatched_is_reported(self):
        ins = [(5.0, 128), (5.0003, 128), (5.0004, 128),  # three copies of one datagram
               (5.2, 128)]                                 # lost inside the relay: nothing goes out
        outs = [(5.0006, 128)]
        delays, total = b.residence(ins, outs)
        self.assertEqual(total, 2)
        self.assertEqual([round(d * 1e6) for d in delays], [600])

    def test_an_output_is_not_taken_from_before_its_input_nor_twice(self):
        ins = [(1.0, 128), (1.2, 128)]
        outs = [(0.99, 128), (1.001, 128)]
        delays, total = b.residence(ins, outs)
        self.assertEqual([round(d * 1e6) for d in delays], [1000])
        self.assertEqual(total, 2)

    def test_four_hops_from_the_captures_of_one_ping(self):
        c, s = "client", "server"
        captures = {
            (c, "lo"): [(1.00000, 51820, 59401, 128), (1.00150, 59401, 51820, 128)],
            (c, "rgl-a0"): [(1.00010, 40001, 59402, 128), (1.00130, 59402, 40001, 128)],
            (c, "rgl-b0"): [(1.00012, 40002, 59402, 128), (1.00135, 59402, 40002, 128)],
            (s, "rgl-a1"): [(1.00011, 40001, 59402, 128), (1.00120, 59402, 40001, 128)],
            (s, "rgl-b1"): [(1.00013, 40002, 59402, 128), (1.00122, 59402, 40002, 128)],
            (s, "lo"): [(1.00031, 45000, 59301, 128), (1.00100, 59301, 45000, 128)],
        }
        result = {hop.split(" (")[0]: [round(d * 1e6) for d in delays] for hop, (delays, _) in
                  b.hops(captures).items()}
        self.assertEqual(result, {"client uplink": [100], "server uplink": [200], "server downlink": [200],
                                  "client downlink": [200]})


class Iperf(unittest.TestCase):
    def test_udp_reverse_reports_the_receiver(self):
        doc = {"end": {"sum": {"bits_per_second": 99e6, "lost_percent": 1.0, "sender": False},
                       "sum_received": {"bits_per_second": 99e6, "lost_percent": 1.0, "sender": False}}}
        self.assertEqual(b.udp_result(doc), (99.0, 1.0))

    def test_udp_without_sum_received_discounts_the_loss_of_a_sender_figure(self):
        doc = {"end": {"sum": {"bits_per_second": 100e6, "lost_percent": 10.0, "sender": True}}}
        self.assertAlmostEqual(b.udp_result(doc)[0], 90.0)

    def test_a_failed_run_is_nan(self):
        self.assertTrue(all(x != x for x in b.udp_result({"error": "unable to connect"})))
        self.assertNotEqual(b.tcp_mbits(None), b.tcp_mbits(None))

    def test_ping(self):
        text = "64 bytes from 10.202.0.1: icmp_seq=1 ttl=64 time=0.912 ms\n64 bytes ... time=1.10 ms\n"
        self.assertEqual(b.ping_rtts(text), [0.912, 1.1])

    def test_relay_rtt_in_ms(self):
        self.assertEqual(b.relay_rtt("rtt_us p50 412 p90 600 p99 1520 answered 1000 of 1000\n"), (0.412, 1.52))

    def test_relay_rtt_absent_or_mostly_unanswered_is_nan(self):
        for text in ("", None, "rtt_us p50 -1 p90 -1 p99 -1 answered 0 of 100",
                     "rtt_us p50 300 p90 400 p99 500 answered 85 of 100"):
            self.assertTrue(all(x != x for x in b.relay_rtt(text)), text)


if __name__ == "__main__":
    unittest.main()
