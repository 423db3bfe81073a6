package org.rengarde.client;

import org.rengarde.config.HostPort;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What one link is: which interface (by name and index), which source address, which destination. The source is
 * the interface's address in the destination's family. A link whose spec changes is re-created: a socket bound to
 * an old interface index fails forever.
 *
 * @param destination the resolved server address
 */
public record LinkSpec(String ifName, int index, InetAddress source, HostPort configuredDestination,
                       InetSocketAddress destination) {
}
