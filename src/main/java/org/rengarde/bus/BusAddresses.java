package org.rengarde.bus;

/** Every event-bus address of rengarde, in one place. */
public final class BusAddresses {
  /** Client: each datagram from WireGuard, published by the Dispatcher to every LinkVerticle ({@link DatagramBatch}). */
  public static final String UPLINK = "rengarde.uplink";
  /** Client: each datagram a link received, sent to the Dispatcher for WireGuard ({@link DatagramBatch}). */
  public static final String DOWNLINK = "rengarde.downlink";
  /** Client: a link asks the Interface Watcher to look at the interfaces again now (body: interface name). */
  public static final String REPOLL = "rengarde.interfaces.repoll";
  /** Client: exclusion commands for the Interface Watcher (JSON {"action", "interface"}), replied to with a status. */
  public static final String EXCLUSIONS = "rengarde.interfaces.exclusions";
  /** Client: the Interface Watcher's view of every interface and link, as JSON, on request. */
  public static final String CLIENT_STATUS = "rengarde.client.status";
  /** Client: a link's own counters, on request; suffixed with the interface name. */
  public static final String LINK_STATS_PREFIX = "rengarde.link.stats.";
  /** Client: a link tells the Dispatcher it started or stopped (JSON {"slot", "interface", "up"}). */
  public static final String LINK_STATE = "rengarde.link.state";
  /** Client: the Dispatcher's counters, on request. */
  public static final String DISPATCHER_STATS = "rengarde.dispatcher.stats";
  /** Both: the configuration watcher's verdict on the file, published on every change (JSON {"error": S|null}). */
  public static final String CONFIG_STATUS = "rengarde.config.status";
  /** Client: a new valid configuration ({@code ClientConfig}), published by the configuration watcher. */
  public static final String CLIENT_CONFIG = "rengarde.config.client";
  /** Server: a new valid configuration ({@code ServerConfig}), published by the configuration watcher. */
  public static final String SERVER_CONFIG = "rengarde.config.server";
  /** Server: the relay's client addresses and counters, as JSON, on request. */
  public static final String SERVER_STATUS = "rengarde.server.status";

  private BusAddresses() {
  }

  public static String linkStats(String ifName) {
    return LINK_STATS_PREFIX + ifName;
  }
}
