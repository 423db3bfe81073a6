package org.rengarde.config;

/**
 * A configuration problem a user can fix. The message is one line naming the file, the key and the value,
 * ready to print as it is.
 */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
