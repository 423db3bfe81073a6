package org.rengarde.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The validated {@code client:} section. Immutable. */
public record ClientConfig(
    String description,
    HostPort listenAddr,
    HostPort dstAddr,
    WriteTimeout writeTimeout,
    Set<String> excludedInterfaces,
    Map<String, String> interfaceLabels,
    List<DstOverride> dstOverrides,
    WebManagerConfig webManager,
    int pollIntervalMillis,
    boolean duplicateFilter,
    boolean wireGuardFilter,
    boolean bindToDevice) {

  /** Our key {@code pollInterval}: engarde polls the interfaces once a second. */
  public static final int DEFAULT_POLL_INTERVAL_MILLIS = 1000;

  /** Without our keys' explicit values: the duplicate filter on. */
  public ClientConfig(String description, HostPort listenAddr, HostPort dstAddr, WriteTimeout writeTimeout,
                      Set<String> excludedInterfaces, Map<String, String> interfaceLabels, List<DstOverride> dstOverrides,
                      WebManagerConfig webManager, int pollIntervalMillis) {
    this(description, listenAddr, dstAddr, writeTimeout, excludedInterfaces, interfaceLabels, dstOverrides, webManager,
        pollIntervalMillis, true, true);
  }

  /** Without our wireGuardFilter key's explicit value: on. */
  public ClientConfig(String description, HostPort listenAddr, HostPort dstAddr, WriteTimeout writeTimeout,
                      Set<String> excludedInterfaces, Map<String, String> interfaceLabels, List<DstOverride> dstOverrides,
                      WebManagerConfig webManager, int pollIntervalMillis, boolean duplicateFilter) {
    this(description, listenAddr, dstAddr, writeTimeout, excludedInterfaces, interfaceLabels, dstOverrides, webManager,
        pollIntervalMillis, duplicateFilter, true);
  }

  /** Without our bindToDevice key's explicit value: on, as engarde binds on Linux. */
  public ClientConfig(String description, HostPort listenAddr, HostPort dstAddr, WriteTimeout writeTimeout,
                      Set<String> excludedInterfaces, Map<String, String> interfaceLabels, List<DstOverride> dstOverrides,
                      WebManagerConfig webManager, int pollIntervalMillis, boolean duplicateFilter,
                      boolean wireGuardFilter) {
    this(description, listenAddr, dstAddr, writeTimeout, excludedInterfaces, interfaceLabels, dstOverrides, webManager,
        pollIntervalMillis, duplicateFilter, wireGuardFilter, true);
  }

  public ClientConfig {
    excludedInterfaces = Set.copyOf(excludedInterfaces);
    interfaceLabels = Map.copyOf(interfaceLabels);
    dstOverrides = List.copyOf(dstOverrides);
  }

  /** The server address for one interface: its first {@code dstOverrides} entry, else {@code dstAddr}. */
  public HostPort destinationFor(String ifName) {
    for (DstOverride o : dstOverrides) {
      if (o.ifName().equals(ifName)) {
        return o.dstAddr();
      }
    }
    return dstAddr;
  }

  public String labelOf(String ifName) {
    return interfaceLabels.getOrDefault(ifName, "");
  }
}
