package org.rengarde.cli;

import org.rengarde.config.Role;

import java.nio.file.Path;
import java.util.logging.Level;

/**
 * What the command line asked for.
 *
 * @param role null when {@code -v} or {@code --help} came before any program name
 */
public record Invocation(Action action, Role role, Path configFile, Level logLevel) {

  /** LIST_INTERFACES prints engarde's form; LIST_INTERFACES_DETAIL our table ({@code --detail}). */
  public enum Action { RUN, VERSION, HELP, LIST_INTERFACES, LIST_INTERFACES_DETAIL }

  /** The program's name as the banner and {@code -v} give it: rengarde-client, rengarde-server, or rengarde. */
  public String program() {
    return role == null ? "rengarde" : "rengarde-" + role.section();
  }

  public static final Path DEFAULT_CONFIG = Path.of("engarde.yml");
}
