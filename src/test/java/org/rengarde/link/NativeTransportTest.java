package org.rengarde.link;

import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The epoll libraries on the classpath the shade plugin packs ({@code org.rengarde.FatJarIT} checks the jar itself),
 * and the one for this machine loading.
 */
class NativeTransportTest {

  @ParameterizedTest
  @MethodSource("org.rengarde.link.EpollLibraries#architectures")
  void theEpollLibraryOfEachArchitectureIsOnTheClasspath(String arch) {
    String path = EpollLibraries.path(arch);
    assertNotNull(getClass().getClassLoader().getResource(path), path + " is missing");
  }

  /** Names as the JVM gives os.arch on the machines Netty builds for. */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "x86_64", "aarch64", "riscv64"})
  void theLibraryOfThisMachineLoads() {
    Epoll.ensureAvailability();
  }
}
