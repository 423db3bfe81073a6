package org.rengarde.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.RawUnixChannelOption;
import org.yaml.snakeyaml.Yaml;

import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The yardstick of scripts/bench: our pair's work done the plainest way Netty allows, with no feature at all (no web
 * page, no metrics, no interface polling, no reload, no filter of strangers). One epoll event loop, recvmmsg into one
 * buffer per read, each datagram passed on by reference, one flush per read batch.
 * <ul>
 *   <li>client: the WireGuard-facing socket on {@code listenAddr}; one socket per {@code dstOverrides} entry whose
 *   interface exists at start, bound to that device (SO_BINDTODEVICE) and connected to the entry's server address.
 *   Every datagram from WireGuard goes to all of them; the first copy of each datagram coming back goes to
 *   WireGuard's latest address.</li>
 *   <li>server: one socket on {@code listenAddr}; the first copy of each datagram goes to WireGuard ({@code dstAddr})
 *   through a socket connected to it; each reply goes to every client address ever seen (no expiry).</li>
 * </ul>
 * {@code FanOutForwarder client|server CONFIG}: CONFIG is an engarde.yml; only the keys above are read. Netty's own
 * JFR events are off, as in rengarde ({@link org.rengarde.VertxSetup#beforeNetty}).
 *
 * <p>Buffers: a received packet is either written on (ownership passes to the channel) or released; fan-out writes
 * retained duplicates and releases the original.
 */
public final class FanOutForwarder {
  /** recvmmsg slot: WireGuard's datagrams are at most 1,452 bytes at MTU 1420; anything longer is cut. */
  private static final int SLOT = 2048;
  private static final int SLOTS_PER_READ = 16;
  private static final int KERNEL_BUFFER_BYTES = 4 << 20;
  private static final int FILTER_SLOTS = 16_384;
  private static final RawUnixChannelOption BIND_TO_DEVICE =
      new RawUnixChannelOption("SO_BINDTODEVICE", 1, 25, 16);

  private FanOutForwarder() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !(args[0].equals("client") || args[0].equals("server"))) {
      System.err.println("usage: FanOutForwarder client|server CONFIG");
      System.exit(2);
    }
    // Netty's JFR events off, as rengarde's Main does (VertxSetup.beforeNetty): memory compared on equal terms
    System.setProperty("io.netty.jfr.enabled", System.getProperty("io.netty.jfr.enabled", "false"));
    Map<String, Object> section = section(Path.of(args[1]), args[0]);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    Channel main = args[0].equals("client") ? client(group, section) : server(group, section);
    main.closeFuture().sync();
  }

  private static Channel client(EventLoopGroup group, Map<String, Object> section) throws InterruptedException {
    InetSocketAddress listen = address(section, "listenAddr");
    ClientSide side = new ClientSide();
    side.wireGuard = bootstrap(group, side.new FromWireGuard()).bind(listen).sync().channel();
    Object overrides = section.get("dstOverrides");
    for (Object o : overrides instanceof List<?> list ? list : List.of()) {
      Map<?, ?> entry = (Map<?, ?>) o;
      String device = String.valueOf(entry.get("ifName"));
      if (!exists(device)) {
        continue;
      }
      InetSocketAddress server = parse(String.valueOf(entry.get("dstAddr")));
      side.links.add(bootstrap(group, side.new FromLink()).option(BIND_TO_DEVICE, deviceName(device))
          .connect(server).sync().channel());
      System.out.println("link " + device + " -> " + server);
    }
    if (side.links.isEmpty()) {
      throw new IllegalStateException("no dstOverrides entry names an existing interface");
    }
    System.out.println("fan-out client on " + listen + " over " + side.links.size() + " links");
    return side.wireGuard;
  }

  private static Channel server(EventLoopGroup group, Map<String, Object> section) throws InterruptedException {
    InetSocketAddress listen = address(section, "listenAddr");
    InetSocketAddress wireGuard = address(section, "dstAddr");
    ServerSide side = new ServerSide();
    side.clients = bootstrap(group, side.new FromClient()).bind(listen).sync().channel();
    side.wireGuard = bootstrap(group, side.new FromWireGuard()).connect(wireGuard).sync().channel();
    System.out.println("fan-out server on " + listen + " -> " + wireGuard);
    return side.clients;
  }

  private static Bootstrap bootstrap(EventLoopGroup group, ChannelInboundHandlerAdapter handler) {
    return new Bootstrap().group(group).channel(EpollDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, KERNEL_BUFFER_BYTES)
        .option(ChannelOption.SO_SNDBUF, KERNEL_BUFFER_BYTES)
        .option(ChannelOption.AUTO_CLOSE, false)
        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, SLOT)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(SLOT * SLOTS_PER_READ))
        .handler(handler);
  }

  /** State of the client; every handler runs on the one event loop. */
  private static final class ClientSide {
    final List<Channel> links = new ArrayList<>();
    final FirstCopyFilter filter = new FirstCopyFilter(FILTER_SLOTS);
    Channel wireGuard;
    InetSocketAddress wireGuardAddress;

    final class FromWireGuard extends Quiet {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        wireGuardAddress = packet.sender();
        for (Channel link : links) {
          link.write(packet.content().retainedDuplicate(), link.voidPromise());
        }
        packet.release();
      }

      @Override
      public void channelReadComplete(ChannelHandlerContext ctx) {
        for (Channel link : links) {
          link.flush();
        }
      }
    }

    final class FromLink extends Quiet {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        if (wireGuardAddress != null && filter.first(packet.content())) {
          wireGuard.write(new DatagramPacket(packet.content(), wireGuardAddress), wireGuard.voidPromise());
        } else {
          packet.release();
        }
      }

      @Override
      public void channelReadComplete(ChannelHandlerContext ctx) {
        wireGuard.flush();
      }
    }
  }

  /** State of the server; every handler runs on the one event loop. */
  private static final class ServerSide {
    final List<InetSocketAddress> seen = new ArrayList<>();
    final FirstCopyFilter filter = new FirstCopyFilter(FILTER_SLOTS);
    Channel clients;
    Channel wireGuard;

    final class FromClient extends Quiet {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        if (!seen.contains(packet.sender())) {
          seen.add(packet.sender());
        }
        if (filter.first(packet.content())) {
          wireGuard.write(packet.content(), wireGuard.voidPromise());
        } else {
          packet.release();
        }
      }

      @Override
      public void channelReadComplete(ChannelHandlerContext ctx) {
        wireGuard.flush();
      }
    }

    final class FromWireGuard extends Quiet {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        for (InetSocketAddress client : seen) {
          clients.write(new DatagramPacket(packet.content().retainedDuplicate(), client), clients.voidPromise());
        }
        packet.release();
      }

      @Override
      public void channelReadComplete(ChannelHandlerContext ctx) {
        clients.flush();
      }
    }
  }

  /** A refused send (link down, no route) drops that datagram and nothing else; the socket stays open. */
  private abstract static class Quiet extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // dropped, as a real link would drop it
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Path file, String name) throws Exception {
    try (Reader reader = Files.newBufferedReader(file)) {
      Map<String, Object> document = new Yaml().load(reader);
      Object section = document == null ? null : document.get(name);
      if (!(section instanceof Map)) {
        throw new IllegalArgumentException(file + " has no " + name + ": section");
      }
      return (Map<String, Object>) section;
    }
  }

  private static InetSocketAddress address(Map<String, Object> section, String key) {
    Object value = section.get(key);
    if (value == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return parse(value.toString());
  }

  private static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  private static boolean exists(String device) {
    try {
      return NetworkInterface.getByName(device) != null;
    } catch (java.net.SocketException e) {
      return false;
    }
  }

  private static ByteBuffer deviceName(String name) {
    ByteBuffer buf = ByteBuffer.allocateDirect(16);
    buf.put(name.getBytes(StandardCharsets.US_ASCII));
    buf.position(0).limit(16);
    return buf;
  }
}
