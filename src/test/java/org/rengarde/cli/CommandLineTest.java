package org.rengarde.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rengarde.config.Role;

import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {

  private static Invocation parse(String... args) throws CommandLine.UsageException {
    return CommandLine.parse(List.of(args), null);
  }

  private static String usageError(String... args) {
    return assertThrows(CommandLine.UsageException.class, () -> parse(args)).getMessage();
  }

  @Test
  void clientRunsWithTheDefaults() throws CommandLine.UsageException {
    assertEquals(new Invocation(Invocation.Action.RUN, Role.CLIENT, Path.of("engarde.yml"), Level.INFO),
        parse("client"));
  }

  @Test
  void serverRunsWithTheDefaults() throws CommandLine.UsageException {
    assertEquals(new Invocation(Invocation.Action.RUN, Role.SERVER, Path.of("engarde.yml"), Level.INFO),
        parse("server"));
  }

  @Test
  void scriptNameSelectsTheClient() throws CommandLine.UsageException {
    assertEquals(Role.CLIENT, parse("rengarde-client").role());
  }

  @Test
  void scriptNameSelectsTheServer() throws CommandLine.UsageException {
    assertEquals(Role.SERVER, parse("rengarde-server").role());
  }

  @Test
  void programNameIsCaseInsensitive() throws CommandLine.UsageException {
    assertEquals(Role.SERVER, parse("Server").role());
  }

  @Test
  void defaultConfigIsEngardeYmlInTheWorkingDirectory() throws CommandLine.UsageException {
    assertEquals(Path.of("engarde.yml"), parse("server").configFile());
  }

  @Test
  void explicitConfigPath() throws CommandLine.UsageException {
    assertEquals(Path.of("/etc/engarde/engarde.yml"), parse("client", "/etc/engarde/engarde.yml").configFile());
  }

  @Test
  void configPathAfterOptions() throws CommandLine.UsageException {
    Invocation i = parse("server", "--log-level", "debug", "my.yml");
    assertEquals(Path.of("my.yml"), i.configFile());
    assertEquals(Invocation.Action.RUN, i.action());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-v", "--version", "version"})
  void versionAsFirstArgument(String arg) throws CommandLine.UsageException {
    assertEquals(Invocation.Action.VERSION, parse(arg).action());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-v", "--version"})
  void versionAfterTheRole(String arg) throws CommandLine.UsageException {
    Invocation i = parse("client", arg);
    assertEquals(Invocation.Action.VERSION, i.action());
    assertEquals(Role.CLIENT, i.role());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-h", "--help", "help"})
  void helpAsFirstArgument(String arg) throws CommandLine.UsageException {
    assertEquals(Invocation.Action.HELP, parse(arg).action());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-h", "--help"})
  void helpAfterTheRole(String arg) throws CommandLine.UsageException {
    assertEquals(Invocation.Action.HELP, parse("server", arg).action());
  }

  @Test
  void listInterfacesForTheClient() throws CommandLine.UsageException {
    Invocation i = parse("client", "list-interfaces");
    assertEquals(Invocation.Action.LIST_INTERFACES, i.action());
    assertEquals(Role.CLIENT, i.role());
  }

  @Test
  void listInterfacesDetailForTheTable() throws CommandLine.UsageException {
    assertEquals(Invocation.Action.LIST_INTERFACES_DETAIL, parse("client", "list-interfaces", "--detail").action());
    assertEquals(Invocation.Action.LIST_INTERFACES_DETAIL, parse("client", "--detail", "list-interfaces").action());
  }

  @Test
  void detailWithoutListInterfacesIsAnError() {
    assertEquals("--detail goes with list-interfaces: rengarde-client list-interfaces --detail",
        usageError("client", "--detail"));
  }

  @Test
  void versionNamesTheProgramAsEngardeDoes() throws CommandLine.UsageException {
    assertEquals("rengarde-client", parse("client", "-v").program());
    assertEquals("rengarde-server", parse("rengarde-server", "--version").program());
    assertEquals("rengarde", parse("-v").program(), "no program named: no role");
    assertEquals("rengarde-client ver. " + Version.get(), Version.banner(parse("client", "-v").program()));
  }

  @Test
  void listInterfacesForTheServerIsAnError() {
    assertEquals("list-interfaces is a client command: rengarde-client list-interfaces",
        usageError("server", "list-interfaces"));
  }

  @ParameterizedTest
  @CsvSource({"error,SEVERE", "warn,WARNING", "warning,WARNING", "info,INFO", "debug,FINE", "trace,FINEST",
      "DEBUG,FINE", "Trace,FINEST"})
  void logLevelOption(String name, String level) throws CommandLine.UsageException {
    assertEquals(Level.parse(level), parse("client", "--log-level", name).logLevel());
  }

  @Test
  void logLevelDefaultsToInfo() throws CommandLine.UsageException {
    assertEquals(Level.INFO, parse("client").logLevel());
  }

  @Test
  void badLogLevelOption() {
    assertEquals("--log-level loud: not a level (error, warn, info, debug, trace)",
        usageError("client", "--log-level", "loud"));
  }

  @Test
  void logLevelOptionWithoutLevel() {
    assertEquals("--log-level needs a level (error, warn, info, debug, trace)", usageError("client", "--log-level"));
  }

  @Test
  void logLevelFromTheEnvironment() throws CommandLine.UsageException {
    assertEquals(Level.FINE, CommandLine.parse(List.of("server"), "debug").logLevel());
  }

  @Test
  void blankEnvironmentLevelMeansInfo() throws CommandLine.UsageException {
    assertEquals(Level.INFO, CommandLine.parse(List.of("server"), "  ").logLevel());
  }

  @Test
  void optionOverridesTheEnvironment() throws CommandLine.UsageException {
    assertEquals(Level.SEVERE,
        CommandLine.parse(List.of("server", "--log-level", "error"), "trace").logLevel());
  }

  @Test
  void badEnvironmentLevel() {
    CommandLine.UsageException e = assertThrows(CommandLine.UsageException.class,
        () -> CommandLine.parse(List.of("server"), "loud"));
    assertEquals("RENGARDE_LOG_LEVEL=loud is not a log level (error, warn, info, debug, trace)", e.getMessage());
  }

  @Test
  void unknownOption() {
    assertEquals("unknown option --verbose (see --help)", usageError("client", "--verbose"));
  }

  @Test
  void logLevelWithEqualsSignIsAnUnknownOption() {
    assertEquals("unknown option --log-level=debug (see --help)", usageError("client", "--log-level=debug"));
  }

  @Test
  void twoConfigFiles() {
    assertEquals("one configuration file only, got a.yml and b.yml", usageError("server", "a.yml", "b.yml"));
  }

  @Test
  void noArguments() {
    assertEquals("say which program to run: client or server", usageError());
  }

  @Test
  void unknownProgram() {
    assertEquals("unknown program \"relay\": expected client or server", usageError("relay"));
  }

  @Test
  void configFileAsFirstArgumentIsAnUnknownProgram() {
    assertEquals("unknown program \"engarde.yml\": expected client or server", usageError("engarde.yml"));
  }

  @Test
  void helpNamesEveryCommandAndOption() {
    String help = CommandLine.help();
    for (String s : List.of("rengarde-client", "rengarde-server", "list-interfaces", "--detail", "--help", "--version",
        "--log-level", "RENGARDE_LOG_LEVEL", "engarde.yml", "instances:")) {
      assertTrue(help.contains(s), s);
    }
  }

  @Test
  void helpStartsWithTheVersion() {
    assertTrue(CommandLine.help().startsWith("rengarde " + Version.get() + ": "));
  }
}
