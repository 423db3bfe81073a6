package org.rengarde.client;

import io.vertx.core.Context;

/**
 * Where the client's links run their packet path: on the Dispatcher's event loop ({@code context}), asking its
 * duplicate filter before a copy goes on the downlink. A datagram never changes threads between WireGuard and the
 * links, and both objects are touched only from that loop.
 */
public record PacketPath(Context context, DownlinkFilter filter) {
}
