package org.rengarde.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * The clients of {@link ManyPeers}: client {@code c} has 2 or 3 links (plain UDP sockets on 127.10.0.1, .2, .3,
 * each its own port, as a client's links have their own addresses) and sends byte-identical copies of each of its
 * datagrams on all of them, as a rengarde or engarde client does. One thread reads every link through a selector
 * and checks what arrives: a response or transport must name this client's own index (its receiver index), else
 * it is counted as delivered across peers.
 */
final class ClientFleet implements AutoCloseable {
  static final int CLIENT_INDEX_BASE = 0x1000_0000;

  private final int clients;
  private final int[] firstLink;
  private final int[] linkClient;
  private final DatagramChannel[] links;
  private final Selector selector;
  private final Thread reader;
  private final InetSocketAddress relay;
  private final IntConsumer firstResponse;
  private final AtomicIntegerArray answered;
  private final AtomicIntegerArray responses;
  private final AtomicIntegerArray transport;
  private final AtomicIntegerArray foreign;
  private final AtomicIntegerArray other;
  private final ByteBuffer out = ByteBuffer.allocateDirect(65_536).order(ByteOrder.LITTLE_ENDIAN);
  private long sendsRefused;

  /** {@code firstResponse} is called (on the reader thread) with the client whose first response arrived. */
  ClientFleet(int clients, InetSocketAddress relay, IntConsumer firstResponse) throws IOException {
    this.clients = clients;
    this.relay = relay;
    this.firstResponse = firstResponse;
    firstLink = new int[clients + 1];
    for (int c = 0; c < clients; c++) {
      firstLink[c + 1] = firstLink[c] + linksOf(c);
    }
    int total = firstLink[clients];
    links = new DatagramChannel[total];
    linkClient = new int[total];
    selector = Selector.open();
    for (int c = 0; c < clients; c++) {
      for (int id = firstLink[c], l = 0; id < firstLink[c + 1]; id++, l++) {
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 256 << 10);
        ch.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 10, 0, (byte) (l + 1)}), 0));
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ, id);
        links[id] = ch;
        linkClient[id] = c;
      }
    }
    answered = new AtomicIntegerArray(clients);
    responses = new AtomicIntegerArray(total);
    transport = new AtomicIntegerArray(total);
    foreign = new AtomicIntegerArray(total);
    other = new AtomicIntegerArray(total);
    reader = new Thread(this::read, "client-fleet");
    reader.setDaemon(true);
    reader.start();
  }

  /** Two or three links, alternately: 2.5 on average. */
  static int linksOf(int client) {
    return client % 2 == 0 ? 3 : 2;
  }

  static int indexOf(int client) {
    return CLIENT_INDEX_BASE + client;
  }

  int links() {
    return links.length;
  }

  int linksOfClient(int c) {
    return firstLink[c + 1] - firstLink[c];
  }

  private void read() {
    ByteBuffer in = ByteBuffer.allocateDirect(65_536).order(ByteOrder.LITTLE_ENDIAN);
    try {
      while (selector.isOpen()) {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          int id = (Integer) key.attachment();
          DatagramChannel ch = (DatagramChannel) key.channel();
          while (true) {
            in.clear();
            if (ch.receive(in) == null) {
              break;
            }
            in.flip();
            arrived(id, in);
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (ClosedSelectorException | IOException closed) {
      // close() ends the thread
    }
  }

  private void arrived(int link, ByteBuffer in) {
    int c = linkClient[link];
    int type = in.remaining() >= 12 ? in.get(0) : -1;
    int receiver = type == 2 ? in.getInt(8) : type == 4 ? in.getInt(4) : 0;
    if (type != 2 && type != 4) {
      other.incrementAndGet(link);
    } else if (receiver != indexOf(c)) {
      foreign.incrementAndGet(link);
    } else if (type == 2) {
      responses.incrementAndGet(link);
      if (answered.compareAndSet(c, 0, 1)) {
        firstResponse.accept(c);
      }
    } else {
      transport.incrementAndGet(link);
    }
  }

  /** A new initiation of client {@code c} (fresh bytes, its own index), the same bytes on every link. */
  void sendInitiation(int c) throws IOException {
    byte[] noise = new byte[148 - 8];
    ThreadLocalRandom.current().nextBytes(noise);
    out.clear();
    out.putInt(1).putInt(indexOf(c)).put(noise).flip();
    sendOnEveryLink(c);
  }

  /** Transport to WireGuard's {@code serverIndex}, the same bytes on every link. */
  void sendTransport(int c, int serverIndex, long counter, int length) throws IOException {
    out.clear();
    out.putInt(4).putInt(serverIndex).putLong(counter);
    while (out.position() < length) {
      out.put((byte) ThreadLocalRandom.current().nextInt());
    }
    out.flip();
    sendOnEveryLink(c);
  }

  private void sendOnEveryLink(int c) throws IOException {
    for (int id = firstLink[c]; id < firstLink[c + 1]; id++) {
      out.rewind();
      if (links[id].send(out, relay) == 0) {
        sendsRefused++;
      }
    }
  }

  boolean answered(int c) {
    return answered.get(c) != 0;
  }

  int answeredClients() {
    int n = 0;
    for (int c = 0; c < clients; c++) {
      n += answered.get(c);
    }
    return n;
  }

  long responses() {
    return sum(responses);
  }

  long transportReceived() {
    return sum(transport);
  }

  /** Links of the clients {@code counted} that received fewer than {@code expected} transport datagrams. */
  int linksShortOfTransport(int expected, IntPredicate counted) {
    int n = 0;
    for (int i = 0; i < transport.length(); i++) {
      n += counted.test(linkClient[i]) && transport.get(i) < expected ? 1 : 0;
    }
    return n;
  }

  /** Responses and transport naming another client's index: delivered to the wrong peer. */
  long crossDelivered() {
    return sum(foreign);
  }

  long otherDatagrams() {
    return sum(other);
  }

  long sendsRefused() {
    return sendsRefused;
  }

  private static long sum(AtomicIntegerArray a) {
    long n = 0;
    for (int i = 0; i < a.length(); i++) {
      n += a.get(i);
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    selector.close();
    for (DatagramChannel ch : links) {
      ch.close();
    }
  }
}
