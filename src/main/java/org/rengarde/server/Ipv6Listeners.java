package org.rengarde.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import org.rengarde.config.HostPort;
import org.rengarde.link.UdpSocket;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * With {@code listenAddr: [::]:PORT}: beside the dual-stack wildcard socket, one socket on the listen port bound to
 * each local IPv6 address (global, unique-local and loopback; link-local ones need a zone and are left out). The
 * relay must know which local address a client sent to, to bind that client's own socket to it and to answer from
 * it: IPv6 source selection may pick another address of the machine (a temporary or newer one), and the client's
 * connected socket drops a reply from an address it did not send to. Netty 4.2.9's epoll tells the address of an
 * IPv4 datagram (IP_ORIGDSTADDR) but not of an IPv6 one; a socket bound to the address itself knows it. The kernel
 * hands a datagram to the most specific socket, so the wildcard one keeps IPv4 and any address that appeared since
 * the last look ({@link #REFRESH_MILLIS}). Owned by the relay's event loop.
 */
final class Ipv6Listeners {
  private static final Logger LOG = Logger.getLogger(Ipv6Listeners.class.getName());
  /** How often the local addresses are listed again (about 0.25 ms for a dozen interfaces, off the event loop). */
  static final long REFRESH_MILLIS = 5_000;

  private final int port;
  private final Function<InetSocketAddress, Future<UdpSocket>> open;
  private final Map<InetAddress, UdpSocket> sockets = new HashMap<>();
  private final Set<InetAddress> opening = new HashSet<>();
  private final Set<InetAddress> refused = new HashSet<>();
  private boolean closed;

  /** @param open opens a socket sharing the listen port on the given address */
  Ipv6Listeners(int port, Function<InetSocketAddress, Future<UdpSocket>> open) {
    this.port = port;
    this.open = open;
  }

  /** The IPv6 addresses of this machine a client can send to. Blocking: off the event loop. */
  static List<InetAddress> localAddresses() throws java.io.IOException {
    List<InetAddress> out = new ArrayList<>();
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(ni.getInetAddresses())) {
        if (a instanceof Inet6Address v6 && !v6.isLinkLocalAddress() && !v6.isMulticastAddress()) {
          // Without the zone the kernel attached: the key a recipient address is looked up by.
          out.add(InetAddress.getByAddress(v6.getAddress()));
        }
      }
    }
    return out;
  }

  /** Opens a socket for each new address, closes those of addresses gone; completes when the opens are done. */
  Future<Void> update(List<InetAddress> local, Context context) {
    if (closed) {
      return Future.succeededFuture();
    }
    Set<InetAddress> now = new HashSet<>(local);
    for (InetAddress gone : new ArrayList<>(sockets.keySet())) {
      if (!now.contains(gone)) {
        sockets.remove(gone).close(context);
      }
    }
    refused.retainAll(now);
    List<Future<?>> opens = new ArrayList<>();
    for (InetAddress a : now) {
      if (sockets.containsKey(a) || !opening.add(a)) {
        continue;
      }
      opens.add(open.apply(new InetSocketAddress(a, port))
          .onSuccess(socket -> {
            opening.remove(a);
            if (closed) {
              socket.close(context);
            } else {
              sockets.put(a, socket);
              refused.remove(a);
            }
          })
          .onFailure(e -> {
            opening.remove(a);
            // A tentative address (duplicate address detection under way) cannot be bound yet: the next look
            // tries again; said once per address.
            if (refused.add(a)) {
              LOG.info("no listen socket of its own for " + HostPort.format(a) + " yet (its clients stay on the "
                  + "wildcard socket): " + e.getMessage());
            }
          }));
    }
    return Future.join(opens).otherwiseEmpty().mapEmpty();
  }

  /** The socket bound to {@code local}, or null. */
  UdpSocket socketFor(InetAddress local) {
    return sockets.get(local);
  }

  /** The addresses listened on, as shown. */
  JsonArray addresses() {
    JsonArray out = new JsonArray();
    sockets.values().forEach(s -> out.add(HostPort.format(s.localAddress())));
    return out;
  }

  Future<Void> close(Context context) {
    closed = true;
    List<Future<?>> all = new ArrayList<>();
    sockets.values().forEach(s -> all.add(s.close(context)));
    sockets.clear();
    return Future.join(all).mapEmpty();
  }
}
