package org.rengarde;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import org.rengarde.cli.CommandLine;
import org.rengarde.cli.Invocation;
import org.rengarde.cli.LogSetup;
import org.rengarde.cli.StopSignals;
import org.rengarde.cli.Version;
import org.rengarde.cli.VertxLaunch;
import org.rengarde.client.InterfaceLister;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** {@code java -jar rengarde.jar client|server [OPTIONS] [CONFIG]}: the scripts' entry point. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    VertxSetup.beforeNetty();
    if (VertxLaunch.wanted(args)) {
      int code = VertxLaunch.launch(args);
      if (code != 0) {
        System.exit(code);
      }
      return;
    }
    System.exit(run(args));
  }

  static int run(String[] args) {
    Invocation invocation;
    try {
      invocation = CommandLine.parse(Arrays.asList(args), System.getenv(LogSetup.ENVIRONMENT_VARIABLE));
    } catch (CommandLine.UsageException e) {
      System.err.println("rengarde: " + e.getMessage());
      System.err.println("Try --help.");
      return 1;
    }
    switch (invocation.action()) {
      case HELP -> {
        System.out.print(CommandLine.help());
        return 0;
      }
      case VERSION -> {
        System.out.println(Version.banner(invocation.program()));
        return 0;
      }
      case LIST_INTERFACES -> {
        System.out.println(Version.banner(invocation.program()));
        return InterfaceLister.printEngardeForm(System.out);
      }
      case LIST_INTERFACES_DETAIL -> {
        return InterfaceLister.printTable(System.out);
      }
      default -> {
        return runRole(invocation);
      }
    }
  }

  private static int runRole(Invocation invocation) {
    LogSetup.configure(invocation.logLevel());
    System.out.println(Version.banner(invocation.program()));
    Vertx vertx = VertxSetup.create();
    String deployment;
    try {
      deployment = vertx.deployVerticle(new RengardeVerticle(), new DeploymentOptions()
              .setConfig(RengardeVerticle.deploymentConfig(invocation.role(), invocation.configFile())))
          .toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      System.err.println("rengarde-" + invocation.role().section() + ": " + e.getCause().getMessage());
      closeQuietly(vertx);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(vertx);
      return 1;
    }
    StopSignals.onStop(() -> {
      stopQuietly(vertx, deployment);
      System.exit(0);
    });
    return waitForever();
  }

  private static int waitForever() {
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Undeploys the program's verticle, then closes Vert.x, waiting a few seconds for each. Undeploying first lets the
   * Interface Watcher wait for the links it is still starting; a bare close fails their starts under them, and Vert.x
   * then logs "Promise already completed" at SEVERE when each start completes.
   */
  public static void stopQuietly(Vertx vertx, String deployment) {
    if (deployment != null) {
      try {
        vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // closing anyway
      }
    }
    closeQuietly(vertx);
  }

  /** Closes Vert.x (sockets, servers) and waits a few seconds for it. */
  public static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // exiting anyway
    }
  }
}
