package org.rengarde.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InterfaceListerTest {
  private static final String NL = System.lineSeparator();

  private static List<InterfaceInfo> interfaces() throws Exception {
    return List.of(
        new InterfaceInfo("lo", 1, true, List.of(InetAddress.getByName("127.0.0.1"))),
        new InterfaceInfo("eth0", 2, true, List.of(InetAddress.getByName("fe80::1"), InetAddress.getByName("10.0.0.2"))),
        new InterfaceInfo("ifb0", 3, false, List.of()));
  }

  private static String printed(BiConsumer<List<InterfaceInfo>, PrintStream> form) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      form.accept(interfaces(), out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** engarde's listInterfaces: "\r\n" + name + "\r\n", "  Address: " + address + "\r\n", every interface. */
  @Test
  void engardeFormListsEveryInterfaceWithItsEligibleAddressOrNothing() throws Exception {
    assertEquals(NL + "lo" + NL + "  Address: " + NL
            + NL + "eth0" + NL + "  Address: 10.0.0.2" + NL
            + NL + "ifb0" + NL + "  Address: " + NL,
        printed(InterfaceLister::engardeForm));
  }

  @Test
  void tableHasIndexAndState() throws Exception {
    List<String> rows = printed(InterfaceLister::table).lines().toList();
    assertEquals(4, rows.size());
    assertEquals(List.of("INTERFACE", "INDEX", "STATE", "ADDRESSES", "A", "LINK", "WOULD", "USE"),
        List.of(rows.get(0).split(" +")));
    assertEquals(List.of("eth0", "2", "up", "10.0.0.2"), List.of(rows.get(2).split(" +")));
    assertEquals(List.of("ifb0", "3", "down"), List.of(rows.get(3).split(" +")).subList(0, 3));
  }
}
