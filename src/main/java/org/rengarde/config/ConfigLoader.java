package org.rengarde.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads engarde.yml through vertx-config (file store, yaml format). Reports problems as {@link ConfigException}
 * with a one-line message; never exits: the caller decides what a failure means.
 */
public final class ConfigLoader {
  private static final Pattern YAML_POSITION = Pattern.compile("line (\\d+), column (\\d+)");

  private final Vertx vertx;
  private final Path file;

  public ConfigLoader(Vertx vertx, Path file) {
    this.vertx = vertx;
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The store options, shared with the watcher that re-reads the file on change. */
  public ConfigRetrieverOptions retrieverOptions(long scanPeriodMillis) {
    ConfigStoreOptions store = new ConfigStoreOptions()
        .setType("file")
        .setFormat(EngardeYamlProcessor.FORMAT)
        .setOptional(false)
        .setConfig(new JsonObject().put("path", file.toString()));
    return new ConfigRetrieverOptions().setScanPeriod(scanPeriodMillis).setIncludeDefaultStores(false).addStore(store);
  }

  /** The whole document, or a failure whose cause is a {@link ConfigException}. */
  public Future<JsonObject> readDocument() {
    return vertx.executeBlocking(() -> {
      checkReadable();
      return YamlDocumentCheck.holdsAMap(file.toString(), new String(readBytes(), StandardCharsets.UTF_8));
    }, false).compose(map -> {
      if (!map) {
        return Future.succeededFuture(new JsonObject());
      }
      ConfigRetriever retriever = ConfigRetriever.create(vertx, retrieverOptions(0));
      return retriever.getConfig()
          .eventually(retriever::close)
          .recover(e -> Future.failedFuture(yamlError(e)));
    });
  }

  public Future<ConfigParser.Parsed<ServerConfig>> loadServer() {
    return readDocument().compose(doc -> parse(() -> ConfigParser.server(file.toString(), doc)));
  }

  public Future<ConfigParser.Parsed<ClientConfig>> loadClient() {
    return readDocument().compose(doc -> parse(() -> ConfigParser.client(file.toString(), doc)));
  }

  /** The file's instances of one role ({@link InstanceList#clients} or {@link InstanceList#servers}). */
  public <T> Future<Instances<T>> loadInstances(ConfigWatcher.Reader<T> reader) {
    return readDocument().compose(doc -> parse(() -> reader.read(file.toString(), doc)));
  }

  private interface ParseStep<T> {
    T run() throws ConfigException;
  }

  private static <T> Future<T> parse(ParseStep<T> step) {
    try {
      return Future.succeededFuture(step.run());
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
  }

  private byte[] readBytes() throws ConfigException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read the file: " + e.getMessage());
    }
  }

  private void checkReadable() throws ConfigException {
    if (!Files.exists(file)) {
      throw new ConfigException(file + ": no such file (give the configuration file as argument, or create engarde.yml; see engarde.yml.sample)");
    }
    if (Files.isDirectory(file)) {
      throw new ConfigException(file + ": is a directory, not a configuration file");
    }
    if (!Files.isReadable(file)) {
      throw new ConfigException(file + ": cannot read the file (permission denied)");
    }
  }

  /** One line from whatever the YAML parser said, keeping its position. */
  ConfigException yamlError(Throwable e) {
    if (e instanceof ConfigException c) {
      return c;
    }
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
        return new ConfigException(file + ": bad YAML at line " + (marked.getProblemMark().getLine() + 1)
            + ", column " + (marked.getProblemMark().getColumn() + 1) + ": " + oneLine(marked.getProblem()));
      }
      root = t;
    }
    String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    String first = text.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse(text);
    Matcher m = YAML_POSITION.matcher(text);
    String position = "";
    if (m.find()) {
      position = " at line " + m.group(1) + ", column " + m.group(2);
    }
    return new ConfigException(file + ": bad YAML" + position + ": " + first);
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ").trim();
  }
}
