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
 * file whenever its modification time or size changes, so an invalid file is reported at once. A valid new
 * configuration goes to {@code onValid}; every verdict (the error, or null) goes to {@code onVerdict}. An invalid
 * file changes nothing.
 */
public final class ConfigWatcher<T> {
  private static final Logger LOG = Logger.getLogger(ConfigWatcher.class.getName());
  private static final long SCAN_PERIOD_MILLIS = 1000;

  /** Parses the whole document into this program's section. */
  public interface Section<T> {
    ConfigParser.Parsed<T> parse(String file, JsonObject document) throws ConfigException;
  }

  private final Vertx vertx;
  private final ConfigLoader loader;
  private final Section<T> section;
  private final Consumer<T> onValid;
  private final Consumer<String> onVerdict;
  private T current;
  private String error;
  private ConfigRetriever retriever;
  private long statTimer;
  private String lastStamp;

  public ConfigWatcher(Vertx vertx, ConfigLoader loader, T initial, Section<T> section, Consumer<T> onValid,
                       Consumer<String> onVerdict) {
    this.vertx = vertx;
    this.loader = loader;
    this.current = initial;
    this.section = section;
    this.onValid = onValid;
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

  /**
   * {@code saved}: the file was written again. The same configuration saved again is handed on too (quietly): each
   * part compares it with what is in effect, so a change that could not take effect (a listenAddr whose port was
   * taken) is tried again by saving the file, without editing it back and forth.
   */
  private void onDocument(JsonObject document, boolean saved) {
    ConfigParser.Parsed<T> parsed;
    try {
      parsed = section.parse(loader.file().toString(), document);
    } catch (ConfigException e) {
      report(e.getMessage());
      return;
    }
    if (error != null) {
      error = null;
      LOG.info(loader.file() + ": valid again");
      onVerdict.accept(null);
    }
    if (parsed.config().equals(current)) {
      if (saved) {
        LOG.fine(() -> loader.file() + ": saved again; applying what has not taken effect");
        onValid.accept(current);
      }
      return;
    }
    parsed.warnings().forEach(LOG::warning);
    current = parsed.config();
    LOG.info(loader.file() + ": configuration changed; applying it");
    onValid.accept(current);
  }

  private void report(String message) {
    if (message.equals(error)) {
      return;
    }
    error = message;
    LOG.warning(message + " (the running configuration is kept)");
    onVerdict.accept(message);
  }

  public T current() {
    return current;
  }

  public void stop() {
    vertx.cancelTimer(statTimer);
    if (retriever != null) {
      retriever.close();
    }
  }
}
