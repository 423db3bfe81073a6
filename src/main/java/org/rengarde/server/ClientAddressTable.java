package org.rengarde.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The client addresses heard from recently, in the order first heard. Owned by the server relay's event loop.
 * Lookups are by address; iteration is over a list so the fan-out allocates nothing.
 */
public final class ClientAddressTable {
  private final Map<InetSocketAddress, ClientAddress> byAddress = new HashMap<>();
  private final List<ClientAddress> ordered = new ArrayList<>();
  private long timeoutNanos;

  public ClientAddressTable(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  public void setTimeoutNanos(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  /** The entry of {@code address}, or null when it is not known. */
  public ClientAddress get(InetSocketAddress address) {
    return byAddress.get(address);
  }

  /** Adds an address not yet known, heard from now. */
  public ClientAddress add(InetSocketAddress address, long nowNanos) {
    ClientAddress added = new ClientAddress(address, nowNanos);
    if (byAddress.putIfAbsent(address, added) != null) {
      throw new IllegalStateException("already known: " + added.text());
    }
    ordered.add(added);
    return added;
  }

  public boolean isLive(ClientAddress client, long nowNanos) {
    return nowNanos - client.lastSeenNanos() < timeoutNanos;
  }

  /** Number of entries, live or not yet expired by {@link #expire}. */
  public int size() {
    return ordered.size();
  }

  /** Entry {@code i} in the order first heard; with {@link #size} for an allocation-free loop. */
  public ClientAddress at(int i) {
    return ordered.get(i);
  }

  /** Forgets every address silent for the timeout, telling {@code onExpired} about each. */
  public void expire(long nowNanos, Consumer<ClientAddress> onExpired) {
    for (int i = ordered.size() - 1; i >= 0; i--) {
      ClientAddress c = ordered.get(i);
      if (!isLive(c, nowNanos)) {
        ordered.remove(i);
        byAddress.remove(c.address());
        onExpired.accept(c);
      }
    }
  }

  public List<ClientAddress> all() {
    return Collections.unmodifiableList(ordered);
  }
}
