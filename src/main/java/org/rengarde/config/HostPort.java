package org.rengarde.config;

import io.netty.util.NetUtil;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;

/**
 * A {@code host:port} value as engarde writes it ({@code 127.0.0.1:59401}, {@code vpn.example.org:59402},
 * {@code [2001:db8::1]:59402}, {@code [::]:59402} for every address of both families, {@code :59402} for every
 * IPv4 address). Resolution is separate and explicit, because it may block. Also the one place that writes a socket
 * address for people: {@link #format(InetSocketAddress)}.
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
      if (!NetUtil.isValidIpV6Address(host) || host.indexOf('%') >= 0) {
        throw new ConfigException(where + ": \"" + shown + "\" is not host:port (\"" + SectionReader.escape(host)
            + "\" in brackets is not an IPv6 address; zones like %eth0 are not taken)");
      }
      host = NetUtil.toAddressString(NetUtil.createInetAddressFromIpAddressString(host));
    } else if (host.indexOf(':') >= 0 || host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
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

  /**
   * Every address the host resolves to, in the resolver's order (the JDK puts IPv4 first unless
   * {@code java.net.preferIPv6Addresses} says otherwise); one for a literal. Blocking when it is a name.
   */
  public InetAddress[] resolveAll() throws UnknownHostException {
    return InetAddress.getAllByName(host);
  }

  /** The family of an address literal; null for a host name (its family is known only once it is resolved). */
  public StandardProtocolFamily literalFamily() {
    if (NetUtil.isValidIpV4Address(host)) {
      return StandardProtocolFamily.INET;
    }
    return NetUtil.isValidIpV6Address(host) ? StandardProtocolFamily.INET6 : null;
  }

  /** As written in the file, IPv6 in brackets: {@code 127.0.0.1:59401}, {@code [2001:db8::1]:59402}. */
  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /**
   * A socket address as the API, the page and the logs show it: {@code 192.0.2.1:1234}, {@code [2001:db8::1]:1234}
   * (RFC 5952 form, brackets around IPv6). An IPv4-mapped IPv6 address (what a dual-stack socket may report for an
   * IPv4 sender) is shown as the IPv4 address it is. An unresolved name shows as the name.
   */
  public static String format(InetSocketAddress address) {
    if (address == null) {
      return "";
    }
    InetAddress ip = address.getAddress();
    if (ip == null) {
      return address.getHostString() + ":" + address.getPort();
    }
    String text = format(ip);
    return text.indexOf(':') >= 0 ? "[" + text + "]:" + address.getPort() : text + ":" + address.getPort();
  }

  /**
   * An address alone, as shown: dotted IPv4, RFC 5952 IPv6 (no brackets), IPv4-mapped as IPv4; a link-local IPv6
   * address keeps its zone ({@code fe80::1%eth0}), which it cannot be reached without.
   */
  public static String format(InetAddress address) {
    if (address == null) {
      return "";
    }
    InetAddress plain = unmapped(address);
    String text = NetUtil.toAddressString(plain);
    if (plain instanceof Inet6Address v6 && v6.isLinkLocalAddress()) {
      String zone = v6.getScopedInterface() != null ? v6.getScopedInterface().getName()
          : v6.getScopeId() != 0 ? Integer.toString(v6.getScopeId()) : null;
      return zone == null ? text : text + "%" + zone;
    }
    return text;
  }

  /**
   * The IPv4 address behind an IPv4-mapped IPv6 one ({@code ::ffff:192.0.2.1}); any other address as it is. Netty's
   * epoll transport and the JDK already report an IPv4 sender on a dual-stack socket as an {@link Inet4Address};
   * this covers an address built by hand from its 16 bytes.
   */
  public static InetAddress unmapped(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] b = address.getAddress();
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return address;
      }
    }
    if (b[10] != (byte) 0xFF || b[11] != (byte) 0xFF) {
      return address;
    }
    try {
      return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
