package org.rengarde.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven wrote into the jar. */
public final class Version {
  private static final String VERSION = read();

  private Version() {
  }

  public static String get() {
    return VERSION;
  }

  /** engarde's form, {@code engarde-client ver. 1.2.3}: what {@code -v} prints and the first line at start. */
  public static String banner(String program) {
    return program + " ver. " + VERSION;
  }

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("/org/rengarde/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
