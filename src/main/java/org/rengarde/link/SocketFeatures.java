package org.rengarde.link;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Which batch features of the kernel and of Netty's native transport this process may use, found once, and the
 * one log line for each feature that is missing (a socket falls back without it; saying so on every socket would
 * flood the log).
 */
final class SocketFeatures {
  private static final Logger LOG = Logger.getLogger(UdpSocket.class.getName());
  private static final AtomicBoolean GRO_REPORTED = new AtomicBoolean();
  private static final AtomicBoolean FORCE_REPORTED = new AtomicBoolean();
  private static final AtomicBoolean GSO_REPORTED = new AtomicBoolean();
  private static final AtomicBoolean MEMINFO_REPORTED = new AtomicBoolean();

  private SocketFeatures() {
  }

  /** GSO (UDP_SEGMENT): one sendmsg carries many datagrams of one size. */
  static boolean segmentedSendSupported() {
    try {
      return Epoll.isAvailable() && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    } catch (LinkageError e) {
      return false;
    }
  }

  static void groRefused(Throwable cause) {
    if (GRO_REPORTED.compareAndSet(false, true)) {
      LOG.info("UDP GRO is not available here (" + cause.getMessage() + "): sockets read datagram by datagram");
    }
  }

  static void bufferForceRefused(int granted) {
    if (FORCE_REPORTED.compareAndSet(false, true)) {
      LOG.info("SO_RCVBUFFORCE refused (needs CAP_NET_ADMIN): socket buffers are capped by net.core.rmem_max and "
          + "wmem_max (" + granted + " bytes granted); raise them with sysctl for fewer drops under load");
    }
  }

  static void gsoUnavailable(String why) {
    if (GSO_REPORTED.compareAndSet(false, true)) {
      LOG.info("UDP GSO is not used: " + why + "; each datagram is its own send (batched by sendmmsg)");
    }
  }

  static void meminfoRefused(Throwable cause) {
    if (MEMINFO_REPORTED.compareAndSet(false, true)) {
      LOG.info("SO_MEMINFO is not available (" + cause.getMessage() + "): kernel drops per socket are not reported");
    }
  }
}
