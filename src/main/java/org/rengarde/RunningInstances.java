package org.rengarde;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.rengarde.bus.BusAddresses;
import org.rengarde.config.ConfigParser;
import org.rengarde.config.Instances;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The instances of one role that run from one file, kept in step with it: each valid section goes to its own
 * instance only, an instance new in the file is started and one gone from it stopped, and a section that does not
 * read leaves its instance on the configuration it runs (others apply theirs). Owned by the main verticle's
 * context, where the watcher's callbacks run.
 */
final class RunningInstances<T> {
  private static final Logger LOG = Logger.getLogger(RunningInstances.class.getName());

  /** One running (or starting) instance: its deployment, the section it runs, its section's error if any. */
  private final class Running {
    final Future<String> deployment;
    T config;
    String error;

    Running(Future<String> deployment, T config) {
      this.deployment = deployment;
      this.config = config;
    }
  }

  private final Vertx vertx;
  private final String file;
  private final BiFunction<String, T, Instance<T>> create;
  private final Function<T, String> description;
  private final Function<BusAddresses, String> configAddress;
  private final Map<String, Running> running = new LinkedHashMap<>();
  /** Instances whose section does not read and that do not run, with the error last logged. */
  private final Map<String, String> refused = new LinkedHashMap<>();
  private String fileError;
  private Future<?> change = Future.succeededFuture();

  RunningInstances(Vertx vertx, String file, BiFunction<String, T, Instance<T>> create, Function<T, String> description,
                   Function<BusAddresses, String> configAddress) {
    this.vertx = vertx;
    this.file = file;
    this.create = create;
    this.description = description;
    this.configAddress = configAddress;
  }

  /**
   * Starts the valid instances. The single section's instance either starts or fails the start with its message; of
   * a list, those that start run and each one that cannot is logged by name, and the start fails only when none
   * starts.
   */
  Future<?> start(Instances<T> instances) {
    if (instances.valid().isEmpty()) {
      return Future.failedFuture(file + ": no instance can start: " + String.join("; ", instances.invalid().values()));
    }
    instances.invalid().forEach(this::refuse);
    List<Future<String>> started = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    instances.valid().forEach((name, parsed) -> started.add(deploy(name, parsed).recover(e -> {
      failures.add(e.getMessage());
      return Future.failedFuture(e);
    })));
    return Future.join(started).transform(all -> {
      if (!instances.listed()) {
        return all.succeeded() ? Future.succeededFuture() : Future.failedFuture(failures.get(0));
      }
      if (running.isEmpty()) {
        List<String> reasons = new ArrayList<>(instances.invalid().values());
        reasons.addAll(failures);
        return Future.failedFuture(file + ": no instance can start: " + String.join("; ", reasons));
      }
      failures.forEach(f -> LOG.severe(f + " (not started; the other instances run)"));
      LOG.info(file + ": running " + String.join(", ", running.keySet().stream().map(Instances::label).toList()));
      return Future.succeededFuture();
    });
  }

  private Future<String> deploy(String name, ConfigParser.Parsed<T> parsed) {
    parsed.warnings().forEach(LOG::warning);
    String text = description.apply(parsed.config());
    if (!text.isEmpty()) {
      LOG.info(prefix(name) + text);
    }
    refused.remove(name);
    Future<String> deployment = vertx.deployVerticle(create.apply(name, parsed.config()))
        .recover(e -> Future.failedFuture(prefix(name) + e.getMessage()));
    Running r = new Running(deployment, parsed.config());
    running.put(name, r);
    deployment.onSuccess(id -> {
      if (!r.config.equals(parsed.config())) {
        publish(name, r.config);
      }
      verdict(name, r);
    }).onFailure(e -> running.remove(name, r));
    return deployment;
  }

  /** A new reading of the file: one turn after the other, stops before starts so that a port moves freely. */
  void read(Instances<T> next, boolean saved) {
    change = change.transform(x -> {
      List<Future<?>> stops = new ArrayList<>();
      for (String name : List.copyOf(running.keySet())) {
        if (!next.valid().containsKey(name) && !next.invalid().containsKey(name)) {
          LOG.info(file + ": " + label(name) + " is no longer in the file: stopping it");
          stops.add(stop(name));
        }
      }
      refused.keySet().retainAll(next.invalid().keySet());
      return Future.join(stops).transform(stopped -> {
        next.invalid().forEach(this::refuse);
        next.valid().forEach((name, parsed) -> apply(name, parsed, saved));
        return Future.succeededFuture();
      });
    });
  }

  private void apply(String name, ConfigParser.Parsed<T> parsed, boolean saved) {
    Running r = running.get(name);
    if (r == null) {
      LOG.info(file + ": " + label(name) + " is new or valid again: starting it");
      deploy(name, parsed).onFailure(e -> LOG.severe(e.getMessage() + " (fix the file: it is re-read on change)"));
      return;
    }
    if (r.error != null) {
      r.error = null;
      LOG.info(file + ": " + label(name) + ": valid again");
      verdict(name, r);
    }
    if (parsed.config().equals(r.config)) {
      if (saved) {
        LOG.fine(() -> file + ": " + label(name) + ": saved again; applying what has not taken effect");
        publish(name, r.config);
      }
      return;
    }
    parsed.warnings().forEach(LOG::warning);
    r.config = parsed.config();
    LOG.info(file + ": " + prefix(name) + "configuration changed; applying it");
    if (r.deployment.succeeded()) {
      publish(name, r.config);
    }
  }

  private void refuse(String name, String error) {
    Running r = running.get(name);
    if (r == null) {
      if (!error.equals(refused.put(name, error))) {
        LOG.warning(error + " (" + label(name) + " is not started; the other instances run)");
      }
      return;
    }
    if (!error.equals(r.error)) {
      r.error = error;
      LOG.warning(error + " (" + label(name) + " keeps its running configuration; the other instances apply theirs)");
      verdict(name, r);
    }
  }

  private Future<?> stop(String name) {
    Running r = running.remove(name);
    return r.deployment.compose(vertx::undeploy).otherwiseEmpty();
  }

  /** The file's own verdict, shown by every instance's web manager until the file reads again. */
  void fileVerdict(String error) {
    fileError = error;
    running.forEach(this::verdict);
  }

  private void verdict(String name, Running r) {
    String error = fileError != null ? fileError : r.error;
    vertx.eventBus().publish(BusAddresses.of(name).configStatus(), new JsonObject().put("error", error));
  }

  private void publish(String name, T config) {
    vertx.eventBus().publish(configAddress.apply(BusAddresses.of(name)), config);
  }

  private static String label(String name) {
    return name.isEmpty() ? "the configuration" : Instances.label(name);
  }

  private static String prefix(String name) {
    return name.isEmpty() ? "" : Instances.label(name) + ": ";
  }
}
