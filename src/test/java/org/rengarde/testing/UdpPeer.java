package org.rengarde.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** A plain blocking UDP socket on loopback, for tests: stands in for WireGuard or for a client. */
public final class UdpPeer implements AutoCloseable {
  private final DatagramSocket socket;

  public UdpPeer() throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    socket.setReceiveBufferSize(4 * 1024 * 1024);
  }

  public int port() {
    return socket.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
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
