package org.rengarde.config;

/** The validated {@code server:} section. Immutable. */
public record ServerConfig(
    String description,
    HostPort listenAddr,
    HostPort dstAddr,
    int clientTimeoutSeconds,
    WriteTimeout writeTimeout,
    WebManagerConfig webManager,
    boolean wireGuardFilter,
    boolean duplicateFilter) {

  public static final int DEFAULT_CLIENT_TIMEOUT_SECONDS = 30;

  /** Without our duplicateFilter key's explicit value: on. */
  public ServerConfig(String description, HostPort listenAddr, HostPort dstAddr, int clientTimeoutSeconds,
                      WriteTimeout writeTimeout, WebManagerConfig webManager, boolean wireGuardFilter) {
    this(description, listenAddr, dstAddr, clientTimeoutSeconds, writeTimeout, webManager, wireGuardFilter, true);
  }
}
