package org.rengarde.link;

/**
 * SO_BINDTODEVICE is not to be had here (no native transport, no CAP_NET_RAW, or a kernel without it): the socket
 * may still be bound to the interface's address alone, see {@link DeviceBinding}.
 */
public final class DeviceBindingRefused extends IllegalStateException {
  DeviceBindingRefused(String message, Throwable cause) {
    super(message, cause);
  }
}
