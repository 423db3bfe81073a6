package org.rengarde.bus;

import io.netty.buffer.ByteBuf;

/**
 * One datagram on the event bus, by reference. Ownership: the sender keeps (and releases) the buffer it wraps;
 * {@link DatagramCodec} gives every consumer its own retained duplicate at delivery, and the consumer owns that
 * one: it must hand it to a socket's send (which releases it) or release it. {@code link} is the slot of the link
 * that received it (downlink), or {@link #NO_LINK}.
 */
public record Datagram(ByteBuf buffer, int link) {

  /** For datagrams that come from no link (the uplink from WireGuard). */
  public static final int NO_LINK = -1;
}
