package org.rengarde.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server's WireGuard where the relay can tell: a plain UDP socket on loopback that authenticates only datagrams
 * a client really made (the test registers them with {@link #genuine}, standing in for the keys both ends share),
 * drops everything else silently, drops a second copy of a datagram (its replay protection), answers a genuine
 * initiation with a response of its own index sent back to the address it came from, and keeps one endpoint per
 * session that roams to the source of the last authenticated datagram. It sends only when told to
 * ({@link #sendTransport}, {@link #initiate}), always to the session's endpoint. Driven by the test's thread:
 * datagrams are read, and answered, in {@link #receive}.
 */
public final class FakeWireGuard implements AutoCloseable {
  /** One datagram that reached WireGuard, whether it authenticated it or not. */
  public record Arrival(InetSocketAddress from, byte[] bytes) {
    public int type() {
      return WireGuardMessages.type(bytes);
    }
  }

  /** One client's session: its index and WireGuard's, and where WireGuard sends. */
  public static final class Session {
    private int clientIndex;
    private int ownIndex;
    private InetSocketAddress endpoint;
    private long counter;

    private Session(int clientIndex, int ownIndex, InetSocketAddress endpoint) {
      this.clientIndex = clientIndex;
      this.ownIndex = ownIndex;
      this.endpoint = endpoint;
    }

    public int clientIndex() {
      return clientIndex;
    }

    public int ownIndex() {
      return ownIndex;
    }

    public InetSocketAddress endpoint() {
      return endpoint;
    }
  }

  private final UdpPeer socket;
  private final Set<ByteBuffer> genuine = new HashSet<>();
  private final Set<ByteBuffer> consumed = new HashSet<>();
  private final Map<Integer, Session> byClientIndex = new HashMap<>();
  private final Map<Integer, Session> byOwnIndex = new HashMap<>();
  /** WireGuard's own initiations waiting for the client's response, by their sender index. */
  private final Map<Integer, Session> initiated = new HashMap<>();
  private int nextIndex = 0x5000_0001;

  public FakeWireGuard() throws IOException {
    this(java.net.InetAddress.getLoopbackAddress());
  }

  /** Listening on {@code address} ({@code ::1}, say). */
  public FakeWireGuard(java.net.InetAddress address) throws IOException {
    socket = new UdpPeer(address);
  }

  public int port() {
    return socket.port();
  }

  /** The client's WireGuard made these bytes: this one will authenticate them (once). */
  public void genuine(byte[] datagram) {
    genuine.add(ByteBuffer.wrap(datagram.clone()));
  }

  /** Reads and handles every datagram that arrives until none has for {@code quietMillis}; returns them. */
  public List<Arrival> receive(int quietMillis) throws IOException {
    return receive(0, quietMillis);
  }

  /**
   * Reads and handles datagrams: the first {@code expected} however slowly ({@link UdpPeer#WAIT_MILLIS} each),
   * then any more until none has for {@code quietMillis}; returns them.
   */
  public List<Arrival> receive(int expected, int quietMillis) throws IOException {
    List<Arrival> out = new ArrayList<>();
    for (UdpPeer.Received r = socket.receiveDatagram(expected > 0 ? UdpPeer.WAIT_MILLIS : quietMillis); r != null;
         r = socket.receiveDatagram(out.size() < expected ? UdpPeer.WAIT_MILLIS : quietMillis)) {
      Arrival a = new Arrival(r.from(), r.bytes());
      out.add(a);
      handle(a);
    }
    return out;
  }

  private void handle(Arrival a) throws IOException {
    ByteBuffer key = ByteBuffer.wrap(a.bytes());
    if (!genuine.contains(key) || !consumed.add(key)) {
      return;
    }
    switch (a.type()) {
      case 1 -> {
        int clientIndex = WireGuardMessages.senderIndex(a.bytes());
        Session s = new Session(clientIndex, nextIndex++, a.from());
        byClientIndex.put(clientIndex, s);
        byOwnIndex.put(s.ownIndex, s);
        socket.send(WireGuardMessages.response(s.ownIndex, clientIndex), a.from());
      }
      case 2 -> {
        Session s = initiated.remove(WireGuardMessages.receiverIndex(a.bytes()));
        if (s != null) {
          byClientIndex.remove(s.clientIndex);
          s.clientIndex = WireGuardMessages.senderIndex(a.bytes());
          s.counter = 0;
          byClientIndex.put(s.clientIndex, s);
          s.endpoint = a.from();
        }
      }
      case 4 -> {
        Session s = byOwnIndex.get(WireGuardMessages.receiverIndex(a.bytes()));
        if (s != null) {
          s.endpoint = a.from();
        }
      }
      default -> {
      }
    }
  }

  /** The session a genuine initiation with this sender index opened, or null. */
  public Session session(int clientIndex) {
    return byClientIndex.get(clientIndex);
  }

  /** Sends a transport message of the session's next counter to its endpoint; returns it. */
  public byte[] sendTransport(Session s, int length) throws IOException {
    byte[] datagram = WireGuardMessages.transport(length, s.clientIndex, s.counter++);
    socket.send(datagram, s.endpoint);
    return datagram;
  }

  /** Sends any bytes from WireGuard's socket (engarde's relay carries any UDP). */
  public void send(byte[] datagram, InetSocketAddress to) throws IOException {
    socket.send(datagram, to);
  }

  /**
   * Starts a handshake itself, as WireGuard does when it has data for a peer whose keys expired: an initiation with
   * a new index of its own, to the endpoint; the client's genuine response to it makes the new key current.
   */
  public byte[] initiate(Session s) throws IOException {
    int index = nextIndex++;
    s.ownIndex = index;
    byOwnIndex.put(index, s);
    initiated.put(index, s);
    byte[] datagram = WireGuardMessages.initiation(index);
    socket.send(datagram, s.endpoint);
    return datagram;
  }

  @Override
  public void close() {
    socket.close();
  }
}
