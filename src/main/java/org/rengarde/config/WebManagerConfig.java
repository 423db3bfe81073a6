package org.rengarde.config;

import java.util.List;

/**
 * The {@code webManager} map: the HTTP page and API. Off when {@code listenAddr} is empty. {@code allowedHosts}
 * are the host names, lower case, by which the manager may be reached besides IP literals, localhost and the
 * listen host.
 */
public record WebManagerConfig(HostPort listenAddr, String username, String password, List<String> allowedHosts) {

  public static final WebManagerConfig OFF = new WebManagerConfig(null, "", "", List.of());

  public WebManagerConfig {
    allowedHosts = List.copyOf(allowedHosts);
  }

  public boolean enabled() {
    return listenAddr != null;
  }

  /** engarde asks for Basic auth only when both credentials are set. */
  public boolean authRequired() {
    return !username.isEmpty() && !password.isEmpty();
  }

  @Override
  public String toString() {
    return "WebManagerConfig[listenAddr=" + listenAddr + ", username=" + username + ", password="
        + (password.isEmpty() ? "" : "***") + ", allowedHosts=" + allowedHosts + "]";
  }
}
