package org.rengarde.bus;

/**
 * Every event-bus address of one instance, in one place. Each instance of a file's {@code instances:} list has its
 * own ({@code rengarde.NAME.uplink} and so on), so that no datagram, command or figure reaches another instance's
 * parts on the shared Vert.x; the single-section file's instance ({@link #DEFAULT}) keeps the addresses it always
 * had ({@code rengarde.uplink}). Every verticle of an instance is given its instance's addresses.
 */
public final class BusAddresses {
  /** The addresses of a file's single {@code client:} or {@code server:} section, as before instances existed. */
  public static final BusAddresses DEFAULT = new BusAddresses("");

  private final String instance;
  private final String prefix;
  private final String uplink;
  private final String downlink;
  private final String repoll;
  private final String exclusions;
  private final String clientStatus;
  private final String linkStatsPrefix;
  private final String linkState;
  private final String dispatcherStats;
  private final String configStatus;
  private final String clientConfig;
  private final String serverConfig;
  private final String serverStatus;

  private BusAddresses(String instance) {
    this.instance = instance;
    prefix = instance.isEmpty() ? "rengarde." : "rengarde." + instance + ".";
    uplink = prefix + "uplink";
    downlink = prefix + "downlink";
    repoll = prefix + "interfaces.repoll";
    exclusions = prefix + "interfaces.exclusions";
    clientStatus = prefix + "client.status";
    linkStatsPrefix = prefix + "link.stats.";
    linkState = prefix + "link.state";
    dispatcherStats = prefix + "dispatcher.stats";
    configStatus = prefix + "config.status";
    clientConfig = prefix + "config.client";
    serverConfig = prefix + "config.server";
    serverStatus = prefix + "server.status";
  }

  /** The addresses of the instance {@code name}; "" is {@link #DEFAULT}. */
  public static BusAddresses of(String name) {
    return name.isEmpty() ? DEFAULT : new BusAddresses(name);
  }

  /** The instance's name, "" for the single-section file's. */
  public String instance() {
    return instance;
  }

  /**
   * Whether the figures of {@code address} belong to this instance: its own addresses; every address for the
   * default instance, which never shares a process with another.
   */
  public boolean owns(String address) {
    return instance.isEmpty() || address.startsWith(prefix);
  }

  /** Client: each datagram from WireGuard, published by the Dispatcher to every LinkVerticle ({@link DatagramBatch}). */
  public String uplink() {
    return uplink;
  }

  /** Client: each datagram a link received, sent to the Dispatcher for WireGuard ({@link DatagramBatch}). */
  public String downlink() {
    return downlink;
  }

  /** Client: a link asks the Interface Watcher to look at the interfaces again now (body: interface name). */
  public String repoll() {
    return repoll;
  }

  /** Client: exclusion commands for the Interface Watcher (JSON {"action", "interface"}), replied to with a status. */
  public String exclusions() {
    return exclusions;
  }

  /** Client: the Interface Watcher's view of every interface and link, as JSON, on request. */
  public String clientStatus() {
    return clientStatus;
  }

  /** Client: a link's own counters, on request. */
  public String linkStats(String ifName) {
    return linkStatsPrefix + ifName;
  }

  /** Client: a link tells the Dispatcher it started or stopped (JSON {"slot", "interface", "up"}). */
  public String linkState() {
    return linkState;
  }

  /** Client: the Dispatcher's counters, on request. */
  public String dispatcherStats() {
    return dispatcherStats;
  }

  /** Both: the configuration watcher's verdict on the instance's section, published on every change (JSON {"error": S|null}). */
  public String configStatus() {
    return configStatus;
  }

  /** Client: a new valid configuration ({@code ClientConfig}), published by the configuration watcher. */
  public String clientConfig() {
    return clientConfig;
  }

  /** Server: a new valid configuration ({@code ServerConfig}), published by the configuration watcher. */
  public String serverConfig() {
    return serverConfig;
  }

  /** Server: the relay's client addresses and counters, as JSON, on request. */
  public String serverStatus() {
    return serverStatus;
  }
}
