package org.rengarde.server;

import org.rengarde.metrics.TrafficCounters;

import java.net.InetSocketAddress;

/** One client socket address the server has heard from, with its last-seen time and traffic. */
public final class ClientAddress {
  private final InetSocketAddress address;
  private final String text;
  private final TrafficCounters counters = new TrafficCounters();
  private long lastSeenNanos;
  private int slot = -1;

  ClientAddress(InetSocketAddress address, long nowNanos) {
    this.address = address;
    this.text = org.rengarde.config.HostPort.format(address);
    this.lastSeenNanos = nowNanos;
  }

  public InetSocketAddress address() {
    return address;
  }

  /** "ip:port", as engarde prints it ("[ip]:port" for IPv6). */
  public String text() {
    return text;
  }

  public long lastSeenNanos() {
    return lastSeenNanos;
  }

  public void seen(long nowNanos) {
    lastSeenNanos = nowNanos;
  }

  /** This address's slot (0-63) in the relay's arrival tracker, or -1 when all were taken. */
  public int slot() {
    return slot;
  }

  void slot(int slot) {
    this.slot = slot;
  }

  public TrafficCounters counters() {
    return counters;
  }
}
