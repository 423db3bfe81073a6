package org.rengarde.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What this JVM holds, for {@link ManyPeers}: heap after GC, resident memory, open descriptors, event-loop CPU. */
final class ProcessProbe {
  private ProcessProbe() {
  }

  /** Heap in use after repeated full collections (MemoryMXBean): good to a few percent. */
  static long heapAfterGc() {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Direct buffers allocated (java.nio's "direct" pool: Netty's pooled chunks are among them). */
  static long directMemory() {
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        return pool.getMemoryUsed();
      }
    }
    return -1;
  }

  /** VmRSS from /proc/self/status, in bytes; -1 where there is none. */
  static long rss() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines.filter(l -> l.startsWith("VmRSS:"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
          .findFirst().orElse(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  /** Entries of /proc/self/fd (the listing's own descriptor included). */
  static int openFds() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return (int) fds.count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The soft limit on descriptors (RLIMIT_NOFILE), from /proc/self/limits; -1 if unknown. */
  static long fdLimit() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/limits"))) {
      return lines.filter(l -> l.startsWith("Max open files"))
          .mapToLong(l -> Long.parseLong(l.substring("Max open files".length()).trim().split("\\s+")[0]))
          .findFirst().orElse(-1);
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** CPU time of the Vert.x event-loop threads, summed, in nanoseconds. */
  static long eventLoopCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith("vert.x-eventloop-thread")) {
        long cpu = threads.getThreadCpuTime(t.getThreadId());
        sum += Math.max(cpu, 0);
      }
    }
    return sum;
  }

  /** CPU time of the whole process, in nanoseconds. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
