package org.rengarde.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileProps;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Watches engarde.yml while the program runs. vertx-config's ConfigRetriever (file store, yaml, scanned every
 * second) reports valid changes; since it stays silent about a file it cannot parse, the watcher also re-reads the
 * file whenever its modification time or size changes, so an invalid file is reported at once. Every document that
 * reads as this program's {@link Instances} goes to {@code onRead}, which applies each instance's section to that
 * instance; the file's own verdict (the error that kept the whole file out, or null once it reads again) goes to
 * {@code onVerdict}. A file that does not read changes nothing.
 */
public final class ConfigWatcher<T> {
  private static final Logger LOG = Logger.getLogger(ConfigWatcher.class.getName());
  private static final long SCAN_PERIOD_MILLIS = 1000;

  /** Reads the whole document into this program's instances. */
  public interface Reader<T> {
    Instances<T> read(String file, JsonObject document) throws ConfigException;
  }

  /**
   * {@code saved}: the file was written again (not only changed), so each instance applies even a section equal to
   * its running one: a change that could not take effect (a listenAddr whose port was taken) is tried again by
   * saving the file, without editing it back and forth.
   */
  public interface Listener<T> {
    void read(Instances<T> instances, boolean saved);
  }

  private final Vertx vertx;
  private final ConfigLoader loader;
  private final Reader<T> reader;
  private final Listener<T> onRead;
  private final Consumer<String> onVerdict;
  private String error;
  private ConfigRetriever retriever;
  private long statTimer;
  private String lastStamp;

  public ConfigWatcher(Vertx vertx, ConfigLoader loader, Reader<T> reader, Listener<T> onRead,
                       Consumer<String> onVerdict) {
    this.vertx = vertx;
    this.loader = loader;
    this.reader = reader;
    this.onRead = onRead;
    this.onVerdict = onVerdict;
  }

  /** Starts watching; call on the owning verticle's context, where the callbacks then run. */
  public void start() {
    retriever = ConfigRetriever.create(vertx, loader.retrieverOptions(SCAN_PERIOD_MILLIS));
    retriever.listen(change -> onDocument(change.getNewConfiguration(), false));
    stamp(s -> lastStamp = s);
    statTimer = vertx.setPeriodic(SCAN_PERIOD_MILLIS, id -> stamp(s -> {
      if (!Objects.equals(s, lastStamp)) {
        lastStamp = s;
        reread();
      }
    }));
  }

  private void stamp(Consumer<String> then) {
    vertx.fileSystem().props(loader.file().toString())
        .map((FileProps p) -> p.lastModifiedTime() + "/" + p.size())
        .otherwise("missing")
        .onSuccess(then::accept);
  }

  private void reread() {
    loader.readDocument().onSuccess(d -> onDocument(d, true)).onFailure(e -> report(e.getMessage()));
  }

  private void onDocument(JsonObject document, boolean saved) {
    Instances<T> instances;
    try {
      instances = reader.read(loader.file().toString(), document);
    } catch (ConfigException e) {
      report(e.getMessage());
      return;
    }
    if (error != null) {
      error = null;
      LOG.info(loader.file() + ": valid again");
      onVerdict.accept(null);
    }
    onRead.read(instances, saved);
  }

  private void report(String message) {
    if (message.equals(error)) {
      return;
    }
    error = message;
    LOG.warning(message + " (the running configuration is kept)");
    onVerdict.accept(message);
  }

  public void stop() {
    vertx.cancelTimer(statTimer);
    if (retriever != null) {
      retriever.close();
    }
  }
}
