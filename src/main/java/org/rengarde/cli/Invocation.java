package org.rengarde.cli;

import org.rengarde.config.Role;

import java.nio.file.Path;
import java.util.logging.Level;

/** What the command line asked for. */
public record Invocation(Action action, Role role, Path configFile, Level logLevel) {

  public enum Action { RUN, VERSION, HELP, LIST_INTERFACES }

  public static final Path DEFAULT_CONFIG = Path.of("engarde.yml");
}
