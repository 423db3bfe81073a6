package org.rengarde.cli;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging (Vert.x's own default backend) with one line per record on stderr. The level comes from
 * {@code --log-level} or the environment variable {@code RENGARDE_LOG_LEVEL}: error, warn, info (default), debug,
 * trace. Nothing is logged per packet above debug.
 */
public final class LogSetup {
  public static final String ENVIRONMENT_VARIABLE = "RENGARDE_LOG_LEVEL";
  /** vertx-config logs every scan of an invalid file with a stack trace; our watcher reports it in one line. */
  private static final Logger CONFIG_RETRIEVER = Logger.getLogger("io.vertx.config");
  /**
   * Several consumers on one address make vertx-micrometer-metrics register the same handler gauge again, which
   * Micrometer reports with a warning at every start; the gauge itself is right.
   */
  private static final Logger METER_REGISTRY = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private LogSetup() {
  }

  /** Parses a level name; null when it is not one of ours. */
  public static Level parse(String name) {
    if (name == null) {
      return null;
    }
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "error" -> Level.SEVERE;
      case "warn", "warning" -> Level.WARNING;
      case "info" -> Level.INFO;
      case "debug" -> Level.FINE;
      case "trace" -> Level.FINEST;
      default -> null;
    };
  }

  public static void configure(Level level) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler handler = new ConsoleHandler();
    handler.setLevel(level);
    handler.setFormatter(new OneLine());
    root.addHandler(handler);
    root.setLevel(level);
    METER_REGISTRY.setLevel(level.intValue() <= Level.FINE.intValue() ? level : Level.SEVERE);
    CONFIG_RETRIEVER.setLevel(level.intValue() <= Level.FINE.intValue() ? level : Level.OFF);
    // Netty is chatty at debug; keep it at info unless asked for trace.
    Logger.getLogger("io.netty").setLevel(level.intValue() < Level.FINE.intValue() ? level : Level.INFO);
  }

  private static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord r) {
      StringBuilder sb = new StringBuilder(128);
      sb.append(TIME.format(LocalDateTime.now())).append(' ').append(levelName(r.getLevel())).append(' ')
          .append(formatMessage(r));
      if (r.getThrown() != null) {
        sb.append(": ").append(r.getThrown());
        if (r.getLevel().intValue() >= Level.SEVERE.intValue() || Logger.getLogger("").isLoggable(Level.FINE)) {
          for (StackTraceElement e : r.getThrown().getStackTrace()) {
            sb.append(System.lineSeparator()).append("    at ").append(e);
          }
        }
      }
      return sb.append(System.lineSeparator()).toString();
    }

    private static String levelName(Level level) {
      if (level.intValue() >= Level.SEVERE.intValue()) {
        return "ERROR";
      }
      if (level.intValue() >= Level.WARNING.intValue()) {
        return "WARN ";
      }
      if (level.intValue() >= Level.INFO.intValue()) {
        return "INFO ";
      }
      return "DEBUG";
    }
  }
}
