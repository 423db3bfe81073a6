package org.rengarde.link;

import java.util.List;

/** The epoll libraries the jar must carry, by Netty's name for each architecture, and where its loader looks. */
public final class EpollLibraries {

  private EpollLibraries() {
  }

  /** Every architecture Netty 4.2.9 publishes the library for. */
  public static List<String> architectures() {
    return List.of("x86_64", "aarch_64", "riscv64");
  }

  public static String path(String arch) {
    return "META-INF/native/libnetty_transport_native_epoll_" + arch + ".so";
  }
}
