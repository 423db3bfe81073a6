package org.rengarde.link;

import java.util.Locale;

/** How a link's socket is tied to its interface: the value of {@code "binding"} in the link's stats. */
public enum Binding {
  /** SO_BINDTODEVICE and the interface's address: packets leave through the interface whatever the routes say. */
  DEVICE,
  /** The interface's address only: the kernel routes by destination unless source policy routing steers it. */
  ADDRESS;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
