package org.rengarde.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The messages one logger publishes at INFO or above, from {@link #attach} to {@link #close}. */
public final class LogLines extends Handler implements AutoCloseable {
  private final Logger logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  /** Where {@link #awaitNext} looks from: just after the line it last returned. */
  private int next;

  private LogLines(Logger logger) {
    this.logger = logger;
  }

  public static LogLines attach(Class<?> loggingClass) {
    LogLines l = new LogLines(Logger.getLogger(loggingClass.getName()));
    l.logger.addHandler(l);
    return l;
  }

  @Override
  public void publish(LogRecord record) {
    if (record.getLevel().intValue() >= Level.INFO.intValue()) {
      lines.add(record.getMessage());
    }
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * The first line starting with {@code start} after the one this last returned, waiting up to {@code millis} for
   * it; null if none came. Lines in between are passed over.
   */
  public synchronized String awaitNext(String start, long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000L;
    do {
      for (int i = next; i < lines.size(); i++) {
        if (lines.get(i).startsWith(start)) {
          next = i + 1;
          return lines.get(i);
        }
      }
      Thread.sleep(10);
    } while (System.nanoTime() < end);
    return null;
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
