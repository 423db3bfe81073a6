package org.rengarde.config;

import java.net.InetSocketAddress;

/**
 * A {@code host:port} value as engarde writes it ({@code 127.0.0.1:59401}, {@code vpn.example.org:59402},
 * {@code [::1]:59402}, {@code :59402} for every address). Resolution is separate and explicit, because it may block.
 */
public record HostPort(String host, int port) {

  /** Parses {@code value}; {@code where} names the file and key for the error message. */
  public static HostPort parse(String where, String value) throws ConfigException {
    if (value == null || value.isBlank()) {
      throw new ConfigException(where + ": empty address, expected host:port");
    }
    String v = value.trim();
    String shown = SectionReader.escape(value);
    int colon = v.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigException(where + ": \"" + shown + "\" is not host:port (no port)");
    }
    String host = v.substring(0, colon);
    String portText = v.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new ConfigException(where + ": \"" + shown + "\" is not host:port (write IPv6 addresses as [addr]:port)");
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new ConfigException(where + ": \"" + shown + "\" is not host:port (port \"" + SectionReader.escape(portText) + "\" is not a number)");
    }
    if (port < 1 || port > 65535) {
      throw new ConfigException(where + ": \"" + shown + "\" has port " + port + " out of range 1-65535");
    }
    if (host.isEmpty()) {
      host = "0.0.0.0";
    }
    return new HostPort(host, port);
  }

  /** Resolves the host now; blocking when it is a name. Never call it on an event loop. */
  public InetSocketAddress resolve() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
