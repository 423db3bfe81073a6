package org.rengarde.config;

/** The validated {@code server:} section. Immutable. */
public record ServerConfig(
    String description,
    HostPort listenAddr,
    HostPort dstAddr,
    int clientTimeoutSeconds,
    WriteTimeout writeTimeout,
    WebManagerConfig webManager,
    boolean wireGuardFilter) {

  public static final int DEFAULT_CLIENT_TIMEOUT_SECONDS = 30;
}
