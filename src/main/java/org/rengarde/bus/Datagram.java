package org.rengarde.bus;

/**
 * One datagram's bytes on the event bus. Immutable once published: every consumer gets the same instance (see
 * {@link DatagramCodec}), so nobody may write into {@link #bytes}.
 */
public record Datagram(byte[] bytes) {
}
