package org.rengarde.system;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * A stranger on one of a client's links, run inside the lab by the system tests: from a port of its own on the
 * link's address, it sends the server WireGuard-shaped datagrams (initiations, responses, cookie replies, transport
 * messages naming random indices), junk, and echoes every index it learns from what it receives. It prints what it
 * received: a relay that keeps strangers out sends it nothing but answers to its own messages (at most the
 * handshake responses WireGuard itself would send anyone who knows its public key: here none, as it does not).
 * <pre>
 *   Stranger LOCAL_IP SERVER_IP PORT SECONDS PER_SECOND [initiations]
 * </pre>
 * With {@code initiations}, only junk handshake initiations (148 bytes, type 1, random otherwise).
 * Prints "stranger sent N received M transport T".
 */
public final class Stranger {

  private Stranger() {
  }

  public static void main(String[] args) throws Exception {
    InetSocketAddress server = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
    long seconds = Long.parseLong(args[3]);
    int perSecond = Integer.parseInt(args[4]);
    Random random = new Random(42);
    long sent = 0;
    long received = 0;
    long transport = 0;
    int learned = random.nextInt();
    boolean onlyInitiations = args.length > 5 && args[5].equals("initiations");
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(args[0], 0))) {
      socket.setSoTimeout(1);
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long interval = 1_000_000_000L / perSecond;
      long next = System.nanoTime();
      byte[] in = new byte[65_536];
      while (System.nanoTime() < end) {
        byte[] out = onlyInitiations ? initiation(random) : message(random, learned);
        socket.send(new DatagramPacket(out, out.length, server));
        sent++;
        next += interval;
        while (System.nanoTime() < next) {
          DatagramPacket p = new DatagramPacket(in, in.length);
          try {
            socket.receive(p);
          } catch (SocketTimeoutException none) {
            continue;
          }
          received++;
          ByteBuffer got = ByteBuffer.wrap(in, 0, p.getLength()).order(ByteOrder.LITTLE_ENDIAN);
          if (p.getLength() >= 8) {
            learned = got.getInt(4);
            transport += in[0] == 4 ? 1 : 0;
          }
        }
      }
    }
    System.out.println("stranger sent " + sent + " received " + received + " transport " + transport);
  }

  private static byte[] initiation(Random random) {
    byte[] b = new byte[148];
    random.nextBytes(b);
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1);
    return b;
  }

  private static byte[] message(Random random, int learned) {
    int kind = random.nextInt(6);
    int length = switch (kind) {
      case 0 -> 148;
      case 1 -> 92;
      case 2 -> 64;
      case 3, 4 -> 32 + random.nextInt(1400);
      default -> 1 + random.nextInt(200);
    };
    byte[] b = new byte[length];
    random.nextBytes(b);
    if (kind < 5) {
      ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      w.putInt(0, kind == 3 || kind == 4 ? 4 : kind + 1);
      int index = kind == 4 ? learned : random.nextInt();
      w.putInt(kind == 1 ? 8 : 4, index);
    }
    return b;
  }
}
