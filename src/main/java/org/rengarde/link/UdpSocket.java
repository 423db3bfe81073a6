package org.rengarde.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One UDP socket on the event loop of the verticle that opens it: the only class that knows Netty channels.
 * Receives any datagram up to 65,507 bytes; sends without ever blocking, dropping a copy when the kernel and a
 * small queue are full; optionally bound to a device with SO_BINDTODEVICE so its packets leave through it.
 *
 * <p>Buffer ownership: {@link Receiver#onDatagram} borrows the buffer for the duration of the call (retain it to keep
 * it); {@link #send} takes ownership of the buffer it is given, whatever happens to it. Datagrams up to 8 KiB are
 * moved into a buffer of their own size first, so a retained one does not pin a 64 KiB receive buffer.
 *
 * <p>All methods must be called on the owning verticle's event loop; the callbacks run there too, inside the
 * verticle's context (so timers, the event bus and promises behave as in any handler).
 */
public final class UdpSocket {

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
  private static final int RECEIVE_BUFFER = 65_536;
  /**
   * A datagram this small is moved out of its 64 KiB receive buffer (one copy of at most 8 KiB) before it is passed
   * on by reference: a queue of small datagrams would otherwise pin 64 KiB each.
   */
  private static final int COMPACT_BELOW = 8 * 1024;
  private static final int KERNEL_BUFFER_BYTES = 4 * 1024 * 1024;
  private static final int SOL_SOCKET = 1;
  private static final int SO_BINDTODEVICE = 25;
  private static final int IFNAMSIZ = 16;
  private static final RawUnixChannelOption BIND_TO_DEVICE =
      new RawUnixChannelOption("SO_BINDTODEVICE", SOL_SOCKET, SO_BINDTODEVICE, IFNAMSIZ);

  private final Channel channel;
  private final Runnable flushTask;
  private boolean flushScheduled;
  private long failed;

  private UdpSocket(Channel channel) {
    this.channel = channel;
    this.flushTask = this::flush;
  }

  /**
   * Opens a socket on {@code context}'s event loop. Fails with a message naming the address or device when the
   * bind or the device binding is refused.
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
    UdpSocket socket = new UdpSocket(channel);
    channel.pipeline().addLast(socket.new Handler(ctx, receiver, failures, readComplete));
    loop.register(channel).addListener(registered -> {
      if (!registered.isSuccess()) {
        channel.close();
        promise.fail(registered.cause());
        return;
      }
      channel.bind(options.bindAddress()).addListener(bound -> {
        if (bound.isSuccess()) {
          promise.complete(socket);
        } else {
          channel.close();
          promise.fail(new java.io.IOException("cannot bind UDP socket to " + describe(options) + ": "
              + bound.cause().getMessage(), bound.cause()));
        }
      });
    });
    return promise.future();
  }

  /**
   * Replaces {@code current} by the socket {@code open} makes on {@code next}: the new one opens before the old one
   * closes, so nothing is refused in between, except on the same port, where the old one must go first (no
   * SO_REUSEADDR). Completes with the new socket, the old one closed; on failure the message says whether the old
   * one is still open.
   */
  public static Future<UdpSocket> replace(Context context, UdpSocket current, InetSocketAddress next,
                                          java.util.function.Function<InetSocketAddress, Future<UdpSocket>> open) {
    boolean samePort = current.localAddress().getPort() == next.getPort();
    Future<Void> freed = samePort ? current.close(context) : Future.succeededFuture();
    return freed.compose(v -> open.apply(next))
        .recover(e -> Future.failedFuture(e.getMessage() + (samePort ? "; the old socket on the same port is closed"
            : "; the old socket stays open")))
        .onSuccess(fresh -> current.close(context));
  }

  private static Channel newChannel(boolean nativeTransport, UdpSocketOptions options) {
    Channel channel = nativeTransport ? new EpollDatagramChannel() : new NioDatagramChannel();
    var config = channel.config();
    config.setOption(ChannelOption.SO_RCVBUF, KERNEL_BUFFER_BYTES);
    config.setOption(ChannelOption.SO_SNDBUF, KERNEL_BUFFER_BYTES);
    config.setRecvByteBufAllocator(new FixedRecvByteBufAllocator(RECEIVE_BUFFER));
    config.setWriteBufferWaterMark(new WriteBufferWaterMark(options.sendQueueBytes() / 2, options.sendQueueBytes()));
    config.setAutoClose(false);
    if (options.device() != null) {
      if (!nativeTransport) {
        channel.close();
        throw new IllegalStateException("cannot bind a socket to device " + options.device()
            + ": SO_BINDTODEVICE needs the native epoll transport (Linux)");
      }
      try {
        config.setOption(BIND_TO_DEVICE, deviceName(options.device()));
      } catch (RuntimeException e) {
        channel.close();
        throw new IllegalStateException("cannot bind a socket to device " + options.device()
            + " (SO_BINDTODEVICE needs root or CAP_NET_RAW): " + rootMessage(e), e);
      }
    }
    return channel;
  }

  private static ByteBuffer deviceName(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length >= IFNAMSIZ) {
      throw new IllegalArgumentException("interface name too long: " + name);
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(IFNAMSIZ);
    buf.put(bytes);
    buf.position(0).limit(IFNAMSIZ);
    return buf;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  private static String describe(UdpSocketOptions options) {
    return options.bindAddress().getAddress().getHostAddress() + ":" + options.bindAddress().getPort()
        + (options.device() == null ? "" : " on device " + options.device());
  }

  /**
   * Sends {@code data} (ownership passes here) to {@code destination}. Returns false when the copy was dropped
   * because the socket's queue is full; a kernel refusal is reported later to the failure listener.
   */
  public boolean send(ByteBuf data, InetSocketAddress destination) {
    if (!channel.isWritable()) {
      data.release();
      return false;
    }
    channel.write(new DatagramPacket(data, destination), channel.voidPromise());
    if (!flushScheduled) {
      flushScheduled = true;
      channel.eventLoop().execute(flushTask);
    }
    return true;
  }

  /**
   * One flush for all the datagrams written by the handlers of one batch of reads: the flush task runs after the
   * tasks already queued on the loop, so the kernel gets them in one sendmmsg where the transport supports it.
   */
  private void flush() {
    flushScheduled = false;
    channel.flush();
  }

  /** Changes the send queue bound (hot reload of writeTimeout). */
  public void setSendQueueBytes(int bytes) {
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(bytes / 2, bytes));
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Sends the kernel refused. */
  public long failed() {
    return failed;
  }

  public Future<Void> close(Context context) {
    Promise<Void> promise = ((ContextInternal) context).promise();
    channel.close().addListener(f -> promise.complete());
    return promise.future();
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
      if (readComplete == null) {
        return;
      }
      ContextInternal previous = context.beginDispatch();
      try {
        readComplete.run();
      } finally {
        context.endDispatch(previous);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      DatagramPacket packet = (DatagramPacket) msg;
      ByteBuf content = packet.content();
      ByteBuf handed = content;
      if (content.readableBytes() <= COMPACT_BELOW && content.capacity() > COMPACT_BELOW) {
        handed = ctx.alloc().directBuffer(content.readableBytes()).writeBytes(content);
        packet.release();
      }
      ContextInternal previous = context.beginDispatch();
      try {
        receiver.onDatagram(handed, packet.sender());
      } finally {
        context.endDispatch(previous);
        handed.release();
      }
    }

    /** Send failures arrive here through the void promise; a read error too. Neither closes the socket. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failed++;
      ContextInternal previous = context.beginDispatch();
      try {
        failures.onSendFailure(SendFailure.of(cause), cause);
      } finally {
        context.endDispatch(previous);
      }
    }
  }
}
