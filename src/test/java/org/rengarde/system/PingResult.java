package org.rengarde.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code ping -D} printed: which sequence numbers came back, and when. */
final class PingResult {
  private static final Pattern REPLY = Pattern.compile("^\\[(\\d+\\.\\d+)\\] .*icmp_seq=(\\d+) .*time=([0-9.]+) ms");
  private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

  final int sent;
  /** Reply time (epoch seconds) by sequence number; duplicates counted apart. */
  final TreeMap<Integer, Double> replies = new TreeMap<>();
  final List<Double> rttMillis = new ArrayList<>();
  int duplicates;

  private PingResult(int sent) {
    this.sent = sent;
  }

  static PingResult parse(String output) {
    Matcher s = SUMMARY.matcher(output);
    if (!s.find()) {
      throw new AssertionError("no ping summary in:\n" + output);
    }
    PingResult r = new PingResult(Integer.parseInt(s.group(1)));
    for (String line : output.split("\n")) {
      Matcher m = REPLY.matcher(line);
      if (m.find()) {
        int seq = Integer.parseInt(m.group(2));
        if (r.replies.putIfAbsent(seq, Double.parseDouble(m.group(1))) != null) {
          r.duplicates++;
        } else {
          r.rttMillis.add(Double.parseDouble(m.group(3)));
        }
      }
    }
    return r;
  }

  /** The sequence numbers sent that never came back (ping counts from 1), as a list. */
  List<Integer> missing() {
    List<Integer> out = new ArrayList<>();
    for (int seq = 1; seq <= sent; seq++) {
      if (!replies.containsKey(seq)) {
        out.add(seq);
      }
    }
    return out;
  }

  int received() {
    return replies.size();
  }

  int lost() {
    return sent - received();
  }

  double lossPercent() {
    return 100.0 * lost() / sent;
  }

  /** The longest time between two consecutive replies, in milliseconds. */
  double longestGapMillis() {
    double longest = 0;
    Double previous = null;
    for (double t : new TreeMap<>(invert()).keySet()) {
      if (previous != null) {
        longest = Math.max(longest, (t - previous) * 1000);
      }
      previous = t;
    }
    return longest;
  }

  /** The first reply received at or after {@code epochSeconds}, or NaN. */
  double firstReplyAfter(double epochSeconds) {
    double first = Double.NaN;
    for (double t : replies.values()) {
      if (t >= epochSeconds && (Double.isNaN(first) || t < first)) {
        first = t;
      }
    }
    return first;
  }

  private TreeMap<Double, Integer> invert() {
    TreeMap<Double, Integer> byTime = new TreeMap<>();
    replies.forEach((seq, t) -> byTime.put(t, seq));
    return byTime;
  }

  String figures() {
    return String.format(Locale.ROOT, "sent %d, received %d, loss %.2f%%, longest gap %.0f ms, duplicates %d",
        sent, received(), lossPercent(), longestGapMillis(), duplicates);
  }
}
