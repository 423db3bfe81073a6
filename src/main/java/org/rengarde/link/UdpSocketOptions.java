package org.rengarde.link;

import java.net.InetSocketAddress;

/**
 * How to open a {@link UdpSocket}: the local address, optionally the device to bind to and the one peer to connect
 * to, the send queue bound, and the largest datagram a GSO send may carry as one segment.
 *
 * @param bindAddress local address; port 0 for an ephemeral port
 * @param device interface name for SO_BINDTODEVICE, or null for none
 * @param sendQueueBytes bytes a socket may queue when the kernel cannot take more; beyond it copies are dropped
 * @param connectTo the socket's only peer, or null: a connected socket skips the route lookup on each send, and the
 *     kernel drops datagrams from anyone else before they cost a read
 * @param maxSegmentBytes the largest datagram a GSO send may carry as one of its segments (the path's MTU less the
 *     IP and UDP headers: a segment the route cannot carry makes the kernel refuse the whole send), 0 for no GSO
 * @param sharedPort SO_REUSEPORT: the server's listen socket and its per-member sockets share the listen port (the
 *     kernel checks that they belong to the same user)
 * @param learnsDestination IP_RECVORIGDSTADDR: the socket tells the local address each datagram was sent to
 *     ({@link UdpSocket#lastRecipient}), for a socket bound to the wildcard address
 * @param coalescing UDP GRO: a train of datagrams from one sender (a GSO send, or the NIC's coalescing) is read in
 *     one call and split into its datagrams; for sockets facing a link. Otherwise recvmmsg reads up to 16 datagrams a
 *     call; for sockets facing WireGuard on the same machine.
 */
public record UdpSocketOptions(InetSocketAddress bindAddress, String device, int sendQueueBytes,
                               InetSocketAddress connectTo, int maxSegmentBytes, boolean sharedPort,
                               boolean learnsDestination, boolean coalescing) {

  /** About 10 ms of 50 Mbit/s: a socket never queues more than engarde's default writeTimeout worth. */
  public static final int DEFAULT_SEND_QUEUE_BYTES = 64 * 1024;
  /** IPv4 (20) and UDP (8) headers: a datagram of MTU - 28 bytes fills one packet. */
  public static final int IPV4_UDP_HEADERS = 28;
  /** IPv6 (40) and UDP (8) headers. */
  public static final int IPV6_UDP_HEADERS = 48;

  public static UdpSocketOptions bind(InetSocketAddress address) {
    return new UdpSocketOptions(address, null, DEFAULT_SEND_QUEUE_BYTES, null, 0, false, false, false);
  }

  public UdpSocketOptions onDevice(String deviceName) {
    return new UdpSocketOptions(bindAddress, deviceName, sendQueueBytes, connectTo, maxSegmentBytes, sharedPort,
        learnsDestination, coalescing);
  }

  public UdpSocketOptions withSendQueueBytes(int bytes) {
    return new UdpSocketOptions(bindAddress, device, bytes, connectTo, maxSegmentBytes, sharedPort, learnsDestination,
        coalescing);
  }

  public UdpSocketOptions connectedTo(InetSocketAddress peer) {
    return new UdpSocketOptions(bindAddress, device, sendQueueBytes, peer, maxSegmentBytes, sharedPort,
        learnsDestination, coalescing);
  }

  /** GSO for datagrams that fit one packet of a path with this MTU (in the family of the bound address). */
  public UdpSocketOptions segmentingFor(int mtu) {
    int headers = bindAddress.getAddress() instanceof java.net.Inet6Address ? IPV6_UDP_HEADERS : IPV4_UDP_HEADERS;
    return new UdpSocketOptions(bindAddress, device, sendQueueBytes, connectTo, Math.max(0, mtu - headers),
        sharedPort, learnsDestination, coalescing);
  }

  public UdpSocketOptions sharingPort() {
    return new UdpSocketOptions(bindAddress, device, sendQueueBytes, connectTo, maxSegmentBytes, true,
        learnsDestination, coalescing);
  }

  /** GRO reads (see {@code coalescing}). */
  public UdpSocketOptions coalescingReads() {
    return new UdpSocketOptions(bindAddress, device, sendQueueBytes, connectTo, maxSegmentBytes, sharedPort,
        learnsDestination, true);
  }

  public UdpSocketOptions learningDestination() {
    return new UdpSocketOptions(bindAddress, device, sendQueueBytes, connectTo, maxSegmentBytes, sharedPort, true,
        coalescing);
  }
}
