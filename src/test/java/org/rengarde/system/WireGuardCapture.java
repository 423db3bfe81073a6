package org.rengarde.system;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What one client host's links carried, read from tcpdump's pcap files: the session indices its own WireGuard
 * chose (sender index of the handshake messages it sent), and the transport and handshake datagrams the relay sent
 * it that name another peer's index: with a relay that tells peers apart, there are none.
 */
final class WireGuardCapture {
  final Set<Integer> own = new HashSet<>();
  long transportIn;
  long foreignTransportIn;
  long responsesIn;
  long foreignResponsesIn;

  /** Reads every file; datagrams from {@code relayPort} are the relay's, the others the client's. */
  static WireGuardCapture read(int relayPort, Iterable<Path> files) throws IOException {
    WireGuardCapture c = new WireGuardCapture();
    java.util.List<int[]> incoming = new java.util.ArrayList<>();
    for (Path f : files) {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f));
      if (b.remaining() < 24) {
        continue;
      }
      b.order(b.getInt(0) == 0xA1B2C3D4 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      b.position(24);
      while (b.remaining() >= 16) {
        b.getInt();
        b.getInt();
        int captured = b.getInt();
        b.getInt();
        if (captured > b.remaining()) {
          break;
        }
        int start = b.position();
        c.packet(b.duplicate().order(ByteOrder.BIG_ENDIAN), start, captured, relayPort, incoming);
        b.position(start + captured);
      }
    }
    for (int[] in : incoming) {
      boolean foreign = !c.own.contains(in[1]);
      if (in[0] == 4) {
        c.transportIn++;
        c.foreignTransportIn += foreign ? 1 : 0;
      } else {
        c.responsesIn++;
        c.foreignResponsesIn += foreign ? 1 : 0;
      }
    }
    return c;
  }

  /** Ethernet, IPv4, UDP (network order), then the WireGuard message's first 12 bytes (little-endian fields). */
  private void packet(ByteBuffer b, int at, int length, int relayPort, java.util.List<int[]> incoming) {
    if (length < 14 + 20 + 8 + 12 || (b.getShort(at + 12) & 0xFFFF) != 0x0800) {
      return;
    }
    int ip = at + 14;
    int ihl = (b.get(ip) & 0x0F) * 4;
    int udp = ip + ihl;
    int sport = b.getShort(udp) & 0xFFFF;
    int payload = udp + 8;
    if (payload + 12 > at + length) {
      return;
    }
    int type = b.get(payload) & 0xFF;
    int senderOrReceiver = Integer.reverseBytes(b.getInt(payload + 4));
    int receiverOfResponse = Integer.reverseBytes(b.getInt(payload + 8));
    if (sport != relayPort) {
      if (type == 1 || type == 2) {
        own.add(senderOrReceiver);
      }
    } else if (type == 4) {
      incoming.add(new int[] {4, senderOrReceiver});
    } else if (type == 2) {
      incoming.add(new int[] {2, receiverOfResponse});
    }
  }

  String figures() {
    return "own indices " + own.size() + ", transport in " + transportIn + " (another peer's: " + foreignTransportIn
        + "), handshake responses in " + responsesIn + " (another peer's: " + foreignResponsesIn + ")";
  }
}
