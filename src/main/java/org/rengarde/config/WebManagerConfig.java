package org.rengarde.config;

/** The {@code webManager} map: the HTTP page and API. Off when {@code listenAddr} is empty. */
public record WebManagerConfig(HostPort listenAddr, String username, String password) {

  public static final WebManagerConfig OFF = new WebManagerConfig(null, "", "");

  public boolean enabled() {
    return listenAddr != null;
  }

  /** engarde asks for Basic auth only when both credentials are set. */
  public boolean authRequired() {
    return !username.isEmpty() && !password.isEmpty();
  }

  @Override
  public String toString() {
    return "WebManagerConfig[listenAddr=" + listenAddr + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***") + "]";
  }
}
