package org.rengarde.bus;

import io.netty.buffer.ByteBuf;

/**
 * One datagram on the event bus, by reference. Ownership: the sender keeps (and releases) the buffer it wraps;
 * {@link DatagramCodec} gives every consumer its own retained duplicate at delivery, and the consumer owns that
 * one: it must hand it to a socket's send (which releases it) or release it.
 */
public record Datagram(ByteBuf buffer) {
}
