package org.rengarde.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the server relay as the relay sees one: its WireGuard session (its own index, and WireGuard's once
 * the handshake is done) and one {@link UdpPeer} per link, every link sending a byte-identical copy of every
 * datagram, as rengarde's and engarde's clients do. What it makes is registered with the {@link FakeWireGuard} as
 * genuine (only this client holds the keys).
 */
public final class WireGuardClient implements AutoCloseable {
  private final FakeWireGuard wireGuard;
  /** Where each link sends: the relay, by one of its addresses. */
  private final List<InetSocketAddress> relays = new ArrayList<>();
  private final List<UdpPeer> links = new ArrayList<>();
  private final int index;
  private int serverIndex;
  private long counter;

  public WireGuardClient(FakeWireGuard wireGuard, InetSocketAddress relay, int index, int links) throws IOException {
    this.wireGuard = wireGuard;
    this.index = index;
    for (int i = 0; i < links; i++) {
      this.links.add(new UdpPeer());
      this.relays.add(relay);
    }
  }

  /** A client whose links are the given sockets, each sending to the relay address beside it. */
  public WireGuardClient(FakeWireGuard wireGuard, int index, List<UdpPeer> links, List<InetSocketAddress> relays) {
    this.wireGuard = wireGuard;
    this.index = index;
    this.links.addAll(links);
    this.relays.addAll(relays);
  }

  /** This client's index: WireGuard's transport to it names it. */
  public int index() {
    return index;
  }

  /** WireGuard's index for this session, which the client's transport names. */
  public int serverIndex() {
    return serverIndex;
  }

  public void serverIndex(int serverIndex) {
    this.serverIndex = serverIndex;
    this.counter = 0;
  }

  public List<UdpPeer> links() {
    return links;
  }

  public UdpPeer link(int i) {
    return links.get(i);
  }

  /** The link addresses, "ip:port" as the relay prints them ("[ip]:port" for IPv6). */
  public List<String> addresses() {
    return links.stream().map(l -> org.rengarde.config.HostPort.format(l.address())).toList();
  }

  /** A genuine initiation with this client's index, sent from every link; returns it. */
  public byte[] initiate() throws IOException {
    return sendGenuine(WireGuardMessages.initiation(index));
  }

  /** A genuine response to WireGuard's initiation {@code initiation}, with a new index of the client's own. */
  public byte[] respond(byte[] initiation, int newIndex) throws IOException {
    serverIndex(WireGuardMessages.senderIndex(initiation));
    return sendGenuine(WireGuardMessages.response(newIndex, serverIndex));
  }

  /** A genuine transport message of the next counter, naming WireGuard's index, sent from every link. */
  public byte[] transport(int length) throws IOException {
    return sendGenuine(WireGuardMessages.transport(length, serverIndex, counter++));
  }

  /** The next transport message, registered as genuine but not sent: the test decides who sends it. */
  public byte[] nextTransport(int length) {
    byte[] datagram = WireGuardMessages.transport(length, serverIndex, counter++);
    wireGuard.genuine(datagram);
    return datagram;
  }

  /** Skips a counter, as when the client's side dropped a datagram before its links. */
  public void skipCounter() {
    counter++;
  }

  private byte[] sendGenuine(byte[] datagram) throws IOException {
    wireGuard.genuine(datagram);
    sendAll(datagram);
    return datagram;
  }

  /** The same bytes from every link, in link order. */
  public void sendAll(byte[] datagram) throws IOException {
    for (int i = 0; i < links.size(); i++) {
      links.get(i).send(datagram, relays.get(i));
    }
  }

  public void sendFrom(int link, byte[] datagram) throws IOException {
    links.get(link).send(datagram, relays.get(link));
  }

  /** The link is re-created (its interface came back): a new socket, so a new port, in its place. */
  public UdpPeer replaceLink(int i) throws IOException {
    java.net.InetAddress on = links.get(i).address().getAddress();
    links.get(i).close();
    UdpPeer fresh = new UdpPeer(on);
    links.set(i, fresh);
    return fresh;
  }

  @Override
  public void close() {
    links.forEach(UdpPeer::close);
  }
}
