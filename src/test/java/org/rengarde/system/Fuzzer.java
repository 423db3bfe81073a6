package org.rengarde.system;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * A datagram fuzzer for the system tests, run inside the lab: from {@code PORTS} source ports it sends {@code COUNT}
 * datagrams to {@code HOST:PORT}, about 2,000 a second, of every size from 0 to 65,507 bytes, random or shaped like WireGuard's four
 * messages (right type, zero reserved bytes, right length, random indices and counters), some truncated or padded.
 * <pre>
 *   Fuzzer HOST PORT COUNT PORTS SEED
 * </pre>
 * Prints "fuzzer sent N".
 */
public final class Fuzzer {
  private static final int[] WIREGUARD_LENGTHS = {148, 92, 64};

  private Fuzzer() {
  }

  public static void main(String[] args) throws Exception {
    InetSocketAddress to = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    int count = Integer.parseInt(args[2]);
    int ports = Integer.parseInt(args[3]);
    Random random = new Random(Long.parseLong(args[4]));
    DatagramSocket[] sockets = new DatagramSocket[ports];
    for (int i = 0; i < ports; i++) {
      sockets[i] = new DatagramSocket();
    }
    long sent = 0;
    try {
      for (int i = 0; i < count; i++) {
        byte[] b = datagram(random);
        try {
          sockets[random.nextInt(ports)].send(new DatagramPacket(b, b.length, to));
          sent++;
        } catch (java.io.IOException refused) {
          // ICMP port unreachable from an earlier datagram, or a full buffer: the next one goes on
        }
        if (i % 2 == 0) {
          // about 2,000 a second: odd inputs, not a flood (the flood tests are elsewhere); 64 KiB datagrams are
          // cut into 45 fragments each on the veth links, and a faster fuzzer takes the two cores from everything
          Thread.sleep(1);
        }
      }
    } finally {
      for (DatagramSocket s : sockets) {
        s.close();
      }
    }
    System.out.println("fuzzer sent " + sent);
  }

  private static byte[] datagram(Random random) {
    int kind = random.nextInt(10);
    int length = switch (kind) {
      case 0 -> 0;
      case 1 -> random.nextInt(8);
      case 2 -> 65_507;
      case 3 -> random.nextInt(65_508);
      case 4, 5, 6 -> WIREGUARD_LENGTHS[random.nextInt(3)] + (random.nextInt(4) == 0 ? random.nextInt(9) - 4 : 0);
      default -> 32 + random.nextInt(1_500);
    };
    byte[] b = new byte[Math.max(0, length)];
    random.nextBytes(b);
    if (kind >= 4 && b.length >= 16) {
      ByteBuffer w = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      int type = kind == 4 || kind == 5 || kind == 6 ? typeFor(b.length) : 4;
      w.putInt(0, type);
      if (random.nextBoolean()) {
        w.putInt(4, random.nextInt(16));
        w.putLong(8, random.nextInt(1_000));
      }
    }
    return b;
  }

  private static int typeFor(int length) {
    return switch (length) {
      case 148 -> 1;
      case 92 -> 2;
      case 64 -> 3;
      default -> 1 + Math.floorMod(length, 4);
    };
  }
}
