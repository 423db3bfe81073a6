package org.rengarde.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file's instances: engarde's single section as before, and the {@code instances:} list. */
class InstanceListTest {
  private static final String FILE = "engarde.yml";

  private static JsonObject yaml(String text) {
    return EngardeYamlProcessor.read(text);
  }

  private static ConfigException clientsError(String text) {
    return assertThrows(ConfigException.class, () -> InstanceList.clients(FILE, yaml(text)));
  }

  private static final String TWO_CLIENTS_ONE_SERVER = """
      instances:
        - name: home
          client:
            description: at home
            listenAddr: 127.0.0.1:59401
            dstAddr: 203.0.113.7:59402
            webManager:
              listenAddr: 127.0.0.1:9001
        - name: office
          server:
            listenAddr: 0.0.0.0:59402
            dstAddr: 127.0.0.1:59301
        - name: lab
          client:
            listenAddr: 127.0.0.1:59411
            dstAddr: 198.51.100.1:59402
            webManager:
              listenAddr: 127.0.0.1:9002
      """;

  @Test
  void theSamplesCommentedListReads() throws Exception {
    List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("engarde.yml.sample"));
    String list = String.join("\n", lines.subList(lines.indexOf("# instances:"), lines.size()).stream()
        .map(l -> l.substring(Math.min(2, l.length()))).toList());
    Instances<ClientConfig> clients = InstanceList.clients(FILE, yaml(list));
    assertEquals(List.of("home", "office"), List.copyOf(clients.valid().keySet()));
    assertTrue(clients.invalid().isEmpty());
  }

  @Test
  void theSingleSectionIsOneInstanceReadAsBefore() throws ConfigException {
    String text = """
        client:
          listenAddr: 127.0.0.1:59401
          dstAddr: 203.0.113.7:59402
        server:
          listenAddr: 0.0.0.0:59402
          dstAddr: 127.0.0.1:59301
        """;
    Instances<ClientConfig> clients = InstanceList.clients(FILE, yaml(text));
    assertFalse(clients.listed());
    assertEquals(List.of(Instances.SINGLE), List.copyOf(clients.valid().keySet()));
    assertEquals(ConfigParser.client(FILE, yaml(text)), clients.valid().get(Instances.SINGLE));
    assertEquals(ConfigParser.server(FILE, yaml(text)).config(),
        InstanceList.servers(FILE, yaml(text)).valid().get(Instances.SINGLE).config());
  }

  @Test
  void theSingleSectionsErrorsAreTheFilesAsBefore() {
    assertEquals("engarde.yml: no client: section in engarde.yml",
        clientsError("server:\n  listenAddr: 0.0.0.0:1\n  dstAddr: 127.0.0.1:2\n").getMessage());
    assertEquals("engarde.yml: client.listenAddr: required key is missing (expected host:port)",
        clientsError("client:\n  dstAddr: 127.0.0.1:2\n").getMessage());
  }

  @Test
  void eachProgramReadsTheInstancesOfItsRoleInTheFilesOrder() throws ConfigException {
    Instances<ClientConfig> clients = InstanceList.clients(FILE, yaml(TWO_CLIENTS_ONE_SERVER));
    assertTrue(clients.listed());
    assertEquals(List.of("home", "lab"), List.copyOf(clients.valid().keySet()));
    assertEquals("at home", clients.valid().get("home").config().description());
    assertEquals(59411, clients.valid().get("lab").config().listenAddr().port());
    assertTrue(clients.invalid().isEmpty());
    Instances<ServerConfig> servers = InstanceList.servers(FILE, yaml(TWO_CLIENTS_ONE_SERVER));
    assertEquals(List.of("office"), List.copyOf(servers.valid().keySet()));
  }

  @Test
  void anErrorInOneSectionIsThatInstancesAndNamesIt() throws ConfigException {
    Instances<ClientConfig> clients = InstanceList.clients(FILE, yaml(
        TWO_CLIENTS_ONE_SERVER.replace("127.0.0.1:59411", "nowhere")));
    assertEquals(List.of("home"), List.copyOf(clients.valid().keySet()));
    assertEquals("engarde.yml: instance lab: client.listenAddr: \"nowhere\" is not host:port (no port)",
        clients.invalid().get("lab"));
  }

  @Test
  void aSectionsWarningsNameTheInstance() throws ConfigException {
    Instances<ClientConfig> clients = InstanceList.clients(FILE, yaml(TWO_CLIENTS_ONE_SERVER
        .replace("description: at home", "colour: blue").replace("- name: lab", "- name: lab\n    note: spare")));
    assertTrue(clients.valid().get("home").warnings().contains(
        "engarde.yml: instance home: unknown key client.colour ignored"), clients.valid().get("home").warnings()::toString);
    assertEquals(List.of("engarde.yml: instance lab: unknown key note ignored"), clients.valid().get("lab").warnings());
  }

  @Test
  void twoInstancesOnOnePortRefuseTheLaterNamingBoth() throws ConfigException {
    Instances<ClientConfig> clients = InstanceList.clients(FILE, yaml(
        TWO_CLIENTS_ONE_SERVER.replace("127.0.0.1:9002", "0.0.0.0:9001")));
    assertEquals(List.of("home"), List.copyOf(clients.valid().keySet()));
    assertEquals("engarde.yml: instance lab: client.webManager.listenAddr 0.0.0.0:9001 is where instance home listens "
        + "already (client.webManager.listenAddr 127.0.0.1:9001): give each its own port", clients.invalid().get("lab"));
    Instances<ClientConfig> sameUdp = InstanceList.clients(FILE, yaml(
        TWO_CLIENTS_ONE_SERVER.replace("127.0.0.1:59411", "127.0.0.1:59401")));
    assertTrue(sameUdp.invalid().get("lab").contains("client.listenAddr 127.0.0.1:59401 is where instance home"));
  }

  @Test
  void aWebPortUsedByBothRolesIsNoClash() throws ConfigException {
    String text = TWO_CLIENTS_ONE_SERVER.replace("dstAddr: 127.0.0.1:59301",
        "dstAddr: 127.0.0.1:59301\n      webManager:\n        listenAddr: 127.0.0.1:9001");
    assertEquals(2, InstanceList.clients(FILE, yaml(text)).valid().size());
    assertEquals(1, InstanceList.servers(FILE, yaml(text)).valid().size());
  }

  @Test
  void duplicateNamesAreTheFilesError() {
    assertEquals("engarde.yml: instances[2]: the name home is already that of instances[0]: each instance needs a "
        + "name of its own", clientsError(TWO_CLIENTS_ONE_SERVER.replace("name: lab", "name: home")).getMessage());
  }

  @Test
  void aMissingNameIsTheFilesError() {
    assertEquals("engarde.yml: instances[1]: name is missing (each instance needs one, as - name: home)",
        clientsError(TWO_CLIENTS_ONE_SERVER.replace("- name: office\n    server:", "- server:")).getMessage());
  }

  @Test
  void aNameIsShortLettersDigitsDashOrUnderscore() {
    String e = clientsError(TWO_CLIENTS_ONE_SERVER.replace("name: lab", "name: my.lab")).getMessage();
    assertTrue(e.startsWith("engarde.yml: instances[2].name: \"my.lab\" is not an instance name"), e);
  }

  @Test
  void anEntryIsOneRole() {
    assertEquals("engarde.yml: instances[0] (home): has no client: or server: section",
        clientsError("instances:\n  - name: home\n").getMessage());
    assertTrue(clientsError("instances:\n  - name: home\n    client: {}\n    server: {}\n").getMessage()
        .contains("has both client: and server:"));
    assertTrue(clientsError("instances:\n  - just text\n").getMessage()
        .startsWith("engarde.yml: instances[0]: expected an instance"));
  }

  @Test
  void theListIsNotMixedWithTopLevelSections() {
    String e = clientsError(TWO_CLIENTS_ONE_SERVER + "client:\n  listenAddr: 127.0.0.1:1\n  dstAddr: 127.0.0.1:2\n")
        .getMessage();
    assertTrue(e.startsWith("engarde.yml: client: beside instances:"), e);
  }

  @Test
  void theListHoldsInstancesOfThisRole() {
    assertTrue(clientsError("instances: []\n").getMessage().startsWith("engarde.yml: instances: expected a list"));
    assertTrue(clientsError("instances: home\n").getMessage().startsWith("engarde.yml: instances: expected a list"));
    assertEquals("engarde.yml: no entry of instances has a client: section", clientsError("""
        instances:
          - name: office
            server:
              listenAddr: 0.0.0.0:59402
              dstAddr: 127.0.0.1:59301
        """).getMessage());
  }
}
