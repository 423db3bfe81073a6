package org.rengarde.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The instances of one role that a file describes, in the file's order: those whose section is valid, and those
 * whose section is not, with the one-line error naming the instance. The single-section file ({@code client:} or
 * {@code server:}) is one instance named {@link #SINGLE} (an error in it is the file's, thrown by the parser).
 */
public record Instances<T>(boolean listed, Map<String, ConfigParser.Parsed<T>> valid, Map<String, String> invalid) {
  /** The name of the single-section file's instance; a listed instance's name is never empty. */
  public static final String SINGLE = "";

  public Instances {
    valid = Collections.unmodifiableMap(new LinkedHashMap<>(valid));
    invalid = Collections.unmodifiableMap(new LinkedHashMap<>(invalid));
  }

  /** The instance of a single-section file. */
  static <T> Instances<T> single(ConfigParser.Parsed<T> parsed) {
    return new Instances<>(false, Map.of(SINGLE, parsed), Map.of());
  }

  /** How the logs name an instance: "instance home", or nothing for the single section's. */
  public static String label(String name) {
    return name.isEmpty() ? "" : "instance " + name;
  }
}
