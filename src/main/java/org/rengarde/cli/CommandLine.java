package org.rengarde.cli;

import org.rengarde.config.Role;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;

/** Parses {@code client|server [OPTIONS] [CONFIG]} and {@code client list-interfaces}. */
public final class CommandLine {

  /** A command line that makes no sense; the message says why. */
  public static final class UsageException extends Exception {
    public UsageException(String message) {
      super(message, null, false, false);
    }
  }

  private CommandLine() {
  }

  public static Invocation parse(List<String> args, String environmentLogLevel) throws UsageException {
    if (args.isEmpty()) {
      throw new UsageException("say which program to run: client or server");
    }
    Role role = switch (args.get(0).toLowerCase(Locale.ROOT)) {
      case "client", "rengarde-client" -> Role.CLIENT;
      case "server", "rengarde-server" -> Role.SERVER;
      case "-h", "--help", "help" -> null;
      case "-v", "--version", "version" -> null;
      default -> throw new UsageException("unknown program \"" + args.get(0) + "\": expected client or server");
    };
    if (role == null) {
      boolean help = args.get(0).toLowerCase(Locale.ROOT).contains("h");
      return new Invocation(help ? Invocation.Action.HELP : Invocation.Action.VERSION, null,
          Invocation.DEFAULT_CONFIG, Level.INFO);
    }
    Invocation.Action action = Invocation.Action.RUN;
    Path config = null;
    Level level = null;
    boolean detail = false;
    if (environmentLogLevel != null && !environmentLogLevel.isBlank()) {
      level = LogSetup.parse(environmentLogLevel);
      if (level == null) {
        throw new UsageException(LogSetup.ENVIRONMENT_VARIABLE + "=" + environmentLogLevel
            + " is not a log level (error, warn, info, debug, trace)");
      }
    }
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "-h", "--help" -> action = Invocation.Action.HELP;
        case "-v", "--version" -> action = Invocation.Action.VERSION;
        case "list-interfaces" -> {
          if (role != Role.CLIENT) {
            throw new UsageException("list-interfaces is a client command: rengarde-client list-interfaces");
          }
          action = Invocation.Action.LIST_INTERFACES;
        }
        case "--detail" -> detail = true;
        case "--log-level" -> {
          if (i + 1 >= args.size()) {
            throw new UsageException("--log-level needs a level (error, warn, info, debug, trace)");
          }
          String name = args.get(++i);
          level = LogSetup.parse(name);
          if (level == null) {
            throw new UsageException("--log-level " + name + ": not a level (error, warn, info, debug, trace)");
          }
        }
        default -> {
          if (a.startsWith("-")) {
            throw new UsageException("unknown option " + a + " (see --help)");
          }
          if (config != null) {
            throw new UsageException("one configuration file only, got " + config + " and " + a);
          }
          config = Path.of(a);
        }
      }
    }
    if (detail) {
      if (action != Invocation.Action.LIST_INTERFACES) {
        throw new UsageException("--detail goes with list-interfaces: rengarde-client list-interfaces --detail");
      }
      action = Invocation.Action.LIST_INTERFACES_DETAIL;
    }
    return new Invocation(action, role, config == null ? Invocation.DEFAULT_CONFIG : config,
        level == null ? Level.INFO : level);
  }

  public static String help() {
    return """
        rengarde %s: keeps a WireGuard tunnel alive over several network links at once (engarde-compatible).

        Usage:
          rengarde-client [OPTIONS] [CONFIG]     run the client: every datagram of the local WireGuard goes out
                                                 of every usable interface to the server
          rengarde-server [OPTIONS] [CONFIG]     run the server: relays between the clients and the local WireGuard,
                                                 each client's session its own peer (many clients on one port)
          rengarde-client list-interfaces        print every interface and the address a link would use, as
                                                 engarde does (the names to put in excludedInterfaces)
          rengarde-client list-interfaces --detail
                                                 a table: each interface's index, state and every address a link
                                                 would use (IPv4 and IPv6)
          java -jar rengarde.jar client|server [OPTIONS] [CONFIG]   the same, without the scripts
          java [-Drengarde.role=client|server] -jar rengarde.jar -conf CONFIG [Vert.x launcher options]
                                                 the Vert.x way (the role may come from the file's only section)

        CONFIG is engarde's YAML file (default: engarde.yml in the working directory); each program reads its own
        section (client: or server:). See engarde.yml.sample for every key. Changes to the file are applied while the
        program runs; an invalid file changes nothing and is reported.

        Several instances in one file: a list "instances:" of entries "- name: NAME" each holding one client: or
        server: section. Each program runs every entry of its role, each instance with its own sockets, links and
        web manager. An error in one entry names the instance and stops only it: the others start (exit 1 only
        when none can) or, on reload, apply their own changes while it keeps its running configuration.

        Options:
          -h, --help             this text
          -v, --version          print the version (rengarde-client ver. X, engarde's form) and exit
          --log-level LEVEL      error, warn, info (default), debug or trace; also the environment variable
                                 RENGARDE_LOG_LEVEL

        Exit codes: 0 after a clean stop (SIGTERM, Ctrl-C), 1 when the configuration or the command line is wrong
        or a socket cannot be opened (the message names the file, the key and the value).
        """.formatted(Version.get());
  }
}
