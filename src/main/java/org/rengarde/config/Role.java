package org.rengarde.config;

/** Which half of the tunnel a process runs; each reads only its own section of the file. */
public enum Role {
  CLIENT("client"),
  SERVER("server");

  private final String section;

  Role(String section) {
    this.section = section;
  }

  public String section() {
    return section;
  }
}
