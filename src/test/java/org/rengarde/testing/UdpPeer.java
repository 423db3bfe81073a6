package org.rengarde.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain blocking UDP socket on loopback, for tests: stands in for WireGuard or for a client. */
public final class UdpPeer implements AutoCloseable {
  /** How long a datagram that is due may take on a loaded machine. */
  public static final int WAIT_MILLIS = 5000;
  private final DatagramSocket socket;

  public UdpPeer() throws IOException {
    this(InetAddress.getLoopbackAddress());
  }

  /** On {@code address} ({@code ::1} for an IPv6 client, say), an ephemeral port. */
  public UdpPeer(InetAddress address) throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(address, 0));
    socket.setReceiveBufferSize(4 * 1024 * 1024);
  }

  public int port() {
    return socket.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(socket.getLocalAddress(), port());
  }

  public void send(byte[] data, InetSocketAddress to) throws IOException {
    socket.send(new DatagramPacket(data, data.length, to));
  }

  /** The next datagram's bytes, or null when none arrives within {@code timeoutMillis}. */
  public byte[] receive(int timeoutMillis) throws IOException {
    byte[] buf = new byte[65_536];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    socket.setSoTimeout(timeoutMillis);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return Arrays.copyOf(buf, p.getLength());
  }

  /** A datagram and where it came from. */
  public record Received(byte[] bytes, InetSocketAddress from) {
  }

  /** The next datagram with its sender, or null when none arrives within {@code timeoutMillis}. */
  public Received receiveDatagram(int timeoutMillis) throws IOException {
    byte[] buf = new byte[65_536];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    socket.setSoTimeout(timeoutMillis);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return new Received(Arrays.copyOf(buf, p.getLength()), (InetSocketAddress) p.getSocketAddress());
  }

  /** Every datagram that arrives until none has for {@code quietMillis}. */
  public List<byte[]> drain(int quietMillis) throws IOException {
    return drain(0, quietMillis);
  }

  /**
   * The datagrams that arrive: the first {@code expected} however slowly (up to {@value #WAIT_MILLIS} ms each, for a
   * loaded machine), then any more until none has for {@code quietMillis}.
   */
  public List<byte[]> drain(int expected, int quietMillis) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (byte[] b = receive(expected > 0 ? WAIT_MILLIS : quietMillis); b != null;
         b = receive(out.size() < expected ? WAIT_MILLIS : quietMillis)) {
      out.add(b);
    }
    return out;
  }

  /** The sender of the next datagram, or null. */
  public InetSocketAddress receiveFrom(int timeoutMillis) throws IOException {
    byte[] buf = new byte[65_536];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    socket.setSoTimeout(timeoutMillis);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return (InetSocketAddress) p.getSocketAddress();
  }

  @Override
  public void close() {
    socket.close();
  }
}
