package org.rengarde.link;

import java.net.InetSocketAddress;

/**
 * How to open a {@link UdpSocket}: the local address, optionally the device to bind to, and the send queue bound.
 *
 * @param bindAddress local address; port 0 for an ephemeral port
 * @param device interface name for SO_BINDTODEVICE, or null for none
 * @param sendQueueBytes bytes a socket may queue when the kernel cannot take more; beyond it copies are dropped
 */
public record UdpSocketOptions(InetSocketAddress bindAddress, String device, int sendQueueBytes) {

  /** About 10 ms of 50 Mbit/s: a socket never queues more than engarde's default writeTimeout worth. */
  public static final int DEFAULT_SEND_QUEUE_BYTES = 64 * 1024;

  public static UdpSocketOptions bind(InetSocketAddress address) {
    return new UdpSocketOptions(address, null, DEFAULT_SEND_QUEUE_BYTES);
  }

  public UdpSocketOptions onDevice(String deviceName) {
    return new UdpSocketOptions(bindAddress, deviceName, sendQueueBytes);
  }

  public UdpSocketOptions withSendQueueBytes(int bytes) {
    return new UdpSocketOptions(bindAddress, device, bytes);
  }
}
