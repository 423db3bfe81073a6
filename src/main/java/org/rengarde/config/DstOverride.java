package org.rengarde.config;

/** One {@code dstOverrides} entry: the server address to use for one interface. */
public record DstOverride(String ifName, HostPort dstAddr) {
}
