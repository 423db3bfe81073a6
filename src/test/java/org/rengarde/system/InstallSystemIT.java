package org.rengarde.system;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/install with engarde's names, into a scratch directory (its RENGARDE_* variables): the commands run, the
 * units start them with engarde's paths, an engarde already there is neither clobbered nor lost, and --uninstall
 * leaves what it found. Needs root (install creates the system user rengarde); scripts/test runs it.
 */
@EnabledIfSystemProperty(named = "rengarde.systemTests", matches = "true")
class InstallSystemIT {
  private static final Path ROOT = Path.of(System.getProperty("rengarde.projectDir", "."));
  private static final String REAL_ENGARDE = "#!/bin/sh\necho engarde itself\n";
  private static final String ENGARDES_UNIT = "[Service]\nExecStart=/usr/bin/engarde-client /etc/engarde/%i.yml\n";

  @TempDir
  Path dir;
  private Path bin;
  private Path engardeBin;
  private Path units;

  @BeforeEach
  void layOut() throws Exception {
    bin = dir.resolve("bin");
    engardeBin = Files.createDirectories(dir.resolve("usr-bin"));
    units = Files.createDirectories(dir.resolve("units"));
  }

  private Shell.Outcome install(String... args) {
    List<String> cmd = new ArrayList<>(List.of("env", "RENGARDE_PREFIX=" + dir.resolve("opt"), "RENGARDE_BIN=" + bin,
        "RENGARDE_ETC=" + dir.resolve("etc"), "RENGARDE_UNITS=" + units, "RENGARDE_ENGARDE_BIN=" + engardeBin,
        ROOT.resolve("scripts/install").toString()));
    cmd.addAll(List.of(args));
    return Shell.attempt(300, cmd.toArray(String[]::new));
  }

  @Test
  void engardesNamesRunRengardeAndGoAwayOnUninstall() throws Exception {
    Shell.Outcome installed = install("--engarde-names");
    assertEquals(0, installed.exitCode(), installed.output());
    for (String command : List.of("engarde-client", "engarde-server")) {
      Path file = engardeBin.resolve(command);
      assertTrue(Files.isExecutable(file), command);
      assertTrue(Shell.run(file.toString(), "--help").contains("Usage"), command);
    }
    assertTrue(Files.isExecutable(bin.resolve("rengarde-client")));
    assertTrue(Files.readString(units.resolve("engarde-client@.service"))
        .contains("ExecStart=" + engardeBin.resolve("engarde-client") + " /etc/engarde/%i.yml\n"));
    assertTrue(Files.readString(units.resolve("engarde-server@.service"))
        .contains("ExecStart=" + engardeBin.resolve("engarde-server") + " /etc/engarde/%i.yml\n"));

    Shell.Outcome removed = install("--uninstall");
    assertEquals(0, removed.exitCode(), removed.output());
    for (String name : List.of("engarde-client", "engarde-server")) {
      assertFalse(Files.exists(engardeBin.resolve(name)), name);
      assertFalse(Files.exists(units.resolve(name + "@.service")), name);
    }
    assertFalse(Files.exists(bin.resolve("rengarde-client")));
    assertFalse(Files.exists(units.resolve("rengarde-client@.service")));
    assertFalse(Files.exists(dir.resolve("opt")));
  }

  @Test
  void anEngardeThereStopsTheInstallBeforeAnythingIsWritten() throws Exception {
    Path engarde = Files.writeString(engardeBin.resolve("engarde-server"), REAL_ENGARDE);
    Shell.Outcome refused = install("--engarde-names");
    assertEquals(1, refused.exitCode(), refused.output());
    assertTrue(refused.output().contains(engarde + " is there and is not rengarde's"), refused.output());
    assertEquals(REAL_ENGARDE, Files.readString(engarde));
    assertFalse(Files.exists(bin));
    assertFalse(Files.exists(engardeBin.resolve("engarde-client")));
  }

  @Test
  void replacingEngardeKeepsItForTheUninstallToPutBack() throws Exception {
    Path engarde = Files.writeString(engardeBin.resolve("engarde-server"), REAL_ENGARDE);
    Shell.Outcome installed = install("--engarde-names", "--replace-engarde");
    assertEquals(0, installed.exitCode(), installed.output());
    assertTrue(Shell.run(engarde.toString(), "-v").startsWith("rengarde-server ver. "));

    Shell.Outcome removed = install("--uninstall");
    assertEquals(0, removed.exitCode(), removed.output());
    assertEquals(REAL_ENGARDE, Files.readString(engarde));
  }

  @Test
  void engardesOwnUnitIsKeptAndSurvivesTheUninstall() throws Exception {
    Path unit = Files.writeString(units.resolve("engarde-client@.service"), ENGARDES_UNIT);
    Shell.Outcome installed = install("--engarde-names");
    assertEquals(0, installed.exitCode(), installed.output());
    assertEquals(ENGARDES_UNIT, Files.readString(unit));
    assertTrue(Files.exists(units.resolve("engarde-server@.service")));

    Shell.Outcome removed = install("--uninstall");
    assertEquals(0, removed.exitCode(), removed.output());
    assertEquals(ENGARDES_UNIT, Files.readString(unit));
  }
}
