package org.rengarde.cli;

import io.vertx.core.Deployable;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import org.rengarde.RengardeVerticle;
import org.rengarde.VertxSetup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The Vert.x way: {@code java -jar rengarde.jar -conf engarde.yml} through Vert.x 5's launcher
 * ({@link VertxApplication}), with its usual options ({@code -options}, {@code -instances} and so on). The stock
 * {@code -conf} reads JSON only, so a YAML path is turned into the verticle's JSON config
 * ({@code {"role":..., "config": PATH}}) before the launcher sees it. The role comes from {@code -Drengarde.role},
 * the environment variable {@code RENGARDE_ROLE}, or the file when it has only one of the two sections (or its
 * {@code instances:} are all of one role).
 * Native transport and Micrometer metrics are on, as for the scripts.
 */
public final class VertxLaunch implements VertxApplicationHooks {

  private VertxLaunch() {
  }

  /** Whether these arguments are for the Vert.x launcher rather than our own command line. */
  public static boolean wanted(String[] args) {
    for (String a : args) {
      if (a.equals("-conf") || a.equals("--conf") || a.startsWith("-conf=") || a.startsWith("--conf=")) {
        return true;
      }
    }
    return false;
  }

  public static int launch(String[] args) {
    String[] rewritten;
    try {
      rewritten = rewriteConf(args, System.getProperty("rengarde.role", System.getenv("RENGARDE_ROLE")));
    } catch (IllegalArgumentException e) {
      System.err.println("rengarde: " + e.getMessage());
      return 1;
    }
    LogSetup.configure(levelFromEnvironment());
    return new VertxApplication(rewritten, new VertxLaunch()).launch();
  }

  private static java.util.logging.Level levelFromEnvironment() {
    java.util.logging.Level level = LogSetup.parse(System.getenv(LogSetup.ENVIRONMENT_VARIABLE));
    return level == null ? java.util.logging.Level.INFO : level;
  }

  /** Replaces a YAML {@code -conf PATH} with the JSON config the main verticle expects. */
  static String[] rewriteConf(String[] args, String role) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String value = null;
      if ((a.equals("-conf") || a.equals("--conf")) && i + 1 < args.length) {
        value = args[++i];
      } else if (a.startsWith("-conf=") || a.startsWith("--conf=")) {
        value = a.substring(a.indexOf('=') + 1);
      }
      if (value == null) {
        out.add(a);
        continue;
      }
      out.add("-conf");
      out.add(value.trim().startsWith("{") ? value : toJson(Path.of(value), role).encode());
    }
    return out.toArray(String[]::new);
  }

  private static JsonObject toJson(Path file, String role) {
    String chosen = role == null || role.isBlank() ? roleFromFile(file) : role.toLowerCase(Locale.ROOT);
    if (!chosen.equals("client") && !chosen.equals("server")) {
      throw new IllegalArgumentException("rengarde.role must be client or server, got \"" + chosen + "\"");
    }
    return new JsonObject().put(RengardeVerticle.ROLE_KEY, chosen).put(RengardeVerticle.CONFIG_KEY, file.toString());
  }

  private static String roleFromFile(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read the file: " + e.getMessage());
    }
    // the sections of an instances: list are indented under their entries
    boolean listed = lines.stream().anyMatch(l -> l.startsWith("instances:"));
    Pattern clientKey = Pattern.compile(listed ? "\\s*(- )?\\s*client:.*" : "client:.*");
    Pattern serverKey = Pattern.compile(listed ? "\\s*(- )?\\s*server:.*" : "server:.*");
    boolean clients = lines.stream().anyMatch(l -> clientKey.matcher(l).matches());
    boolean servers = lines.stream().anyMatch(l -> serverKey.matcher(l).matches());
    if (clients == servers) {
      String what = listed ? "instances of both roles" : "both client: and server: sections";
      throw new IllegalArgumentException(file + ": " + (clients ? "has " + what
          : "has no client: or server: section") + "; say which program to run with -Drengarde.role=client|server "
          + "or RENGARDE_ROLE");
    }
    return clients ? "client" : "server";
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    return VertxSetup.builder(options);
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return RengardeVerticle::new;
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    StopSignals.onStop(() -> {
      org.rengarde.Main.stopQuietly(context.vertx(), context.deploymentId());
      System.exit(0);
    });
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    System.err.println("rengarde: " + t.getMessage());
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable t) {
    System.err.println("rengarde: cannot start Vert.x: " + t.getMessage());
  }
}
