package org.rengarde.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.WrappedByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.RawUnixChannelOption;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import org.rengarde.config.HostPort;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One UDP socket on the event loop of the verticle that opens it: the only class that knows Netty channels.
 *
 * <p>Batch-native where the native transport allows, in one of two read modes. A socket facing a link reads with
 * UDP GRO: a train of datagrams from one sender (our peer's GSO send, or the NIC's coalescing) comes in one
 * {@code recvmsg} of up to 64 KiB and is split into its datagrams. A socket facing WireGuard on this machine reads up
 * to {@value #READ_SLOTS} datagrams per {@code recvmmsg}, each into a 64 KiB slot (any datagram up to 65,507 bytes
 * fits whole). The two are not combined: Netty 4.2.9's {@code recvmmsg} passes no control-message buffer to the
 * kernel when IP_RECVORIGDSTADDR is off, so it cannot see GRO's segment size, and a coalesced train would come up as
 * one large datagram (measured: eight 1,400-byte datagrams read as one of 11,200 bytes). Sends are flushed once per
 * batch (one {@code sendmmsg}) as soon as the batch of reads that caused them is handled ({@link UnflushedSockets}),
 * and on a socket given a segment size, runs of equal-size datagrams to the one peer
 * leave as one GSO send. A socket connected to its only peer skips the route lookup per send and never reads a
 * stranger's datagram. Sends never block: a copy is dropped when the kernel and a small queue are full. Optionally
 * bound to a device ({@link DeviceBinding}) so its packets leave through it.
 *
 * <p>Buffer ownership: {@link Receiver#onDatagram} borrows the buffer for the duration of the call; a receiver that
 * keeps it takes it with {@link #keep}. {@link #send} takes ownership of the buffer it is given, whatever happens to
 * it.
 *
 * <p>All methods must be called on the owning verticle's event loop; the callbacks run there too, inside the
 * verticle's context (so timers, the event bus and promises behave as in any handler).
 */
public final class UdpSocket {
  private static final Logger LOG = Logger.getLogger(UdpSocket.class.getName());

  /** Receives datagrams; the buffer is released after the call returns. */
  public interface Receiver {
    void onDatagram(ByteBuf content, InetSocketAddress sender);
  }

  /** Told about each send the kernel refused. */
  public interface FailureListener {
    void onSendFailure(SendFailure failure, Throwable cause);
  }

  /** Largest UDP payload over IPv4; the receive buffer takes it whole. */
  public static final int MAX_DATAGRAM = 65_507;
  /** One read slot: a datagram of any size, or a GRO train (at most 64 KiB together). */
  private static final int READ_SLOT = 65_536;
  /** Datagrams one recvmmsg may bring: one read batch, one event-bus message. */
  static final int READ_SLOTS = 16;
  /**
   * A datagram this small that a receiver keeps is moved out of its read buffer (one copy of at most 8 KiB): a
   * queue of small datagrams would otherwise pin a whole read buffer each. Duplicates dropped at the read cost no
   * copy.
   */
  private static final int COMPACT_BELOW = 8 * 1024;
  private static final int KERNEL_BUFFER_BYTES = 4 * 1024 * 1024;
  /** GSO: at most this many segments (the kernel's UDP_MAX_SEGMENTS) and bytes in one send. */
  private static final int MAX_SEGMENTS = 64;
  private static final int MAX_SEGMENTED_BYTES = 63 * 1024;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVBUFFORCE = 33;
  private static final int SO_SNDBUFFORCE = 32;
  private static final int SO_MEMINFO = 55;
  /** struct sk_meminfo: u32[9]; the last is SK_MEMINFO_DROPS, the datagrams the kernel dropped on this socket. */
  private static final int MEMINFO_BYTES = 9 * 4;
  private static final int MEMINFO_DROPS_OFFSET = 8 * 4;
  private static final IntegerUnixChannelOption RCVBUF_FORCE =
      new IntegerUnixChannelOption("SO_RCVBUFFORCE", SOL_SOCKET, SO_RCVBUFFORCE);
  private static final int IPPROTO_IPV6 = 41;
  private static final int IPV6_V6ONLY = 26;
  /** Off: a socket on [::] takes IPv4 too, whatever net.ipv6.bindv6only says. */
  private static final IntegerUnixChannelOption V6ONLY =
      new IntegerUnixChannelOption("IPV6_V6ONLY", IPPROTO_IPV6, IPV6_V6ONLY);
  private static final IntegerUnixChannelOption SNDBUF_FORCE =
      new IntegerUnixChannelOption("SO_SNDBUFFORCE", SOL_SOCKET, SO_SNDBUFFORCE);
  private static final RawUnixChannelOption MEMINFO =
      new RawUnixChannelOption("SO_MEMINFO", SOL_SOCKET, SO_MEMINFO, MEMINFO_BYTES);
  /**
   * The packet path's own pool: read buffers of {@value #READ_SLOTS} x 64 KiB are pooled whatever the JVM's heap
   * size (Netty's default allocator stops pooling at 256 KiB on small heaps), in 2 MiB chunks.
   */
  static final ByteBufAllocator PACKET_ALLOCATOR = new PooledByteBufAllocator(true, 0, 1, 8192, 8, 256, 64, true, 0);

  private final Channel channel;
  private final boolean connected;
  private final InetSocketAddress peer;
  /** The last flush left datagrams queued: new ones wait there in buffers of their own ({@link #detached}). */
  private boolean backlogged;
  private boolean flushScheduled;
  private long failed;
  private long accepted;
  private long offered;
  private int maxSegmentBytes;
  private final ByteBuf[] run;
  private int runLength;
  private long segmentedSends;
  private long refusedByPeer;
  /** The local address the datagram being handled was sent to; see {@link #lastRecipient}. */
  private InetSocketAddress lastRecipient;
  private int receiveBufferBytes = -1;
  private Handler handler;
  /** The address bound, kept: a status request handled after the close still reads it (Netty gives null then). */
  private InetSocketAddress boundAddress;

  private UdpSocket(Channel channel, UdpSocketOptions options, boolean gso) {
    this.channel = channel;
    this.peer = options.connectTo();
    this.connected = peer != null;
    this.maxSegmentBytes = gso ? options.maxSegmentBytes() : 0;
    this.run = maxSegmentBytes > 0 ? new ByteBuf[MAX_SEGMENTS] : null;
  }

  /**
   * Opens a socket on {@code context}'s event loop. Fails with a message naming the address or device when the
   * bind, the connect or the device binding is refused.
   */
  public static Future<UdpSocket> open(Context context, boolean nativeTransport, UdpSocketOptions options,
                                       Receiver receiver, FailureListener failures) {
    return open(context, nativeTransport, options, receiver, failures, null);
  }

  /**
   * As above; {@code readComplete} (may be null) runs after each batch of datagrams one wake-up of the socket read,
   * so a receiver can hand them on together.
   */
  public static Future<UdpSocket> open(Context context, boolean nativeTransport, UdpSocketOptions options,
                                       Receiver receiver, FailureListener failures, Runnable readComplete) {
    ContextInternal ctx = (ContextInternal) context;
    EventLoop loop = ctx.nettyEventLoop();
    Promise<UdpSocket> promise = ctx.promise();
    Channel channel;
    try {
      channel = newChannel(nativeTransport, options);
    } catch (RuntimeException e) {
      promise.fail(e);
      return promise.future();
    }
    boolean gso = options.maxSegmentBytes() > 0 && nativeTransport && gsoUsable();
    UdpSocket socket = new UdpSocket(channel, options, gso);
    socket.handler = socket.new Handler(ctx, receiver, failures, readComplete);
    channel.pipeline().addLast(socket.handler);
    loop.register(channel).addListener(registered -> {
      if (!registered.isSuccess()) {
        channel.close();
        promise.fail(registered.cause());
        return;
      }
      channel.bind(options.bindAddress()).addListener(bound -> {
        if (!bound.isSuccess()) {
          channel.close();
          promise.fail(new java.io.IOException("cannot bind UDP socket to " + describe(options) + ": "
              + bound.cause().getMessage(), bound.cause()));
        } else if (options.connectTo() == null) {
          promise.complete(socket.opened());
        } else {
          channel.connect(options.connectTo()).addListener(done -> {
            if (done.isSuccess()) {
              promise.complete(socket.opened());
            } else {
              channel.close();
              promise.fail(new java.io.IOException("cannot connect UDP socket " + describe(options) + " to "
                  + HostPort.format(options.connectTo()) + ": " + done.cause().getMessage(), done.cause()));
            }
          });
        }
      });
    });
    return promise.future();
  }

  private static boolean gsoUsable() {
    if (!SocketFeatures.segmentedSendSupported()) {
      SocketFeatures.gsoUnavailable("the kernel or the native transport lacks UDP_SEGMENT");
      return false;
    }
    return true;
  }

  /**
   * Replaces {@code current} by the socket {@code open} makes on {@code next}: the new one opens before the old one
   * closes, so nothing is refused in between, except on the same port, where the old one must go first (no
   * SO_REUSEADDR). Completes with the new socket, the old one closed; on failure the message says whether the old
   * one is still open. Callers that may replace again before this completes go through {@link SocketSlot}.
   */
  public static Future<UdpSocket> replace(Context context, UdpSocket current, InetSocketAddress next,
                                          Function<InetSocketAddress, Future<UdpSocket>> open) {
    boolean samePort = current.localAddress().getPort() == next.getPort();
    Future<Void> freed = samePort ? current.close(context) : Future.succeededFuture();
    return freed.compose(v -> open.apply(next))
        .recover(e -> Future.failedFuture(e.getMessage() + (samePort ? "; the old socket on the same port is closed"
            : "; the old socket stays open")))
        .onSuccess(fresh -> current.close(context));
  }

  private static Channel newChannel(boolean nativeTransport, UdpSocketOptions options) {
    Channel channel = nativeTransport ? new EpollDatagramChannel(familyOf(options.bindAddress()))
        : new NioDatagramChannel();
    var config = channel.config();
    config.setAllocator(PACKET_ALLOCATOR);
    config.setWriteBufferWaterMark(new WriteBufferWaterMark(options.sendQueueBytes() / 2, options.sendQueueBytes()));
    config.setAutoClose(false);
    if (nativeTransport) {
      configureNative(channel, options.coalescing() || options.learnsDestination());
      if (options.sharedPort()) {
        config.setOption(io.netty.channel.unix.UnixChannelOption.SO_REUSEPORT, true);
      }
      if (options.bindAddress().getAddress() instanceof java.net.Inet6Address v6 && v6.isAnyLocalAddress()) {
        config.setOption(V6ONLY, 0);
      }
      if (options.learnsDestination()) {
        config.setOption(EpollChannelOption.IP_RECVORIGDSTADDR, true);
      }
    } else {
      config.setOption(ChannelOption.SO_RCVBUF, KERNEL_BUFFER_BYTES);
      config.setOption(ChannelOption.SO_SNDBUF, KERNEL_BUFFER_BYTES);
      config.setRecvByteBufAllocator(new FixedRecvByteBufAllocator(READ_SLOT));
    }
    if (options.device() != null) {
      try {
        DeviceBinding.bind(channel, options.device(), nativeTransport);
      } catch (RuntimeException e) {
        // not registered yet: close() would throw instead of freeing the descriptor
        channel.unsafe().closeForcibly();
        throw e;
      }
    }
    return channel;
  }

  /**
   * Kernel buffers beyond net.core.rmem_max where the process may (SO_RCVBUFFORCE: a stall of the event loop is
   * then absorbed instead of dropping on every link at once); GRO reads (recvmsg, with control messages, which also
   * carry IP_RECVORIGDSTADDR's address) or recvmmsg into 64 KiB slots.
   */
  private static void configureNative(Channel channel, boolean coalescing) {
    var config = channel.config();
    try {
      config.setOption(RCVBUF_FORCE, KERNEL_BUFFER_BYTES);
      config.setOption(SNDBUF_FORCE, KERNEL_BUFFER_BYTES);
    } catch (RuntimeException refused) {
      config.setOption(ChannelOption.SO_RCVBUF, KERNEL_BUFFER_BYTES);
      config.setOption(ChannelOption.SO_SNDBUF, KERNEL_BUFFER_BYTES);
      SocketFeatures.bufferForceRefused(config.getOption(ChannelOption.SO_RCVBUF));
    }
    if (!coalescing) {
      config.setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, READ_SLOT);
      config.setRecvByteBufAllocator(new FixedRecvByteBufAllocator(READ_SLOT * READ_SLOTS));
      return;
    }
    config.setRecvByteBufAllocator(new FixedRecvByteBufAllocator(READ_SLOT));
    try {
      config.setOption(EpollChannelOption.UDP_GRO, true);
    } catch (RuntimeException refused) {
      SocketFeatures.groRefused(refused);
    }
  }

  /**
   * An IPv4 socket for an IPv4 address (not a dual-stack IPv6 one: IPv4 socket options then apply as such), an
   * IPv6 one for an IPv6 address; on {@code [::]} it is dual-stack (IPV6_V6ONLY off), and IPv4 senders arrive as
   * {@link java.net.Inet4Address}es (Netty unmaps them), so one client address has one form.
   */
  private static io.netty.channel.socket.SocketProtocolFamily familyOf(InetSocketAddress address) {
    return address.getAddress() instanceof java.net.Inet6Address
        ? io.netty.channel.socket.SocketProtocolFamily.INET6 : io.netty.channel.socket.SocketProtocolFamily.INET;
  }

  private static String describe(UdpSocketOptions options) {
    return HostPort.format(options.bindAddress())
        + (options.device() == null ? "" : " on device " + options.device());
  }

  /**
   * Fails when another socket holds {@code address} already. A socket that shares its port (SO_REUSEPORT) would
   * bind beside it without a word and split its datagrams with it, so a second server started on the same port is
   * caught here, by a plain bind, before the shared socket is made. Blocking (a bind and a close): off the event loop.
   */
  public static void ensureFree(InetSocketAddress address) throws java.io.IOException {
    try (java.net.DatagramSocket probe = new java.net.DatagramSocket(null)) {
      probe.setReuseAddress(false);
      probe.bind(address);
    } catch (java.net.BindException e) {
      throw new java.io.IOException("cannot bind UDP socket to " + HostPort.format(address) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Takes ownership of a datagram a {@link Receiver} was lent: a small one is moved out of the read buffer it shares
   * with others, so that keeping it does not pin that buffer, next to the datagrams kept before it on this loop
   * ({@link KeptBytes}); a large one is retained as it is.
   */
  public static ByteBuf keep(ByteBuf borrowed) {
    int length = borrowed.readableBytes();
    if (length <= COMPACT_BELOW && (borrowed.unwrap() != null || borrowed.capacity() > length)) {
      return KeptBytes.copy(PACKET_ALLOCATOR, borrowed);
    }
    return borrowed.retain();
  }

  /** Sends {@code data} (ownership passes here) to the socket's connected peer. */
  public boolean send(ByteBuf data) {
    return send(data, peer);
  }

  /**
   * Sends {@code data} (ownership passes here) to {@code destination}. Returns false when the copy was dropped
   * because the socket's queue is full; a kernel refusal is reported later to the failure listener. On a connected
   * socket the destination is its peer whatever is given.
   */
  public boolean send(ByteBuf data, InetSocketAddress destination) {
    if (!channel.isWritable()) {
      // The queue also holds what waits for the batch's flush, which the kernel has not been offered yet (a
      // server's fan-out of one read batch to every member can pass the bound alone): offer it before dropping.
      flush();
      if (!channel.isWritable()) {
        data.release();
        return false;
      }
    }
    accepted++;
    if (backlogged) {
      data = detached(data);
    }
    if (run != null) {
      addToRun(data);
    } else {
      channel.write(connected ? data : new DatagramPacket(data, destination), channel.voidPromise());
    }
    if (!flushScheduled) {
      flushScheduled = true;
      UnflushedSockets.ofThisLoop().add(this, channel.eventLoop());
    }
    return true;
  }

  /** GSO: datagrams wait for the flush in a run; a run ends where a datagram is larger than its first. */
  private void addToRun(ByteBuf data) {
    int length = data.readableBytes();
    if (runLength > 0) {
      int segment = run[0].readableBytes();
      int last = run[runLength - 1].readableBytes();
      boolean fits = length <= segment && last == segment && runLength < MAX_SEGMENTS
          && (runLength + 1L) * segment <= MAX_SEGMENTED_BYTES;
      if (!fits) {
        writeRun();
      }
    }
    run[runLength++] = data;
  }

  /**
   * A GSO send's promise, which knows how many datagrams it carries: a refused train counts each of them as failed,
   * as the same datagrams sent one by one would, so a link whose every send fails is seen as such (a health check
   * comparing datagrams sent with failures would otherwise see one failure for many datagrams, and a healthy link).
   * One per GSO send, that is per batch of up to {@value #MAX_SEGMENTS} datagrams.
   */
  private final class TrainPromise extends DefaultChannelPromise {
    final int datagrams;

    TrainPromise(int datagrams) {
      super(channel);
      this.datagrams = datagrams;
      addListener(trainDone);
    }
  }

  private final ChannelFutureListener trainDone = f -> {
    if (!f.isSuccess()) {
      handler.sendFailed(f.cause(), ((TrainPromise) f).datagrams);
    }
  };

  /**
   * The run as one send: a single datagram as it is, several as one segmented datagram. Where they lie side by
   * side in one buffer, as {@link #keep} leaves a read batch, in one stretch or two (a batch that began near the end
   * of a chunk), each stretch leaves as one retained slice of that buffer (one span of memory); otherwise as a
   * composite buffer, which costs a component and two NIO views per datagram.
   */
  private void writeRun() {
    if (runLength == 0) {
      return;
    }
    int segment = run[0].readableBytes();
    if (runLength == 1 || segment > maxSegmentBytes || segment == 0) {
      for (int i = 0; i < runLength; i++) {
        channel.write(run[i], channel.voidPromise());
        run[i] = null;
      }
    } else {
      int first = stretchEnd(0);
      if (first < 0 || first < runLength && stretchEnd(first) < runLength) {
        writeComposite(segment);
      } else {
        writeSpan(0, first, segment);
        if (first < runLength) {
          writeSpan(first, runLength, segment);
        }
      }
    }
    runLength = 0;
  }

  /**
   * Where the stretch of side-by-side datagrams from {@code from} ends, or -1 where that cannot be told or used: a
   * buffer without a memory address, or one a leak detector tracks (a span made under its wrapper would be
   * released behind the tracker's back, which reports it as a leak; the detector samples one chunk in 128 by
   * default, and those batches leave as a composite).
   */
  private int stretchEnd(int from) {
    ByteBuf first = run[from];
    ByteBuf root = first.unwrap();
    if (first instanceof WrappedByteBuf || root == null || !root.hasMemoryAddress() || !first.hasMemoryAddress()) {
      return -1;
    }
    long end = first.memoryAddress() + first.readerIndex() + first.readableBytes();
    int to = from + 1;
    while (to < runLength && !(run[to] instanceof WrappedByteBuf) && run[to].unwrap() == root
        && run[to].memoryAddress() + run[to].readerIndex() == end) {
      end += run[to].readableBytes();
      to++;
    }
    return to;
  }

  /** Datagrams {@code from} to {@code to} (side by side) as one retained slice of their buffer. */
  private void writeSpan(int from, int to, int segment) {
    if (to - from == 1) {
      channel.write(run[from], channel.voidPromise());
      run[from] = null;
      return;
    }
    ByteBuf root = run[from].unwrap();
    int offset = (int) (run[from].memoryAddress() + run[from].readerIndex() - root.memoryAddress());
    int length = 0;
    for (int i = from; i < to; i++) {
      length += run[i].readableBytes();
    }
    ByteBuf span = root.retainedSlice(offset, length);
    for (int i = from; i < to; i++) {
      run[i].release();
      run[i] = null;
    }
    segmentedSends++;
    channel.write(new SegmentedDatagramPacket(span, segment, peer), new TrainPromise(to - from));
  }

  private void writeComposite(int segment) {
    CompositeByteBuf train = PACKET_ALLOCATOR.compositeDirectBuffer(runLength);
    for (int i = 0; i < runLength; i++) {
      train.addComponent(true, run[i]);
      run[i] = null;
    }
    segmentedSends++;
    channel.write(new SegmentedDatagramPacket(train, segment, peer), new TrainPromise(runLength));
  }

  /**
   * The caller has sent what one batch of reads brought (a bus handler at the end of its batch): every socket of
   * this loop written since its last flush is flushed now, each in one sendmmsg where the transport supports it
   * (see {@link UnflushedSockets}). Must be called on an event loop.
   */
  public static void flushWritten() {
    UnflushedSockets.ofThisLoop().flushAll();
  }

  void flushIfWritten() {
    if (flushScheduled) {
      flush();
    }
  }

  /**
   * One flush for all the datagrams written by the handlers of one batch of reads, so the kernel gets them in one
   * sendmmsg where the transport supports it.
   */
  private void flush() {
    flushScheduled = false;
    if (run != null) {
      writeRun();
    }
    channel.flush();
    offered = accepted;
    // anything still queued: the kernel took less than it was offered (a slow interface's full send buffer)
    backlogged = channel.bytesBeforeUnwritable() < channel.config().getWriteBufferHighWaterMark();
  }

  /**
   * A datagram that is to wait in a backlogged queue leaves its chunk ({@link KeptBytes}) for a buffer of its own
   * size: a chunk lives as long as any of its datagrams, and the other datagrams of a chunk (other peers', the other
   * direction's) are long gone, so a slow link's queue of small datagrams would otherwise pin a 64 KiB chunk for
   * each, many times the queue's bound in direct memory. One copy of at most {@value #COMPACT_BELOW} bytes, only
   * while the queue does not drain.
   */
  static ByteBuf detached(ByteBuf data) {
    int length = data.readableBytes();
    if (length > COMPACT_BELOW || !sharesMemory(data, length)) {
      return data;
    }
    ByteBuf alone = PACKET_ALLOCATOR.directBuffer(length, length).writeBytes(data, data.readerIndex(), length);
    data.release();
    return alone;
  }

  /** Whether {@code data} lies in a larger buffer (a chunk, a read buffer), under any slice or leak-detection wrapper. */
  private static boolean sharesMemory(ByteBuf data, int length) {
    ByteBuf root = data;
    for (ByteBuf under = root.unwrap(); under != null; under = root.unwrap()) {
      root = under;
    }
    return root.capacity() > length;
  }

  /** Changes the send queue bound (hot reload of writeTimeout). */
  public void setSendQueueBytes(int bytes) {
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(bytes / 2, bytes));
  }

  public InetSocketAddress localAddress() {
    return boundAddress;
  }

  /** Bound (and connected where asked): what the status reads later is read now, while the socket is open. */
  private UdpSocket opened() {
    boundAddress = (InetSocketAddress) channel.localAddress();
    receiveBufferBytes();
    return this;
  }

  /** Direct memory the packet path's pool holds now (read buffers and kept datagrams), in bytes. */
  public static long packetMemoryBytes() {
    return ((PooledByteBufAllocator) PACKET_ALLOCATOR).metric().usedDirectMemory();
  }

  /** Datagrams the kernel refused (a refused GSO send counts each datagram it carried). */
  public long failed() {
    return failed;
  }

  /**
   * Datagrams offered to the kernel: counted when the flush that sends them returns, as their failures are (Netty
   * reports a refused send during the flush). A health check comparing {@link #failed} with this never sees a
   * datagram sent whose refusal is still to come; one comparing with datagrams accepted by {@link #send} does, and
   * takes a link whose every send fails for a working one (measured: asks to re-create it 1.3-4.3 s late).
   */
  public long offered() {
    return offered;
  }

  /** GSO sends made, each carrying several datagrams. */
  public long segmentedSends() {
    return segmentedSends;
  }

  /** Whether runs of datagrams still leave as GSO sends (off after the route refused one). */
  public boolean segmenting() {
    return run != null && maxSegmentBytes > 0;
  }

  /** Datagrams the kernel dropped on this socket because its receive buffer was full (SO_MEMINFO), or -1. */
  public long kernelDrops() {
    if (!(channel instanceof EpollDatagramChannel) || !channel.isOpen()) {
      return -1;
    }
    try {
      ByteBuffer info = channel.config().getOption(MEMINFO);
      return Integer.toUnsignedLong(info.order(ByteOrder.nativeOrder()).getInt(MEMINFO_DROPS_OFFSET));
    } catch (RuntimeException e) {
      SocketFeatures.meminfoRefused(e);
      return -1;
    }
  }

  /**
   * The socket's kernel figures added to a stats object: {@code kernelDrops} (left out where the kernel does not say)
   * and {@code receiveBufferBytes}.
   */
  public io.vertx.core.json.JsonObject addKernelFigures(io.vertx.core.json.JsonObject stats) {
    long drops = kernelDrops();
    if (drops >= 0) {
      stats.put("kernelDrops", drops);
    }
    return stats.put("receiveBufferBytes", receiveBufferBytes());
  }

  /**
   * The receive buffer the kernel granted, in bytes (it counts its own overhead in it too). Set once when the socket
   * is made, so read once: the server's status asks it of thousands of sockets a second.
   */
  public int receiveBufferBytes() {
    if (receiveBufferBytes < 0 && channel.isOpen()) {
      receiveBufferBytes = channel.config().getOption(ChannelOption.SO_RCVBUF);
    }
    return receiveBufferBytes;
  }

  public Future<Void> close(Context context) {
    Promise<Void> promise = ((ContextInternal) context).promise();
    if (run != null) {
      for (int i = 0; i < runLength; i++) {
        run[i].release();
        run[i] = null;
      }
      runLength = 0;
    }
    channel.close().addListener(f -> promise.complete());
    return promise.future();
  }

  /** The route refused a GSO send (EINVAL: a segment larger than the path takes; EIO: no checksum offload). */
  private void segmentedSendRefused(Throwable cause) {
    if (maxSegmentBytes > 0) {
      maxSegmentBytes = 0;
      LOG.warning("UDP GSO refused on " + HostPort.format(localAddress()) + " -> " + HostPort.format(peer) + " ("
          + cause.getMessage() + "): this socket sends datagram by datagram from now on");
    }
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    private final ContextInternal context;
    private final Receiver receiver;
    private final FailureListener failures;
    private final Runnable readComplete;

    Handler(ContextInternal context, Receiver receiver, FailureListener failures, Runnable readComplete) {
      this.context = context;
      this.receiver = receiver;
      this.failures = failures;
      this.readComplete = readComplete;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (readComplete != null) {
        ContextInternal previous = context.beginDispatch();
        try {
          readComplete.run();
        } finally {
          context.endDispatch(previous);
        }
      }
      // what the batch's datagrams made the receiver send leaves now, not after the loop's other ready sockets
      flushWritten();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      DatagramPacket packet = (DatagramPacket) msg;
      lastRecipient = packet.recipient();
      ContextInternal previous = context.beginDispatch();
      try {
        receiver.onDatagram(packet.content(), packet.sender() != null ? packet.sender() : peer);
      } finally {
        context.endDispatch(previous);
        packet.release();
      }
    }

    /** Send failures arrive here through the void promise; a read error too. Neither closes the socket. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      sendFailed(cause, 1);
    }

    /** A send of {@code datagrams} datagrams (more than one: a GSO train) failed. */
    void sendFailed(Throwable cause, int datagrams) {
      SendFailure failure = SendFailure.of(cause);
      if (failure == SendFailure.REFUSED_BY_PEER) {
        refusedByPeer += datagrams;
      } else {
        failed += datagrams;
      }
      int errno = SendFailure.errno(cause);
      if (segmenting() && (errno == SendFailure.EINVAL || errno == SendFailure.EIO)) {
        segmentedSendRefused(cause);
      }
      ContextInternal previous = context.beginDispatch();
      try {
        failures.onSendFailure(failure, cause);
      } finally {
        context.endDispatch(previous);
      }
    }
  }

  /**
   * During a {@link Receiver} callback: the local address the datagram was sent to (with {@code learnsDestination}
   * on a wildcard-bound socket, the address the sender chose; otherwise the socket's own). Netty 4.2.9's epoll
   * reads IP_ORIGDSTADDR only: for an IPv4 datagram on a dual-stack socket it is known, for an IPv6 one it is the
   * wildcard address (measured; Netty's recvmsg does not parse IPV6_ORIGDSTADDR), so the server binds a socket to
   * each local IPv6 address instead ({@code server.Ipv6Listeners}).
   */
  public InetSocketAddress lastRecipient() {
    return lastRecipient;
  }

  /** ICMP port-unreachable reports the connected peer sent back (its port is closed): not a failure of the link. */
  public long refusedByPeer() {
    return refusedByPeer;
  }
}
