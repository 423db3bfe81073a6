package org.rengarde.client;

import java.util.HashSet;
import java.util.Set;

/**
 * Which interfaces are excluded: the configured list XOR the names toggled at run time through the API. Toggles
 * are never written to the file. Owned by the Interface Watcher's event loop.
 */
public final class Exclusions {
  private Set<String> configured;
  private final Set<String> toggled = new HashSet<>();

  public Exclusions(Set<String> configured) {
    this.configured = Set.copyOf(configured);
  }

  /**
   * A new configured list (hot reload). Run-time toggles stay, except for names whose listing in the file changed:
   * the file then says what the user wants (excluding through the API, then adding the name to the file, must not
   * bring the interface back).
   */
  public void setConfigured(Set<String> names) {
    Set<String> next = Set.copyOf(names);
    toggled.removeIf(n -> configured.contains(n) != next.contains(n));
    configured = next;
  }

  public boolean isExcluded(String name) {
    return configured.contains(name) ^ toggled.contains(name);
  }

  /** engarde's swap-exclusion: toggles, even for names no interface has. */
  public void swap(String name) {
    if (!toggled.remove(name)) {
      toggled.add(name);
    }
  }

  /** Returns false when it was already included. */
  public boolean include(String name) {
    if (!isExcluded(name)) {
      return false;
    }
    swap(name);
    return true;
  }

  /** Returns false when it was already excluded. */
  public boolean exclude(String name) {
    if (isExcluded(name)) {
      return false;
    }
    swap(name);
    return true;
  }

  public void reset() {
    toggled.clear();
  }
}
