package org.rengarde.system;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When a lab test fails, prints what the client and server logged during it (the last {@value #LINES} lines of
 * each), so that a CI run's output says what the relays saw, not only what ping saw: the lab directory is gone with
 * the CI machine.
 */
final class LabLogsOnFailure implements BeforeEachCallback, TestWatcher {
  private static final int LINES = 60;
  private static final List<String> LOGS = List.of("client.log", "server.log");

  private final Map<String, Long> startOffsets = new HashMap<>();

  @Override
  public void beforeEach(ExtensionContext context) {
    for (String log : LOGS) {
      startOffsets.put(log, size(Lab.directory().resolve(log)));
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    for (String log : LOGS) {
      Path p = Lab.directory().resolve(log);
      try {
        byte[] all = Files.exists(p) ? Files.readAllBytes(p) : new byte[0];
        int from = (int) Math.min(all.length, startOffsets.getOrDefault(log, 0L));
        List<String> lines = new String(all, from, all.length - from, StandardCharsets.UTF_8).lines().toList();
        System.out.println("[lab] " + log + " during " + context.getDisplayName() + " (" + lines.size() + " lines"
            + (lines.size() > LINES ? ", the last " + LINES : "") + "):");
        lines.subList(Math.max(0, lines.size() - LINES), lines.size()).forEach(l -> System.out.println("[lab]   " + l));
      } catch (IOException e) {
        System.out.println("[lab] " + log + " unreadable: " + e);
      }
    }
  }

  private static long size(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
