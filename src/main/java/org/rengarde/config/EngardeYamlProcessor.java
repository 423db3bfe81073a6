package org.rengarde.config;

import io.vertx.config.spi.ConfigProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.Construct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * The format {@code engarde-yaml} for vertx-config: YAML read the way engarde's decoder (Go's yaml.v2) hands values
 * to its typed fields. engarde's string keys take a scalar's text as written ({@code password: 0123} is "0123",
 * {@code description: yes} is "yes"), where SnakeYAML would make it the number 83 or the boolean true. So every
 * scalar stays its text (a null one stays null) and {@link SectionReader} reads numbers and booleans from the text
 * by yaml.v2's rules. Maps become JsonObject, lists and sets JsonArray.
 */
public final class EngardeYamlProcessor implements ConfigProcessor {
  static final String FORMAT = "engarde-yaml";

  @Override
  public String name() {
    return FORMAT;
  }

  @Override
  public Future<JsonObject> process(Vertx vertx, JsonObject configuration, Buffer input) {
    if (input.length() == 0) {
      return Future.succeededFuture(new JsonObject());
    }
    return vertx.executeBlocking(() -> read(input.toString(StandardCharsets.UTF_8)), false);
  }

  /** The document as a map of text scalars; an empty document is an empty map. */
  static JsonObject read(String text) {
    Object top = new Yaml(new ScalarsAsText()).load(text);
    if (top == null) {
      return new JsonObject();
    }
    if (!(top instanceof Map<?, ?> map)) {
      throw new DecodeException("Failed to decode YAML: expected a map at the top");
    }
    return object(map);
  }

  private static JsonObject object(Map<?, ?> map) {
    JsonObject out = new JsonObject();
    map.forEach((k, v) -> out.put(String.valueOf(k), json(v)));
    return out;
  }

  private static Object json(Object value) {
    if (value instanceof Map<?, ?> map) {
      return object(map);
    }
    if (value instanceof Collection<?> items) {
      JsonArray out = new JsonArray();
      items.forEach(i -> out.add(json(i)));
      return out;
    }
    if (value instanceof Object[] pair) {
      JsonArray out = new JsonArray();
      for (Object o : pair) {
        out.add(json(o));
      }
      return out;
    }
    return value;
  }

  /**
   * SnakeYAML's safe constructor, except that booleans, numbers and dates keep their text. Each is still made as
   * SnakeYAML makes it first, so that a value that does not fit its explicit tag ({@code !!int x}) fails here as in
   * {@link YamlDocumentCheck}, whichever of the two reads the file.
   */
  private static final class ScalarsAsText extends SafeConstructor {
    ScalarsAsText() {
      super(new LoaderOptions());
      for (Tag tag : new Tag[] {Tag.BOOL, Tag.INT, Tag.FLOAT, Tag.TIMESTAMP}) {
        Construct typed = yamlConstructors.get(tag);
        yamlConstructors.put(tag, new AbstractConstruct() {
          @Override
          public Object construct(Node node) {
            typed.construct(node);
            return constructScalar((ScalarNode) node);
          }
        });
      }
      // yaml.v2 gives a string key the bytes a !!binary value stands for
      Construct binary = yamlConstructors.get(Tag.BINARY);
      yamlConstructors.put(Tag.BINARY, new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          return new String((byte[]) binary.construct(node), StandardCharsets.UTF_8);
        }
      });
    }
  }
}
