package org.rengarde.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The leak check itself: a class that drops a pooled buffer without releasing it fails, in a JUnit run of its own
 * (so this suite does not), with the buffer's allocation site; a class that releases it passes.
 */
class LeakCheckTest {

  /** Run only by the tests below (surefire leaves nested classes alone). */
  static class LeakingExample {
    @Test
    void dropsAPooledBuffer() {
      ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
      leaked.writeLong(42);
    }
  }

  static class TidyExample {
    @Test
    void releasesItsPooledBuffer() {
      ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
      buffer.writeLong(42);
      buffer.release();
    }
  }

  @BeforeEach
  void nothingLeakedBefore() {
    PooledByteBufAllocator.DEFAULT.directBuffer(1).release(); // Netty makes the buffers' detector now at the latest
    assumeTrue(RecordingLeakDetector.installed(), "run without -Dio.netty.customResourceLeakDetector (not Maven)");
    assertEquals(List.of(), LeakCheck.collect(), "leaks from earlier classes, reported here");
  }

  private static EngineExecutionResults run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .selectors(selectClass(testClass))
        .execute();
  }

  @Test
  void aLeakedPooledBufferFailsItsClassNamingWhereItWasAllocated() {
    EngineExecutionResults results = run(LeakingExample.class);
    results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    List<Event> failed = results.containerEvents().failed().list();
    assertEquals(1, failed.size(), "the class fails, once");
    Throwable why = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
        .getThrowable().orElseThrow();
    assertTrue(why instanceof AssertionError, why.toString());
    String message = why.getMessage();
    assertTrue(message.startsWith("1 Netty resource(s) never released"), message);
    assertTrue(message.contains("LEAK: ByteBuf.release() was not called"), message);
    assertTrue(message.contains("LeakCheckTest$LeakingExample.dropsAPooledBuffer"), message);
  }

  @Test
  void aReleasedBufferPasses() {
    EngineExecutionResults results = run(TidyExample.class);
    results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    results.containerEvents().assertStatistics(s -> s.failed(0));
  }
}
