package org.rengarde;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rengarde.link.EpollLibraries;

import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The jar users run carries the epoll library of every architecture Netty builds it for. A failsafe test: it needs
 * the jar, which the package phase has just built; it needs no root and runs in every {@code mvn verify}.
 */
class FatJarIT {

  @ParameterizedTest
  @MethodSource("org.rengarde.link.EpollLibraries#architectures")
  void theJarCarriesTheEpollLibraryOf(String arch) throws IOException {
    Path jar = Path.of(System.getProperty("rengarde.projectDir", "."), "target", "rengarde.jar");
    try (JarFile file = new JarFile(jar.toFile())) {
      assertNotNull(file.getEntry(EpollLibraries.path(arch)), jar + " lacks " + EpollLibraries.path(arch));
    }
  }
}
