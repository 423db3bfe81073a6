package org.rengarde.server;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.BusAddresses;
import org.rengarde.bus.HandedOverJson;
import org.rengarde.config.ServerConfig;
import org.rengarde.link.SendFailure;
import org.rengarde.link.SocketSlot;
import org.rengarde.link.UdpSocket;
import org.rengarde.link.UdpSocketOptions;
import org.rengarde.metrics.TrafficCounters;
import org.rengarde.wire.CounterGapTracker;
import org.rengarde.wire.DatagramHash;
import org.rengarde.wire.DuplicateTracker;
import org.rengarde.wire.Mac1;
import org.rengarde.wire.WireGuardShape;
import org.rengarde.wire.Verdict;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server half, peer by peer ({@code multiclient.md}): datagrams from client addresses go unchanged to WireGuard
 * through their peer's own socket; each datagram WireGuard sends on a peer's socket goes unchanged to that peer's
 * live addresses only (handshake messages also to the addresses that sent the initiation they answer). Which
 * address belongs to which peer, and which proved nothing and gets nothing, is the {@link PeerTable}'s decision.
 * Every socket lives on this verticle's event loop, so a datagram crosses no thread and is never copied but to leave
 * a shared read buffer.
 *
 * <p>With {@code wireGuardFilter: false} the relay is engarde's: every address that sends is a client, one socket
 * faces WireGuard, and every reply goes to every live address ({@link FlatRelay}).
 */
public final class ServerRelay extends VerticleBase implements PeerEvents {
  private static final Logger LOG = Logger.getLogger(ServerRelay.class.getName());
  private static final long EXPIRY_PERIOD_MILLIS = 1000;
  /** Copies of one datagram are recognised for 2 s; at most this many datagrams are remembered across peers. */
  static final int DUPLICATE_CAPACITY = 1 << 16;
  static final long DUPLICATE_WINDOW_NANOS = 2_000_000_000L;
  static final int STATS_WINDOW_SECONDS = 10;

  private ServerConfig config;
  private final BusAddresses addresses;
  private final boolean peers;
  private final PeerTable table;
  private final PeerLimits limits;
  private final DuplicateTracker duplicates =
      new DuplicateTracker(DUPLICATE_CAPACITY, DUPLICATE_WINDOW_NANOS, STATS_WINDOW_SECONDS);
  private final LoopbackAddresses loopbacks = new LoopbackAddresses();
  /** For {@link CandidateProbes}; keyed per process, so that nobody can make two datagrams look alike offline. */
  private final DatagramHash probeHash = DatagramHash.random();
  private FlatRelay flat;
  private SocketSlot clientSocket;
  /** With listenAddr [::]: a socket per local IPv6 address on the listen port; null otherwise. */
  private Ipv6Listeners ipv6Listeners;
  private long ipv6Timer;
  /**
   * The listenAddr in effect and the one of the newest configuration (a replacement may be under way towards it):
   * a change is judged against these, not against the last file, so a failed change can be tried again.
   */
  private org.rengarde.config.HostPort listening;
  private org.rengarde.config.HostPort wantedListen;
  private InetSocketAddress wireGuardAddress;
  private long refusedDatagrams;
  private long duplicatesDropped;
  private long alteredForwarded;
  private long strayDatagrams;
  private long socketFailures;
  private long memberSocketFailures;
  /** WireGuard's responses sent again to a link whose copy of the initiation came after WireGuard answered. */
  private long lateAnswers;
  /** Peer sockets that failed to open (socketFailures also counts sends to WireGuard that failed). */
  private long peerSocketFailures;
  private static final String FAILURES_COUNTED = " (out of file descriptors? see LimitNOFILE; further failures are "
      + "logged at FINE only and counted in get-list";
  /** Checks the mac1 of client initiations against the local WireGuard's key; null when the key is unknown. */
  private Mac1 mac1;
  private long refusedBadMac1;
  private java.util.Map<String, String> peerKeys = java.util.Map.of();
  private long showTimer;
  private static final long SHOW_PERIOD_MILLIS = 10_000;
  private long expiryTimer;
  private MessageConsumer<Object> statusConsumer;
  private MessageConsumer<ServerConfig> configConsumer;

  /** Bounds from {@link PeerLimits#forHeap}: past what this JVM's heap holds, new peers are refused. */
  public ServerRelay(BusAddresses addresses, ServerConfig config) {
    this(addresses, config, PeerLimits.forHeap(Runtime.getRuntime().maxMemory()));
  }

  /** With other bounds than {@link PeerLimits#DEFAULT} (tests of what happens past them). */
  ServerRelay(BusAddresses addresses, ServerConfig config, PeerLimits limits) {
    this.addresses = addresses;
    this.config = config;
    this.limits = limits;
    this.peers = config.wireGuardFilter();
    this.listening = config.listenAddr();
    this.wantedListen = config.listenAddr();
    this.table = new PeerTable(TimeUnit.SECONDS.toNanos(config.clientTimeoutSeconds()), limits, this);
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> new InetSocketAddress[] {config.listenAddr().resolve(), config.dstAddr().resolve()})
        .compose(this::openSockets)
        .onSuccess(v -> {
          expiryTimer = vertx.setPeriodic(EXPIRY_PERIOD_MILLIS, id -> expire());
          if (peers) {
            lookAtWireGuard(true);
            showTimer = vertx.setPeriodic(SHOW_PERIOD_MILLIS, id -> lookAtWireGuard(false));
          }
          HandedOverJson.register(vertx.eventBus());
          statusConsumer = vertx.eventBus().consumer(addresses.serverStatus(), this::replyStatus);
          configConsumer = vertx.eventBus().consumer(addresses.serverConfig(), m -> applyConfig(m.body()));
          LOG.info("Listening on " + config.listenAddr());
          LOG.info("Relaying to WireGuard at " + config.dstAddr() + (peers
              ? ", one socket per peer (clients time out after " + config.clientTimeoutSeconds() + " s; at most "
                  + limits.maxPeers() + " peers for a heap of " + Runtime.getRuntime().maxMemory() / (1 << 20)
                  + " MB)"
              : " from one socket for every client address, as engarde (wireGuardFilter off)"));
        });
  }

  private Future<Void> openSockets(InetSocketAddress[] addresses) {
    InetSocketAddress listen = addresses[0];
    wireGuardAddress = addresses[1];
    if (wireGuardAddress.isUnresolved()) {
      return Future.failedFuture("server.dstAddr: cannot resolve \"" + config.dstAddr() + "\"");
    }
    Future<UdpSocket> opened = openClientSocket(listen)
        .recover(e -> Future.failedFuture("server.listenAddr " + config.listenAddr() + ": " + e.getMessage()))
        .onSuccess(socket -> clientSocket = new SocketSlot(socket));
    if (peers) {
      return opened.compose(s -> listenOnEachIpv6Address(listen));
    }
    return opened.compose(s -> openWireGuardSocket(wireGuardAddress, null, (d, from) -> flat.fromWireGuard(d)))
        .map(s -> {
          flat = new FlatRelay(s, clientSocket::current, duplicates,
              TimeUnit.SECONDS.toNanos(config.clientTimeoutSeconds()));
          return null;
        });
  }

  /**
   * The listen socket shares its port with the members' own sockets (SO_REUSEPORT) and learns which local address
   * each sender chose, so that a member's socket can be bound to it. A plain bind first
   * ({@link UdpSocket#ensureFree}) makes a port another program holds a clear error, at start and on a reload alike.
   */
  private Future<UdpSocket> openClientSocket(InetSocketAddress listen) {
    UdpSocket[] opened = new UdpSocket[1];
    UdpSocketOptions options = UdpSocketOptions.bind(listen).coalescingReads().sharingPort().learningDestination()
        .withSendQueueBytes(config.writeTimeout().sendQueueBytes());
    return vertx.executeBlocking(() -> {
      UdpSocket.ensureFree(listen);
      return listen;
    }).compose(free -> UdpSocket.open(context, vertx.isNativeTransportEnabled(), options,
            (d, from) -> fromClient(d, from, opened[0]), this::clientSendFailed))
        .onSuccess(s -> opened[0] = s);
  }

  /**
   * With {@code listenAddr: [::]:PORT}, a socket per local IPv6 address beside the wildcard one (see
   * {@link Ipv6Listeners}), looked at again every {@value Ipv6Listeners#REFRESH_MILLIS} ms. Completes once the
   * first ones are open.
   */
  private Future<Void> listenOnEachIpv6Address(InetSocketAddress listen) {
    if (!(listen.getAddress() instanceof java.net.Inet6Address) || !listen.getAddress().isAnyLocalAddress()) {
      return Future.succeededFuture();
    }
    int port = clientSocket.current().localAddress().getPort();
    Ipv6Listeners listeners = new Ipv6Listeners(port, this::openIpv6Listener);
    ipv6Listeners = listeners;
    ipv6Timer = vertx.setPeriodic(Ipv6Listeners.REFRESH_MILLIS, id -> lookAtIpv6Addresses(listeners));
    return lookAtIpv6Addresses(listeners);
  }

  private Future<Void> lookAtIpv6Addresses(Ipv6Listeners listeners) {
    return vertx.executeBlocking(Ipv6Listeners::localAddresses, false)
        .compose(local -> listeners.update(local, context))
        .recover(e -> {
          LOG.fine(() -> "cannot list the local IPv6 addresses: " + e.getMessage());
          return Future.succeededFuture();
        });
  }

  private Future<UdpSocket> openIpv6Listener(InetSocketAddress address) {
    UdpSocket[] opened = new UdpSocket[1];
    return UdpSocket.open(context, vertx.isNativeTransportEnabled(),
            UdpSocketOptions.bind(address).coalescingReads().sharingPort()
                .withSendQueueBytes(config.writeTimeout().sendQueueBytes()),
            (d, from) -> fromClient(d, from, opened[0]), this::clientSendFailed)
        .onSuccess(s -> opened[0] = s);
  }

  /**
   * Where a datagram to {@code a} leaves from: its own socket, else the listen socket bound to the address it sent
   * to (IPv6 on [::]), else the listen socket.
   */
  private UdpSocket replySocket(PeerAddress a) {
    UdpSocket own = (UdpSocket) a.attachment();
    if (own != null) {
      return own;
    }
    if (ipv6Listeners != null && a.local() != null) {
      UdpSocket bound = ipv6Listeners.socketFor(a.local().getAddress());
      if (bound != null) {
        return bound;
      }
    }
    return clientSocket.current();
  }

  /**
   * A member's own socket: bound to the listen port on the local address it sends to, connected to it. The kernel
   * hands its datagrams to this socket, not to the listening one, so a flood of strangers' junk fills only the
   * listening socket's buffer; replies leave from the address the member sent to. GRO reads, GSO sends.
   */
  private void openMemberSocket(PeerAddress member) {
    InetSocketAddress local = member.local();
    if (local == null || !peers) {
      return;
    }
    UdpSocket[] opened = new UdpSocket[1];
    vertx.executeBlocking(() -> localMtu(local))
        .compose(mtu -> UdpSocket.open(context, vertx.isNativeTransportEnabled(),
            UdpSocketOptions.bind(local).sharingPort().connectedTo(member.address()).coalescingReads()
                .segmentingFor(mtu).withSendQueueBytes(config.writeTimeout().sendQueueBytes()),
            (d, from) -> fromClient(d, from, opened[0]), this::clientSendFailed))
        .onSuccess(socket -> {
          opened[0] = socket;
          if (member.isMember() && member.attachment() == null && table.address(member.address()) == member) {
            member.attach(socket);
          } else {
            socket.close(context);
          }
        })
        .onFailure(e -> {
          memberSocketFailures++;
          Level level = memberSocketFailures == 1 ? Level.WARNING : Level.FINE;
          LOG.log(level, () -> "no socket of its own for " + member.text() + " (it stays on the listen socket): "
              + e.getMessage() + (level == Level.WARNING ? FAILURES_COUNTED + " \"memberSocketFailures\")" : ""));
        });
  }

  /** The MTU of the interface holding {@code local}, for GSO segments; 1500 when it cannot be told. */
  private static int localMtu(InetSocketAddress local) {
    try {
      java.net.NetworkInterface ni = java.net.NetworkInterface.getByInetAddress(local.getAddress());
      return ni == null ? 1500 : ni.getMTU();
    } catch (java.io.IOException e) {
      return 1500;
    }
  }

  /**
   * A socket towards WireGuard, connected to it (the kernel drops anything else sent to its port): bound to
   * {@code loopback} (a peer's own address: wireguard-go rate-limits handshakes per source address) when WireGuard
   * is local, to the wildcard address otherwise.
   */
  private Future<UdpSocket> openWireGuardSocket(InetSocketAddress wireGuard, InetAddress loopback,
                                                UdpSocket.Receiver receiver) {
    InetAddress local = wireGuard.getAddress().isLoopbackAddress()
        ? (loopback != null ? loopback : wireGuard.getAddress()) : anyAddressLike(wireGuard.getAddress());
    UdpSocketOptions options = UdpSocketOptions.bind(new InetSocketAddress(local, 0))
        .connectedTo(wireGuard)
        .withSendQueueBytes(config.writeTimeout().sendQueueBytes());
    return UdpSocket.open(context, vertx.isNativeTransportEnabled(), options, receiver, this::wireGuardSendFailed);
  }

  private static InetAddress anyAddressLike(InetAddress address) {
    try {
      return InetAddress.getByName(address instanceof java.net.Inet6Address ? "::" : "0.0.0.0");
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads the local WireGuard's public key (from the configuration, else {@code wg show}) for the mac1 check, and its
   * peers' keys by endpoint (each is one of our peer sockets) for the page.
   */
  private void lookAtWireGuard(boolean first) {
    int port = wireGuardAddress.getPort();
    boolean local = wireGuardAddress.getAddress().isLoopbackAddress();
    vertx.executeBlocking(() -> local ? WireGuardShow.read(port) : null).onSuccess(show -> {
      byte[] key = config.wireGuardPublicKey() != null ? config.wireGuardPublicKey()
          : show == null ? null : show.publicKey();
      boolean had = mac1 != null;
      mac1 = key == null ? null : Mac1.checker(key);
      peerKeys = show == null ? java.util.Map.of() : show.peerKeyByEndpoint();
      if (first || had != (mac1 != null)) {
        LOG.info(mac1 != null
            ? "mac1 check on: initiations not made for the local WireGuard's public key ("
                + (config.wireGuardPublicKey() != null ? "server.wireGuardPublicKey" : "wg show " + show.interfaceName())
                + ") are dropped before they reach it"
            : "mac1 check off: set server.wireGuardPublicKey (or let rengarde-server run `wg show`) to drop junk "
                + "initiations before they reach WireGuard");
      }
    });
  }

  // ---- the packet path

  /** {@code via}: the socket that read it (the listen socket, or the sender's own member socket). */
  private void fromClient(ByteBuf datagram, InetSocketAddress sender, UdpSocket via) {
    long now = System.nanoTime();
    if (!peers) {
      flat.fromClient(datagram, sender, now, config.duplicateFilter());
      return;
    }
    if (mac1 != null && datagram.readableBytes() > 0 && !mac1Holds(datagram)) {
      refusedBadMac1++;
      return;
    }
    Route route = table.fromClient(sender, datagram, now);
    if (!route.forward()) {
      refusedDatagrams++;
      return;
    }
    Peer peer = route.peer();
    PeerAddress from = route.sender();
    if (via != null && (!from.isMember() || from.local() == null)) {
      boolean unknown = from.local() == null;
      InetSocketAddress recipient = via.lastRecipient();
      // The wildcard: an IPv6 datagram to an address that has no listen socket of its own yet. Unknown until then.
      if (!recipient.getAddress().isAnyLocalAddress()) {
        from.local(recipient);
        if (from.isMember() && unknown) {
          // Admitted by this very datagram (a copy of an initiation WireGuard already answered, as a slower link's
          // is): the table told memberAdded before its local address was known.
          openMemberSocket(from);
        }
      }
    }
    int length = datagram.readableBytes();
    from.counters().received(length, now);
    if (route.copy()) {
      // Each handshake WireGuard processes costs it two DH operations and a place in its per-address rate limit.
      duplicatesDropped++;
      byte[] answer = route.answer();
      if (answer != null) {
        replySocket(from).send(io.netty.buffer.Unpooled.copiedBuffer(answer), sender);
        lateAnswers++;
      }
      return;
    }
    PeerPath path = pathOf(peer);
    if (from.isMember()) {
      if (from.stale()) {
        from.stale(false);
        path.tracked.linkUp(from.slot());
      }
      Verdict verdict = duplicates.arrive(path.tracked, datagram, from.slot(), now);
      if (verdict == Verdict.DUPLICATE && config.duplicateFilter()) {
        duplicatesDropped++;
        return;
      }
      alteredForwarded += verdict == Verdict.ALTERED ? 1 : 0;
      if (verdict == Verdict.FIRST) {
        path.tunnelLoss.transport(datagram, now);
        InetSocketAddress candidate = path.probes.match(datagram, probeHash, now);
        if (candidate != null) {
          // A candidate delivered these bytes first (and WireGuard has them): it is on the client's path.
          table.provenCopy(candidate, now);
          duplicatesDropped++;
          return;
        }
      }
    } else if (duplicates.isCopy(path.tracked, datagram)) {
      table.provenCopy(sender, now);
      duplicatesDropped++;
      return;
    }
    if (path.socket == null) {
      path.hold(UdpSocket.keep(datagram));
      if (route.opensPeer()) {
        openPeerSocket(peer, path);
      }
      return;
    }
    if (path.socket.send(UdpSocket.keep(datagram))) {
      path.toWireGuard.sent(length);
      if (from.role() == PeerAddress.Role.CANDIDATE) {
        path.probes.offer(sender, datagram, probeHash, now);
      }
    } else {
      path.toWireGuard.drops++;
    }
  }

  /** A client's initiation or response must carry a mac1 made with the local WireGuard's key; others pass. */
  private boolean mac1Holds(ByteBuf datagram) {
    int type = datagram.getByte(datagram.readerIndex());
    if (type != WireGuardShape.HANDSHAKE_INITIATION && type != WireGuardShape.HANDSHAKE_RESPONSE) {
      return true;
    }
    return mac1.valid(datagram);
  }

  /** A datagram WireGuard sent on {@code peer}'s socket goes to the addresses the table names. */
  private void fromWireGuard(Peer peer, ByteBuf datagram) {
    long now = System.nanoTime();
    PeerPath path = (PeerPath) peer.attachment();
    int length = datagram.readableBytes();
    if (path != null) {
      path.toWireGuard.received(length, now);
    }
    Recipients to = table.fromWireGuard(peer, datagram, now);
    if (to.count() == 0) {
      return;
    }
    // The copies wait for the members' flush, after this whole batch of reads. Each peer socket reads into a
    // buffer of its own (16 x 64 KiB for recvmmsg): kept by its copies, a burst over 1,000 peers would pin 1,000 of
    // them (1 GB of direct memory). A small datagram moves to a buffer of its size first, once for all its copies.
    ByteBuf kept = UdpSocket.keep(datagram);
    for (int i = 0, n = to.count(); i < n; i++) {
      PeerAddress a = to.get(i);
      if (replySocket(a).send(kept.retainedDuplicate(), a.address())) {
        a.counters().sent(length);
      } else {
        a.counters().drops++;
      }
    }
    kept.release();
  }

  private PeerPath pathOf(Peer peer) {
    PeerPath path = (PeerPath) peer.attachment();
    if (path == null) {
      path = new PeerPath(duplicates.newPeer(), new CounterGapTracker(DUPLICATE_WINDOW_NANOS, STATS_WINDOW_SECONDS),
          new CandidateProbes(DUPLICATE_WINDOW_NANOS));
      peer.attach(path);
    }
    return path;
  }

  /**
   * A peer's WireGuard-facing socket. With WireGuard on IPv4 loopback each peer gets an address of its own in
   * 127/8; IPv6 has one loopback address, so with dstAddr [::1] every peer's socket is on ::1 (its own port), and
   * WireGuard's per-address handshake limit is shared: prefer dstAddr 127.0.0.1, which a WireGuard listening on
   * both families takes as well.
   */
  private void openPeerSocket(Peer peer, PeerPath path) {
    InetAddress wireGuard = wireGuardAddress.getAddress();
    path.loopback = wireGuard.isLoopbackAddress() && wireGuard instanceof java.net.Inet4Address
        ? loopbacks.acquire(System.nanoTime()) : null;
    openWireGuardSocket(wireGuardAddress, path.loopback, (d, from) -> fromWireGuard(peer, d))
        .onSuccess(socket -> {
          if (path.closed) {
            socket.close(context);
            return;
          }
          path.opened(socket);
        })
        .onFailure(e -> {
          socketFailures++;
          Level level = ++peerSocketFailures == 1 ? Level.WARNING : Level.FINE;
          LOG.log(level, () -> "cannot open a WireGuard-facing socket for peer " + peer.id() + ", refused: "
              + e.getMessage() + (level == Level.WARNING ? FAILURES_COUNTED + " \"socketFailures\")" : ""));
          path.discardWaiting();
          table.close(peer);
        });
  }

  // ---- what the peer table tells

  @Override
  public void memberAdded(PeerAddress member, Admission how) {
    LOG.info("New client connected: '" + member.text() + "' (peer " + member.peer().id() + ", "
        + how.name().toLowerCase(java.util.Locale.ROOT) + ")");
    PeerPath path = pathOf(member.peer());
    path.tracked.forget(member.slot());
    path.tracked.linkUp(member.slot());
    openMemberSocket(member);
  }

  @Override
  public void memberRemoved(PeerAddress member, Removal why) {
    if (why == Removal.EXPIRED) {
      LOG.info("Client '" + member.text() + "' timed out");
    }
    PeerPath path = (PeerPath) member.peer().attachment();
    if (path != null && member.slot() >= 0) {
      path.tracked.linkDown(member.slot());
    }
    if (member.attachment() instanceof UdpSocket own) {
      member.attach(null);
      own.close(context);
    }
  }

  @Override
  public void peerClosed(Peer peer) {
    PeerPath path = (PeerPath) peer.attachment();
    if (path == null || path.closed) {
      return;
    }
    path.closed = true;
    path.discardWaiting();
    duplicates.remove(path.tracked);
    if (path.socket != null) {
      path.socket.close(context);
    }
    if (path.loopback != null) {
      // Held back only if WireGuard may have seen it: a socket that never opened cost nothing to remember, so
      // failures (EMFILE) under a flood of initiations fill no quarantine.
      loopbacks.release(path.loopback, System.nanoTime(), path.socket != null);
    }
  }

  @Override
  public void limitReached(Limit limit) {
    String peers = " (" + limits.maxPeers() + " peers" + (limits.maxPeers() < PeerLimits.DEFAULT.maxPeers()
        ? ", what a heap of " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB holds: raise -Xmx through "
            + "RENGARDE_JAVA_OPTS for more)" : ")");
    LOG.warning("Peer limit reached: " + limit + (limit == Limit.PEERS ? peers : "")
        + "; further datagrams past it are refused and counted (see get-list \"limits\")");
  }

  // ---- failures, expiry, reload

  private void clientSendFailed(SendFailure failure, Throwable cause) {
    LOG.fine(() -> "send to a client address failed: " + cause.getMessage());
  }

  private void wireGuardSendFailed(SendFailure failure, Throwable cause) {
    socketFailures++;
    LOG.fine(() -> "send to WireGuard failed: " + cause.getMessage());
  }

  private void expire() {
    long now = System.nanoTime();
    duplicates.expire(now);
    if (peers) {
      table.expire(now);
      markStale(now);
    } else {
      flat.expire(now);
    }
  }

  /** A member silent this long while another member of its peer is heard is stale (see {@link PeerAddress#stale}). */
  static final long STALE_NANOS = 3_000_000_000L;

  private void markStale(long now) {
    for (Peer p : table.peers()) {
      PeerPath path = (PeerPath) p.attachment();
      if (path == null || p.memberCount() < 2) {
        continue;
      }
      boolean someoneHeard = false;
      for (int i = 0; i < p.memberCount(); i++) {
        someoneHeard |= now - p.member(i).lastSeenNanos() < STALE_NANOS;
      }
      for (int i = 0; i < p.memberCount(); i++) {
        PeerAddress m = p.member(i);
        if (someoneHeard && !m.stale() && now - m.lastSeenNanos() >= STALE_NANOS) {
          m.stale(true);
          path.tracked.linkDown(m.slot());
        }
      }
    }
  }

  /**
   * Hot reload: timeouts and the duplicate filter at once; a new listenAddr by rebinding, one replacement after the
   * other. A changed dstAddr or wireGuardFilter re-creates this verticle ({@code RengardeVerticle}).
   */
  private void applyConfig(ServerConfig next) {
    config = next;
    long timeout = TimeUnit.SECONDS.toNanos(next.clientTimeoutSeconds());
    table.setClientTimeoutNanos(timeout);
    if (flat != null) {
      flat.setTimeoutNanos(timeout);
    }
    clientSocket.current().setSendQueueBytes(next.writeTimeout().sendQueueBytes());
    if (!next.listenAddr().equals(wantedListen)) {
      wantedListen = next.listenAddr();
      vertx.executeBlocking(() -> next.listenAddr().resolve())
          .compose(address -> clientSocket.replace(context, address, this::openClientSocket))
          .compose(socket -> restartIpv6Listeners(socket.localAddress()).map(socket))
          .onSuccess(socket -> {
            LOG.info("Listening on " + next.listenAddr() + " (was " + listening + ")");
            listening = next.listenAddr();
          })
          .onFailure(e -> {
            if (next.listenAddr().equals(wantedListen)) {
              wantedListen = listening;
              LOG.severe("server.listenAddr " + next.listenAddr() + ": " + e.getMessage() + "; still listening on "
                  + listening);
            }
          });
    }
  }

  /** After a new listenAddr: the IPv6 listeners follow the new port, or go. */
  private Future<Void> restartIpv6Listeners(InetSocketAddress listen) {
    vertx.cancelTimer(ipv6Timer);
    Future<Void> closed = ipv6Listeners == null ? Future.succeededFuture() : ipv6Listeners.close(context);
    ipv6Listeners = null;
    return peers ? closed.compose(v -> listenOnEachIpv6Address(listen)) : closed;
  }

  // ---- status

  /**
   * A status document being built: the peers are taken {@value #STATUS_SLICE} at a time, one turn of the event loop
   * each, so that datagrams wait a few milliseconds at most while it is made, not the tens of milliseconds 1,000
   * peers take at once (each second, while a page or the meters ask).
   */
  private static final int STATUS_SLICE = 64;

  private static final class StatusBuild {
    final Message<Object> request;
    final Peer[] peers;
    final JsonArray sockets = new JsonArray();
    final JsonArray peerList = new JsonArray();
    final TrafficCounters wireGuard = new TrafficCounters();
    int next;

    StatusBuild(Message<Object> request, Peer[] peers) {
      this.request = request;
      this.peers = peers;
    }
  }

  /** Everything the web manager shows about the relay, taken on this event loop. */
  private void replyStatus(Message<Object> request) {
    if (!peers) {
      request.reply(status(null, System.nanoTime()), HandedOverJson.OPTIONS);
      return;
    }
    statusSlice(new StatusBuild(request, table.peers().toArray(new Peer[0])));
  }

  private void statusSlice(StatusBuild build) {
    long now = System.nanoTime();
    for (int n = 0; n < STATUS_SLICE && build.next < build.peers.length; n++) {
      peerStatus(build, build.peers[build.next++], now);
    }
    if (build.next < build.peers.length) {
      context.runOnContext(v -> statusSlice(build));
    } else {
      build.request.reply(status(build, now), HandedOverJson.OPTIONS);
    }
  }

  /** The relay's own figures around the peers already in {@code build} (null for the flat relay). */
  private JsonObject status(StatusBuild build, long now) {
    duplicates.expire(now);
    JsonObject out = new JsonObject()
        .put("refusedDatagrams", refusedDatagrams + (flat == null ? 0 : flat.refused()))
        .put("duplicateFilter", config.duplicateFilter())
        .put("duplicatesDropped", duplicatesDropped + (flat == null ? 0 : flat.duplicatesDropped()))
        .put("alteredForwarded", alteredForwarded)
        .put("strayDatagrams", strayDatagrams)
        .put("packetMemoryBytes", UdpSocket.packetMemoryBytes())
        .put("listenPort", clientSocket.current().localAddress().getPort())
        .put("listenSocket", clientSocket.current().addKernelFigures(new JsonObject()));
    if (ipv6Listeners != null) {
      out.put("ipv6ListenAddresses", ipv6Listeners.addresses());
    }
    if (!peers) {
      return flat.status(out, now);
    }
    JsonObject limits = new JsonObject();
    for (Limit l : Limit.values()) {
      limits.put(l.name().toLowerCase(java.util.Locale.ROOT), table.count(l));
    }
    return out.put("sockets", build.sockets)
        .put("peers", build.peerList)
        .put("wireGuard", build.wireGuard.snapshot())
        .put("limits", limits)
        .put("tentativePeers", table.tentativeCount())
        .put("candidates", table.candidateCount())
        .put("addresses", table.addressCount())
        .put("refusedNotWireGuard", table.refusedNotWireGuard())
        .put("refusedUnknownIndex", table.refusedUnknownIndex())
        .put("socketFailures", socketFailures)
        .put("mac1Check", mac1 != null)
        .put("refusedBadMac1", refusedBadMac1)
        .put("memberSocketFailures", memberSocketFailures)
        .put("lateHandshakeAnswers", lateAnswers);
  }

  /** One peer's entry (and its members' in engarde's sockets list); closed and merged peers have none. */
  private void peerStatus(StatusBuild build, Peer p, long now) {
    if (p.state() == Peer.State.CLOSED || p.state() == Peer.State.MERGED) {
      return;
    }
    PeerPath path = (PeerPath) p.attachment();
    JsonArray members = new JsonArray();
    for (int i = 0; i < p.memberCount(); i++) {
      PeerAddress m = p.member(i);
      if (!table.isLive(m, now)) {
        continue;
      }
      JsonObject entry = new JsonObject()
          .put("address", m.text())
          .put("last", m.counters().secondsSinceReceived(now))
          .put("stale", m.stale())
          .put("stats", m.counters().snapshot());
      if (path != null) {
        entry.put("quality", path.tracked.snapshot(m.slot(), now));
      }
      if (m.attachment() instanceof UdpSocket own) {
        entry.put("socket", own.addKernelFigures(new JsonObject()));
      }
      // engarde's list keeps the figures too: the page and /metrics read each address's from there, as without the
      // filter.
      build.sockets.add(entry);
      members.add(entry.copy());
    }
    JsonObject peer = new JsonObject()
        .put("id", p.id())
        .put("state", p.state().name().toLowerCase(java.util.Locale.ROOT))
        .put("ageSeconds", (now - p.createdNanos()) / 1_000_000_000L)
        .put("addresses", members)
        .put("candidates", p.candidateCount());
    if (path != null) {
      add(build.wireGuard, path.toWireGuard);
      peer.put("wireGuard", path.toWireGuard.snapshot())
          .put("tunnelLoss", path.tunnelLoss.snapshot(now));
      if (path.socket != null) {
        String endpoint = org.rengarde.config.HostPort.format(path.socket.localAddress());
        peer.put("socket", endpoint);
        String key = peerKeys.get(endpoint);
        if (key != null) {
          peer.put("publicKey", key);
        }
        path.socket.addKernelFigures(peer.getJsonObject("wireGuard"));
      }
    }
    build.peerList.add(peer);
  }

  private static void add(TrafficCounters sum, TrafficCounters part) {
    sum.datagramsIn += part.datagramsIn;
    sum.bytesIn += part.bytesIn;
    sum.datagramsOut += part.datagramsOut;
    sum.bytesOut += part.bytesOut;
    sum.drops += part.drops;
    sum.sendErrors += part.sendErrors;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(expiryTimer);
    vertx.cancelTimer(showTimer);
    vertx.cancelTimer(ipv6Timer);
    Future<Void> consumer = statusConsumer == null ? Future.succeededFuture() : statusConsumer.unregister();
    if (configConsumer != null) {
      configConsumer.unregister();
    }
    for (Peer p : table.peers()) {
      for (int i = 0; i < p.memberCount(); i++) {
        if (p.member(i).attachment() instanceof UdpSocket own) {
          own.close(context);
        }
      }
      peerClosed(p);
    }
    Future<Void> a = clientSocket == null ? Future.succeededFuture() : clientSocket.close(context);
    Future<Void> b = flat == null ? Future.succeededFuture() : flat.close(context);
    Future<Void> c = ipv6Listeners == null ? Future.succeededFuture() : ipv6Listeners.close(context);
    return Future.join(consumer, a, b, c);
  }
}
