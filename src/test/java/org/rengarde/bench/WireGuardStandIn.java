package org.rengarde.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stands in for the server's WireGuard for {@link ManyPeers}: one UDP socket on loopback, read by a thread of its
 * own. A new initiation (type 1, by its bytes: copies WireGuard already has are replays, counted and not answered)
 * gets a response (type 2: sender index the client's server index, receiver index the initiation's sender index)
 * sent back to the address it came from, the peer's own relay socket. Transport (type 4) is recorded by its receiver
 * index (the session) and counter: each counter must arrive once, and from a relay socket of that client's (one
 * that brought its handshakes first; a socket that brings another client's datagrams is a crossing). As WireGuard,
 * a session's endpoint roams to where its last datagram came from (two peers of one client merged: the survivor's
 * socket), and {@link #sendTransport} sends there, counters +1 each.
 */
final class WireGuardStandIn implements AutoCloseable {
  static final int SERVER_INDEX_BASE = 0x7000_0000;

  /** One handshake WireGuard answered: who it is for, where it was answered, what came of it. */
  static final class Session {
    final int serverIndex;
    final int clientIndex;
    SocketAddress relaySocket;
    final BitSet counters = new BitSet();
    long nextCounter;
    int received;
    int duplicates;

    Session(int serverIndex, int clientIndex, SocketAddress relaySocket) {
      this.serverIndex = serverIndex;
      this.clientIndex = clientIndex;
      this.relaySocket = relaySocket;
    }
  }

  private final DatagramChannel channel;
  private final Thread reader;
  private final Map<Integer, Session> byServerIndex = new HashMap<>();
  private final Map<Integer, Session> byClientIndex = new HashMap<>();
  private final Set<ByteBuffer> initiationsSeen = new HashSet<>();
  /** The client whose initiation each relay socket brought first. */
  private final Map<SocketAddress, Integer> socketClient = new HashMap<>();
  private int initiations;
  private int replayedInitiations;
  private int transportFromWrongSocket;
  private int unknownTransport;
  private int otherDatagrams;
  private int roams;
  private int socketsOfTwoClients;
  private int nextServerIndex = SERVER_INDEX_BASE;

  WireGuardStandIn() throws IOException {
    channel = DatagramChannel.open();
    channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
    channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    reader = new Thread(this::read, "wireguard-stand-in");
    reader.setDaemon(true);
    reader.start();
  }

  InetSocketAddress address() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  private void read() {
    ByteBuffer in = ByteBuffer.allocateDirect(65_536).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.allocateDirect(92).order(ByteOrder.LITTLE_ENDIAN);
    try {
      while (true) {
        in.clear();
        SocketAddress from = channel.receive(in);
        in.flip();
        int type = in.remaining() >= 4 ? in.get(0) : -1;
        if (type == 1 && in.remaining() == 148) {
          initiation(in, from, out);
        } else if (type == 4 && in.remaining() >= 32) {
          transport(in, from);
        } else {
          synchronized (this) {
            otherDatagrams++;
          }
        }
      }
    } catch (ClosedChannelException closed) {
      // close() ends the thread
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void initiation(ByteBuffer in, SocketAddress from, ByteBuffer out) throws IOException {
    int clientIndex = in.getInt(4);
    Session s;
    synchronized (this) {
      initiations++;
      Integer owner = socketClient.putIfAbsent(from, clientIndex);
      if (owner != null && owner != clientIndex) {
        socketsOfTwoClients++;
      }
      ByteBuffer copy = ByteBuffer.allocate(148).put(in.duplicate()).flip();
      if (!initiationsSeen.add(copy)) {
        replayedInitiations++;
        return;
      }
      s = byClientIndex.get(clientIndex);
      if (s != null && !s.relaySocket.equals(from)) {
        roams++;
        s.relaySocket = from;
      }
      if (s == null) {
        s = new Session(nextServerIndex++, clientIndex, from);
        byServerIndex.put(s.serverIndex, s);
        byClientIndex.put(clientIndex, s);
      }
    }
    out.clear();
    byte[] noise = new byte[92 - 12];
    ThreadLocalRandom.current().nextBytes(noise);
    out.putInt(2).putInt(s.serverIndex).putInt(clientIndex).put(noise).flip();
    channel.send(out, from);
  }

  private synchronized void transport(ByteBuffer in, SocketAddress from) {
    Session s = byServerIndex.get(in.getInt(4));
    if (s == null) {
      unknownTransport++;
      return;
    }
    Integer owner = socketClient.get(from);
    if (owner == null || owner != s.clientIndex) {
      transportFromWrongSocket++;
    } else if (!s.relaySocket.equals(from)) {
      roams++;
      s.relaySocket = from;
    }
    int counter = (int) in.getLong(8);
    if (s.counters.get(counter)) {
      s.duplicates++;
    } else {
      s.counters.set(counter);
      s.received++;
    }
  }

  /** One transport datagram of {@code length} bytes to every session's relay socket; returns how many were sent. */
  int sendTransport(int length) throws IOException {
    List<Session> all;
    synchronized (this) {
      all = new ArrayList<>(byServerIndex.values());
    }
    ByteBuffer out = ByteBuffer.allocateDirect(length).order(ByteOrder.LITTLE_ENDIAN);
    byte[] noise = new byte[length - 16];
    ThreadLocalRandom.current().nextBytes(noise);
    int sent = 0;
    for (Session s : all) {
      out.clear();
      out.putInt(4).putInt(s.clientIndex).putLong(s.nextCounter++).put(noise).flip();
      sent += channel.send(out, s.relaySocket) > 0 ? 1 : 0;
    }
    return sent;
  }

  synchronized int sessions() {
    return byServerIndex.size();
  }

  /** Transport datagrams received once each, over all sessions. */
  synchronized long transportReceived() {
    long n = 0;
    for (Session s : byServerIndex.values()) {
      n += s.received;
    }
    return n;
  }

  synchronized long transportDuplicates() {
    long n = 0;
    for (Session s : byServerIndex.values()) {
      n += s.duplicates;
    }
    return n;
  }

  /** Counters below {@code upTo} (WireGuard's start at 0) that some session never received. */
  synchronized long transportMissing(int upTo) {
    long n = 0;
    for (Session s : byServerIndex.values()) {
      n += upTo - s.counters.get(0, upTo).cardinality();
    }
    return n;
  }

  /** The server index WireGuard gave the client of {@code clientIndex}, or 0. */
  synchronized int serverIndexOf(int clientIndex) {
    Session s = byClientIndex.get(clientIndex);
    return s == null ? 0 : s.serverIndex;
  }

  synchronized int initiations() {
    return initiations;
  }

  synchronized int replayedInitiations() {
    return replayedInitiations;
  }

  synchronized int transportFromWrongSocket() {
    return transportFromWrongSocket;
  }

  synchronized int unknownTransport() {
    return unknownTransport;
  }

  synchronized int otherDatagrams() {
    return otherDatagrams;
  }

  /** Relay sockets that brought handshakes: one per peer, more where a client's links first made two. */
  synchronized int relaySockets() {
    return socketClient.size();
  }

  /** Sessions whose endpoint moved to another of their client's relay sockets. */
  synchronized int roams() {
    return roams;
  }

  /** Relay sockets that brought the handshakes of two clients: one peer socket shared, never right. */
  synchronized int socketsOfTwoClients() {
    return socketsOfTwoClients;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
