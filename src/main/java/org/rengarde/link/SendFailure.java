package org.rengarde.link;

/** Why a send failed, in the terms that decide what happens to a link. */
public enum SendFailure {
  /** ENODEV: the bound interface was deleted; the socket will never work again. */
  NO_DEVICE,
  /** ENETUNREACH: the interface is down or has no route; recovers by itself when it comes back. */
  UNREACHABLE,
  /**
   * ECONNREFUSED on a connected socket: the peer's host answered an earlier datagram with ICMP port unreachable
   * (nothing listens there now). The link works; the far end does not.
   */
  REFUSED_BY_PEER,
  /** EPERM (a firewall), EAGAIN, anything else: drop the copy and carry on. */
  OTHER;

  static final int EIO = 5;
  static final int EINVAL = 22;
  private static final int ENODEV = 19;
  private static final int ENETUNREACH = 101;
  private static final int ECONNREFUSED = 111;

  /** Classifies Netty's native errno (negative) or, for the NIO transport, the message. */
  static SendFailure of(Throwable cause) {
    if (cause instanceof java.net.PortUnreachableException) {
      return REFUSED_BY_PEER;
    }
    int errno = errno(cause);
    if (errno == ENODEV) {
      return NO_DEVICE;
    }
    if (errno == ENETUNREACH) {
      return UNREACHABLE;
    }
    if (errno == ECONNREFUSED) {
      return REFUSED_BY_PEER;
    }
    if (errno > 0) {
      return OTHER;
    }
    String m = String.valueOf(cause.getMessage());
    if (m.contains("No such device")) {
      return NO_DEVICE;
    }
    if (m.contains("unreachable")) {
      return UNREACHABLE;
    }
    if (m.contains("Connection refused")) {
      return REFUSED_BY_PEER;
    }
    return OTHER;
  }

  /** The positive errno of a native failure, or 0 when it is not one. */
  static int errno(Throwable cause) {
    if (cause instanceof io.netty.channel.unix.Errors.NativeIoException n) {
      return Math.abs(n.expectedErr());
    }
    return 0;
  }

  /** Failures after which the interfaces should be looked at again at once. */
  public boolean asksForRepoll() {
    return this == NO_DEVICE || this == UNREACHABLE;
  }
}
