package org.rengarde.link;

/** Why a send failed, in the terms that decide what happens to a link. */
public enum SendFailure {
  /** ENODEV: the bound interface was deleted; the socket will never work again. */
  NO_DEVICE,
  /** ENETUNREACH: the interface is down or has no route; recovers by itself when it comes back. */
  UNREACHABLE,
  /** EPERM (a firewall), EAGAIN, anything else: drop the copy and carry on. */
  OTHER;

  private static final int ENODEV = 19;
  private static final int ENETUNREACH = 101;

  /** Classifies Netty's native errno (negative) or, for the NIO transport, the message. */
  static SendFailure of(Throwable cause) {
    if (cause instanceof io.netty.channel.unix.Errors.NativeIoException n) {
      int errno = Math.abs(n.expectedErr());
      if (errno == ENODEV) {
        return NO_DEVICE;
      }
      if (errno == ENETUNREACH) {
        return UNREACHABLE;
      }
      return OTHER;
    }
    String m = String.valueOf(cause.getMessage());
    if (m.contains("No such device")) {
      return NO_DEVICE;
    }
    if (m.contains("unreachable")) {
      return UNREACHABLE;
    }
    return OTHER;
  }

  /** Failures after which the interfaces should be looked at again at once. */
  public boolean asksForRepoll() {
    return this != OTHER;
  }
}
