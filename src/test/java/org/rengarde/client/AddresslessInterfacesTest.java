package org.rengarde.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AddresslessInterfacesTest {
  private static final String HEADER = """
      Inter-|   Receive                                                |  Transmit
       face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
      """;

  @TempDir
  Path dir;

  private AddresslessInterfaces at(String procNetDev) throws Exception {
    Path proc = dir.resolve("dev");
    Files.writeString(proc, HEADER + procNetDev);
    return new AddresslessInterfaces(proc, dir.resolve("net"));
  }

  private void sysfs(String name, String ifindex, String flags) throws Exception {
    Path d = Files.createDirectories(dir.resolve("net").resolve(name));
    Files.writeString(d.resolve("ifindex"), ifindex + "\n");
    Files.writeString(d.resolve("flags"), flags + "\n");
  }

  @Test
  void listsTheInterfacesNotListedYetWithIndexStateAndNoAddress() throws Exception {
    sysfs("ifb0", "7", "0x82");
    sysfs("br-port", "9", "0x1043");
    AddresslessInterfaces a = at("""
            lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0
          ifb0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
        br-port: 5 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0
        """);
    assertEquals(List.of(new InterfaceInfo("ifb0", 7, false, List.of()), new InterfaceInfo("br-port", 9, true, List.of())),
        a.missingFrom(Set.of("lo")));
  }

  @Test
  void upMeansUpAndRunning() throws Exception {
    sysfs("eth3", "4", "0x1003");
    assertEquals(List.of(new InterfaceInfo("eth3", 4, false, List.of())),
        at("  eth3: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n").missingFrom(Set.of()), "UP but not RUNNING (no carrier)");
  }

  @Test
  void withoutSysfsTheInterfaceIsStillListed() throws Exception {
    assertEquals(List.of(new InterfaceInfo("wwan0", 0, false, List.of())),
        at("  wwan0: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n").missingFrom(Set.of()));
  }

  @Test
  void unreadableSysfsValuesCountAsZero() throws Exception {
    sysfs("odd0", "many", "0xzz");
    assertEquals(List.of(new InterfaceInfo("odd0", 0, false, List.of())),
        at("  odd0: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n").missingFrom(Set.of()));
  }

  @Test
  void withoutProcNetDevNothingIsAdded() {
    assertEquals(List.of(), new AddresslessInterfaces(dir.resolve("absent"), dir).missingFrom(Set.of()));
  }

  @Test
  void linesWithoutANameArePassedOver() throws Exception {
    assertEquals(List.of(), at("garbage without a colon\n   : 1 2 3\n").missingFrom(Set.of()));
  }
}
