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
    boolean duplicateFilter,
    byte[] wireGuardPublicKey) {

  public static final int DEFAULT_CLIENT_TIMEOUT_SECONDS = 30;

  /** Without our duplicateFilter key's explicit value: on. */
  public ServerConfig(String description, HostPort listenAddr, HostPort dstAddr, int clientTimeoutSeconds,
                      WriteTimeout writeTimeout, WebManagerConfig webManager, boolean wireGuardFilter) {
    this(description, listenAddr, dstAddr, clientTimeoutSeconds, writeTimeout, webManager, wireGuardFilter, true);
  }

  /** Without our wireGuardPublicKey key: the relay looks the key up itself ({@code wg show}) where it can. */
  public ServerConfig(String description, HostPort listenAddr, HostPort dstAddr, int clientTimeoutSeconds,
                      WriteTimeout writeTimeout, WebManagerConfig webManager, boolean wireGuardFilter,
                      boolean duplicateFilter) {
    this(description, listenAddr, dstAddr, clientTimeoutSeconds, writeTimeout, webManager, wireGuardFilter,
        duplicateFilter, null);
  }

  public ServerConfig {
    wireGuardPublicKey = wireGuardPublicKey == null ? null : wireGuardPublicKey.clone();
  }

  /** The local WireGuard's public key (32 bytes) as configured, or null. A copy. */
  @Override
  public byte[] wireGuardPublicKey() {
    return wireGuardPublicKey == null ? null : wireGuardPublicKey.clone();
  }

  /** Records compare arrays by identity: compare the key's bytes, so a reload with the same file is no change. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ServerConfig c && description.equals(c.description) && listenAddr.equals(c.listenAddr)
        && dstAddr.equals(c.dstAddr) && clientTimeoutSeconds == c.clientTimeoutSeconds
        && writeTimeout.equals(c.writeTimeout) && webManager.equals(c.webManager)
        && wireGuardFilter == c.wireGuardFilter && duplicateFilter == c.duplicateFilter
        && java.util.Arrays.equals(wireGuardPublicKey, c.wireGuardPublicKey);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(description, listenAddr, dstAddr, clientTimeoutSeconds, writeTimeout, webManager,
        wireGuardFilter, duplicateFilter, java.util.Arrays.hashCode(wireGuardPublicKey));
  }
}
