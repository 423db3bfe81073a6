package org.rengarde.link;

import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.RawUnixChannelOption;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The Linux-only part of tying a socket to its interface (SO_BINDTODEVICE), and the choice made where it cannot be
 * had: bind to the interface's address only, as engarde does on Windows and macOS, with one warning per process
 * saying what that means for routing.
 */
public final class DeviceBinding {
  private static final Logger LOG = Logger.getLogger(DeviceBinding.class.getName());
  private static final int SOL_SOCKET = 1;
  private static final int SO_BINDTODEVICE = 25;
  private static final int IFNAMSIZ = 16;
  private static final RawUnixChannelOption BIND_TO_DEVICE =
      new RawUnixChannelOption("SO_BINDTODEVICE", SOL_SOCKET, SO_BINDTODEVICE, IFNAMSIZ);
  /** The kernel's words for a refusal that another socket would meet too: EPERM, ENOPROTOOPT. */
  private static final String[] REFUSALS = {"Operation not permitted", "Protocol not available"};
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  /** Once refused, later links do not ask again. */
  private static final AtomicBoolean REFUSED = new AtomicBoolean();

  private DeviceBinding() {
  }

  /**
   * The binding a new link should ask for: the device, unless {@code configured} (client.bindToDevice) says no, the
   * native transport is not in use, or the kernel refused it before. Warns once when it is not the device.
   */
  public static Binding wanted(boolean configured, boolean nativeTransport) {
    if (!configured) {
      fallBack("client.bindToDevice is false");
      return Binding.ADDRESS;
    }
    if (!nativeTransport) {
      fallBack("SO_BINDTODEVICE needs the native epoll transport, which is not in use here ("
          + nativeTransportMissing() + ")");
      return Binding.ADDRESS;
    }
    return REFUSED.get() ? Binding.ADDRESS : Binding.DEVICE;
  }

  /** A link's device binding was refused ({@link DeviceBindingRefused}): it and later links bind to addresses. */
  public static void refused(String ifName, Throwable cause) {
    REFUSED.set(true);
    fallBack("SO_BINDTODEVICE on " + ifName + " was refused: " + cause.getMessage());
  }

  private static String nativeTransportMissing() {
    try {
      Throwable cause = Epoll.unavailabilityCause();
      return cause == null ? "preferNativeTransport is off" : "Linux on x86_64, aarch64 or riscv64 only: " + cause;
    } catch (LinkageError e) {
      return e.toString();
    }
  }

  private static void fallBack(String why) {
    if (WARNED.compareAndSet(false, true)) {
      LOG.warning("Links bind to their interface's address only, not to the device: " + why + ". The kernel then "
          + "routes each datagram by its destination, so without source policy routing every link's datagrams may "
          + "leave through the same interface. Give each link's address a routing table of its own, e.g. for eth1 "
          + "with address A and gateway G: ip rule add from A table 101; ip route add default via G dev eth1 table "
          + "101 (README, \"Without device binding\")");
    }
  }

  /**
   * Binds {@code channel}, not yet registered, to {@code device}. Throws {@link DeviceBindingRefused} where this
   * process or kernel cannot, IllegalStateException for any other failure (an interface that just went away).
   */
  static void bind(Channel channel, String device, boolean nativeTransport) {
    if (!nativeTransport) {
      throw new DeviceBindingRefused("cannot bind a socket to device " + device
          + ": SO_BINDTODEVICE needs the native epoll transport (Linux)", null);
    }
    try {
      channel.config().setOption(BIND_TO_DEVICE, deviceName(device));
    } catch (RuntimeException e) {
      String root = rootMessage(e);
      for (String refusal : REFUSALS) {
        if (root.contains(refusal)) {
          throw new DeviceBindingRefused("cannot bind a socket to device " + device
              + " (SO_BINDTODEVICE needs root or CAP_NET_RAW): " + root, e);
        }
      }
      throw new IllegalStateException("cannot bind a socket to device " + device + ": " + root, e);
    }
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
}
