package org.rengarde.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;

import java.io.StringReader;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What the YAML reader ({@link EngardeYamlProcessor}, SnakeYAML underneath) takes without failing in its own
 * code, checked first so that the user reads which line is wrong: a map at the top, no null key ({@code ~:}), no
 * map or list that contains itself through an alias, no value that does not fit its explicit tag ({@code !!int x}).
 * A file of comments and blank lines only is an empty document. YAML the reader refuses with a line is left to it;
 * where it names none (a character it refuses, a few errors of its scanner) the line is found here. Runs off the event loop: it parses the file again.
 */
final class YamlDocumentCheck {
  private final String file;

  private YamlDocumentCheck(String file) {
    this.file = file;
  }

  /** Whether the text holds a map (or YAML the reader will refuse), not nothing at all. */
  static boolean holdsAMap(String file, String text) throws ConfigException {
    YamlDocumentCheck check = new YamlDocumentCheck(file);
    Node top;
    try {
      top = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
    } catch (ReaderException e) {
      throw check.badCharacter(e, text);
    } catch (MarkedYAMLException e) {
      return true;
    } catch (YAMLException e) {
      throw check.unmarked(e, text);
    }
    if (top == null || Tag.NULL.equals(top.getTag())) {
      return false;
    }
    if (!(top instanceof MappingNode)) {
      throw new ConfigException(check.at(top.getStartMark()) + ": expected a map of sections (client:, server:), got "
          + (top instanceof SequenceNode ? "a list" : "a single value"));
    }
    check.walk(top, identitySet(), identitySet());
    try {
      new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (MarkedYAMLException e) {
      return true;
    } catch (RuntimeException e) {
      ConfigException unfit = check.unfit(top, identitySet());
      throw unfit != null ? unfit : new ConfigException(file + ": bad YAML: " + oneLine(e));
    }
    return true;
  }

  /** The reader fails with no line on a value that does not fit its tag: the deepest node it cannot make. */
  private ConfigException unfit(Node node, Set<Node> done) {
    if (!done.add(node)) {
      return null;
    }
    Iterable<Node> children = node instanceof MappingNode map
        ? map.getValue().stream().flatMap(t -> java.util.stream.Stream.of(t.getKeyNode(), t.getValueNode())).toList()
        : node instanceof SequenceNode list ? list.getValue() : List.of();
    for (Node child : children) {
      ConfigException deeper = unfit(child, done);
      if (deeper != null) {
        return deeper;
      }
    }
    try {
      new Probe().make(node);
      return null;
    } catch (RuntimeException e) {
      return new ConfigException(at(node.getStartMark()) + ": the value does not fit its tag " + node.getTag()
          + " (" + oneLine(e) + ")");
    }
  }

  private static String oneLine(Throwable e) {
    return String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
  }

  /** Makes one node (and what it holds) as the reader would. */
  private static final class Probe extends SafeConstructor {
    Probe() {
      super(new LoaderOptions());
    }

    void make(Node node) {
      constructObject(node);
    }
  }

  /** {@code path}: the nodes from the top to this one; {@code done}: those checked already (aliases share them). */
  private void walk(Node node, Set<Node> path, Set<Node> done) throws ConfigException {
    if (path.contains(node)) {
      throw new ConfigException(at(node.getStartMark()) + ": this map or list contains itself (through an alias)");
    }
    if (!done.add(node)) {
      return;
    }
    path.add(node);
    if (node instanceof MappingNode map) {
      for (NodeTuple entry : map.getValue()) {
        if (Tag.NULL.equals(entry.getKeyNode().getTag())) {
          throw new ConfigException(at(entry.getKeyNode().getStartMark()) + ": a key is null (~, null or nothing"
              + " before the colon)");
        }
        walk(entry.getKeyNode(), path, done);
        walk(entry.getValueNode(), path, done);
      }
    } else if (node instanceof SequenceNode list) {
      for (Node item : list.getValue()) {
        walk(item, path, done);
      }
    }
    path.remove(node);
  }

  private static Set<Node> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }

  private String at(Mark mark) {
    return file + ": bad YAML at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  /** An error of the reader's that has no mark: its line is the first after which the text fails the same way. */
  private ConfigException unmarked(YAMLException e, String text) {
    String[] lines = text.split("\n", -1);
    StringBuilder prefix = new StringBuilder();
    for (int line = 1; line <= lines.length; line++) {
      prefix.append(lines[line - 1]).append('\n');
      try {
        new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(prefix.toString()));
      } catch (YAMLException same) {
        if (String.valueOf(same.getMessage()).equals(e.getMessage())) {
          return new ConfigException(file + ": bad YAML at line " + line + ": " + oneLine(e));
        }
      }
    }
    return new ConfigException(file + ": bad YAML: " + oneLine(e));
  }

  private ConfigException badCharacter(ReaderException e, String text) {
    int line = 1;
    int column = 1;
    int[] codePoints = text.codePoints().limit(e.getPosition()).toArray();
    for (int i = 0; i < codePoints.length; i++) {
      int c = codePoints[i];
      if (c == '\r' && i + 1 < codePoints.length && codePoints[i + 1] == '\n') {
        continue;
      }
      if (c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029) {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new ConfigException(file + ": bad YAML at line " + line + ", column " + column + ": "
        + oneLine(e) + String.format(" (U+%04X)", e.getCodePoint()));
  }
}
