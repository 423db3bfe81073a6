package org.rengarde.system;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * A plain UDP sender and receiver of numbered datagrams (not WireGuard: an RTP-like stream), run inside the lab's
 * namespaces by the system tests.
 * <pre>
 *   UdpTool send HOST PORT COUNT PER_SECOND SIZE
 *   UdpTool receive PORT SECONDS      prints "received N distinct D duplicates X" (ours only)
 *   UdpTool blast HOST PORT SECONDS SIZE   numbered datagrams as fast as one thread can send them
 *   UdpTool count PORT SECONDS        prints "counted N per-second R" (ours only; from the first one received)
 *   UdpTool echo PORT SECONDS         sends every datagram back to where it came from
 *   UdpTool ping HOST PORT COUNT PER_SECOND SIZE   numbered datagrams, each waited for (1 s) as it comes back,
 *                                     given up after 3 unanswered in a row;
 *                                     prints "rtt_us p50 A p90 B p99 C answered N of M"
 * </pre>
 */
public final class UdpTool {

  /** First four bytes of our datagrams; anything else arriving (WireGuard's own) is not counted. */
  private static final int MARK = 0x80E1_0000;

  private UdpTool() {
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("blast")) {
      blast(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
      return;
    }
    if (args[0].equals("count")) {
      count(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      return;
    }
    if (args[0].equals("echo")) {
      echo(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      return;
    }
    if (args[0].equals("ping")) {
      ping(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          Integer.parseInt(args[5]));
      return;
    }
    if (args[0].equals("send")) {
      send(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          Integer.parseInt(args[5]));
    } else {
      receive(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    }
  }

  private static void send(String host, int port, int count, int perSecond, int size) throws Exception {
    InetSocketAddress to = new InetSocketAddress(host, port);
    long interval = 1_000_000_000L / perSecond;
    long start = System.nanoTime();
    try (DatagramSocket socket = new DatagramSocket()) {
      byte[] data = new byte[size];
      for (int i = 0; i < count; i++) {
        ByteBuffer.wrap(data).putInt(MARK).putInt(i);
        socket.send(new DatagramPacket(data, data.length, to));
        long due = start + (i + 1) * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    }
    System.out.println("sent " + count);
  }

  private static void blast(String host, int port, int seconds, int size) throws Exception {
    InetSocketAddress to = new InetSocketAddress(host, port);
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long sent = 0;
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSendBufferSize(4 << 20);
      byte[] data = new byte[size];
      DatagramPacket packet = new DatagramPacket(data, data.length, to);
      while (System.nanoTime() < end) {
        for (int i = 0; i < 64; i++) {
          ByteBuffer.wrap(data).putInt(MARK).putInt((int) sent++);
          socket.send(packet);
        }
      }
    }
    System.out.println("sent " + sent + " per-second " + sent / seconds);
  }

  private static void count(int port, int seconds) throws Exception {
    long counted = 0;
    long first = 0;
    long last = 0;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    try (DatagramSocket socket = new DatagramSocket(port)) {
      socket.setReceiveBufferSize(4 << 20);
      byte[] buf = new byte[65_536];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      socket.setSoTimeout(200);
      while (System.nanoTime() < end) {
        try {
          socket.receive(p);
        } catch (SocketTimeoutException e) {
          continue;
        }
        if (p.getLength() < 8 || ByteBuffer.wrap(buf, 0, 4).getInt() != MARK) {
          continue;
        }
        last = System.nanoTime();
        if (counted++ == 0) {
          first = last;
        }
      }
    }
    double span = Math.max(1e-9, (last - first) / 1e9);
    System.out.println("counted " + counted + " per-second " + Math.round(counted / span));
  }

  private static void receive(int port, int seconds) throws Exception {
    BitSet seen = new BitSet();
    long received = 0;
    long duplicates = 0;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    try (DatagramSocket socket = new DatagramSocket(port)) {
      byte[] buf = new byte[65_536];
      while (System.nanoTime() < end) {
        socket.setSoTimeout(200);
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
        } catch (SocketTimeoutException e) {
          continue;
        }
        if (p.getLength() < 8 || ByteBuffer.wrap(buf, 0, 4).getInt() != MARK) {
          continue;
        }
        received++;
        int n = ByteBuffer.wrap(buf, 4, 4).getInt();
        if (seen.get(n)) {
          duplicates++;
        } else {
          seen.set(n);
        }
      }
    }
    System.out.println("received " + received + " distinct " + seen.cardinality() + " duplicates " + duplicates);
  }

  private static void echo(int port, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    try (DatagramSocket socket = new DatagramSocket(port)) {
      byte[] buf = new byte[65_536];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      socket.setSoTimeout(200);
      while (System.nanoTime() < end) {
        p.setLength(buf.length);
        try {
          socket.receive(p);
        } catch (SocketTimeoutException e) {
          continue;
        }
        socket.send(p);
      }
    }
  }

  /** One datagram at a time through the relay and back: the round trip without WireGuard, in microseconds. */
  private static void ping(String host, int port, int count, int perSecond, int size) throws Exception {
    InetSocketAddress to = new InetSocketAddress(host, port);
    long interval = 1_000_000_000L / perSecond;
    long[] rtt = new long[count];
    int answered = 0;
    int missedInARow = 0;
    // a run of its own in every datagram: a relay that remembers what it forwarded must not take this run's
    // datagrams for copies of an earlier run's
    long run = new java.util.Random().nextLong();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(1000);
      byte[] data = new byte[Math.max(16, size)];
      byte[] buf = new byte[65_536];
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        ByteBuffer.wrap(data).putInt(MARK).putInt(i).putLong(run);
        long sent = System.nanoTime();
        socket.send(new DatagramPacket(data, data.length, to));
        long deadline = sent + 1_000_000_000L;
        boolean back = false;
        while (System.nanoTime() < deadline) {
          in.setLength(buf.length);
          try {
            socket.receive(in);
          } catch (SocketTimeoutException e) {
            break;
          }
          ByteBuffer got = ByteBuffer.wrap(buf, 0, in.getLength());
          if (in.getLength() >= 16 && got.getInt(0) == MARK && got.getInt(4) == i && got.getLong(8) == run) {
            rtt[answered++] = (System.nanoTime() - sent) / 1000;
            back = true;
            break;
          }
        }
        missedInARow = back ? 0 : missedInARow + 1;
        if (missedInARow == 3) {
          count = i + 1; // the relay does not answer: stop waiting a second for each of the rest
          break;
        }
        long wait = start + (i + 1) * interval - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    }
    long[] got = java.util.Arrays.copyOf(rtt, answered);
    java.util.Arrays.sort(got);
    System.out.println("rtt_us p50 " + at(got, 0.5) + " p90 " + at(got, 0.9) + " p99 " + at(got, 0.99)
        + " answered " + answered + " of " + count);
  }

  private static long at(long[] sorted, double q) {
    return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
  }
}
