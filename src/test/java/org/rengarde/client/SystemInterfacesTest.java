package org.rengarde.client;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SystemInterfacesTest {

  /** The real machine: every interface /proc/net/dev names is listed, those without an address too. */
  @Test
  void systemInterfacesListEveryInterfaceOfTheKernel() throws Exception {
    Path proc = Path.of("/proc/net/dev");
    assumeTrue(Files.isReadable(proc), "no /proc/net/dev here");
    Set<String> kernel = new TreeSet<>();
    List<String> lines = Files.readAllLines(proc);
    for (String line : lines.subList(2, lines.size())) {
      kernel.add(line.substring(0, line.indexOf(':')).trim());
    }
    Set<String> ours = new TreeSet<>();
    new SystemInterfaces().list().forEach(i -> ours.add(i.name()));
    assertEquals(kernel, ours);
  }
}
