package org.rengarde.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;

/**
 * The yardstick of scripts/bench: the plainest UDP forwarder Netty allows (native epoll, one event loop, one socket,
 * each datagram written on to one destination by reference). {@code PlainForwarder LISTEN_HOST:PORT DST_HOST:PORT}.
 */
public final class PlainForwarder {

  private PlainForwarder() {
  }

  public static void main(String[] args) throws Exception {
    InetSocketAddress listen = parse(args[0]);
    InetSocketAddress destination = parse(args[1]);
    var group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    Channel channel = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, 4 << 20)
        .option(ChannelOption.SO_SNDBUF, 4 << 20)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_536))
        .handler(new SimpleChannelInboundHandler<DatagramPacket>(false) {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ctx.write(new DatagramPacket(packet.content(), destination), ctx.voidPromise());
          }

          @Override
          public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
          }
        })
        .bind(listen).sync().channel();
    System.out.println("forwarding " + listen + " -> " + destination);
    channel.closeFuture().sync();
  }

  private static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
