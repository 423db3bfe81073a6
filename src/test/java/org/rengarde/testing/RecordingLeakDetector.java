package org.rengarde.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, keeping every leak it finds for {@link LeakCheck} to fail a test class with, instead of
 * logging it as the stock one does (a failure that carries the records says it once, where it is read). Netty's
 * factory makes one per resource type (ByteBuf and the rest) when the JVM runs with
 * {@code -Dio.netty.customResourceLeakDetector=org.rengarde.testing.RecordingLeakDetector}, as surefire's argLine
 * has it, at {@code -Dio.netty.leakDetection.level=paranoid} (every buffer tracked, with its access records).
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
  private static final List<RecordingLeakDetector<?>> ALL = new CopyOnWriteArrayList<>();
  private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
  /** Tracked and closed at once, only to make Netty look at what the garbage collector has found. */
  private static final Object PROBE = new Object();

  /** The constructor Netty's factory calls. */
  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
    ALL.add(this);
  }

  /** The older constructor: Netty's factory looks it up too, and logs an error when it is missing. */
  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    this(resourceType, samplingInterval);
  }

  /** Whether Netty made its detectors from this class (else, outside Maven, nothing is recorded). */
  static boolean installed() {
    return !ALL.isEmpty();
  }

  /** Reports even when Netty's logger is quiet: the record is what fails the build. */
  @Override
  protected boolean needReport() {
    return true;
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected (no records).");
  }

  @Override
  protected void reportInstancesLeak(String resourceType) {
    LEAKS.add("LEAK: too many live instances of " + resourceType + " (one is created per request, not shared?).");
  }

  /** Netty reads its queue of collected resources only when it tracks a new one: each detector tracks a probe. */
  static void pollAll() {
    for (RecordingLeakDetector<?> d : ALL) {
      d.poll();
    }
  }

  @SuppressWarnings("unchecked")
  private void poll() {
    ResourceLeakTracker<T> tracker = trackForcibly((T) PROBE);
    tracker.close((T) PROBE);
  }

  /** The leaks reported since the last call. */
  static List<String> drain() {
    List<String> out = new ArrayList<>();
    for (String leak = LEAKS.poll(); leak != null; leak = LEAKS.poll()) {
      out.add(leak);
    }
    return out;
  }
}
