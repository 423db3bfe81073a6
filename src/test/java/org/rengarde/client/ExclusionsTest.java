package org.rengarde.client;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExclusionsTest {
  private final Exclusions exclusions = new Exclusions(Set.of("wg0", "lo"));

  @Test
  void configuredNameIsExcluded() {
    assertTrue(exclusions.isExcluded("wg0"));
  }

  @Test
  void otherNameIsIncluded() {
    assertFalse(exclusions.isExcluded("eth0"));
  }

  @Test
  void namesAreExact() {
    assertFalse(exclusions.isExcluded("wg"));
    assertFalse(exclusions.isExcluded("WG0"));
    assertFalse(exclusions.isExcluded("wg0.1"));
  }

  @Test
  void swapExcludesAnIncludedName() {
    exclusions.swap("eth0");
    assertTrue(exclusions.isExcluded("eth0"));
  }

  @Test
  void swapIncludesAConfiguredName() {
    exclusions.swap("wg0");
    assertFalse(exclusions.isExcluded("wg0"));
  }

  @Test
  void swapTwiceRestores() {
    exclusions.swap("eth0");
    exclusions.swap("eth0");
    assertFalse(exclusions.isExcluded("eth0"));
  }

  @Test
  void swapWorksForNamesNoInterfaceHas() {
    exclusions.swap("nosuch9");
    assertTrue(exclusions.isExcluded("nosuch9"));
  }

  @Test
  void swapTouchesOnlyItsName() {
    exclusions.swap("eth0");
    assertFalse(exclusions.isExcluded("eth1"));
    assertTrue(exclusions.isExcluded("lo"));
  }

  @Test
  void includeOfExcludedReturnsTrue() {
    assertTrue(exclusions.include("wg0"));
  }

  @Test
  void includeOfExcludedIncludes() {
    exclusions.include("wg0");
    assertFalse(exclusions.isExcluded("wg0"));
  }

  @Test
  void includeOfIncludedReturnsFalse() {
    assertFalse(exclusions.include("eth0"));
  }

  @Test
  void includeOfIncludedChangesNothing() {
    exclusions.include("eth0");
    assertFalse(exclusions.isExcluded("eth0"));
  }

  @Test
  void excludeOfIncludedReturnsTrue() {
    assertTrue(exclusions.exclude("eth0"));
  }

  @Test
  void excludeOfIncludedExcludes() {
    exclusions.exclude("eth0");
    assertTrue(exclusions.isExcluded("eth0"));
  }

  @Test
  void excludeOfExcludedReturnsFalse() {
    assertFalse(exclusions.exclude("wg0"));
  }

  @Test
  void excludeOfExcludedChangesNothing() {
    exclusions.exclude("wg0");
    assertTrue(exclusions.isExcluded("wg0"));
  }

  @Test
  void excludeThenIncludeRestores() {
    exclusions.exclude("eth0");
    assertTrue(exclusions.include("eth0"));
    assertFalse(exclusions.isExcluded("eth0"));
  }

  @Test
  void resetDropsEveryToggle() {
    exclusions.swap("eth0");
    exclusions.swap("wg0");
    exclusions.reset();
    assertFalse(exclusions.isExcluded("eth0"));
    assertTrue(exclusions.isExcluded("wg0"));
  }

  @Test
  void setConfiguredReplacesTheList() {
    exclusions.setConfigured(Set.of("eth1"));
    assertFalse(exclusions.isExcluded("wg0"));
    assertTrue(exclusions.isExcluded("eth1"));
  }

  @Test
  void setConfiguredKeepsToggles() {
    exclusions.swap("eth0");
    exclusions.setConfigured(Set.of("wg0"));
    assertTrue(exclusions.isExcluded("eth0"));
  }

  @Test
  void listingAToggledNameInTheFileDropsTheToggleSoTheFileWins() {
    exclusions.swap("eth0");
    exclusions.setConfigured(Set.of("eth0"));
    assertTrue(exclusions.isExcluded("eth0"), "excluded through the API, then in the file: stays excluded");
  }

  @Test
  void unlistingAToggledNameDropsTheToggleToo() {
    exclusions.setConfigured(Set.of("eth0"));
    exclusions.swap("eth0");
    exclusions.setConfigured(Set.of());
    assertFalse(exclusions.isExcluded("eth0"));
  }

  @Test
  void laterChangesToTheGivenSetDoNotLeakIn() {
    Set<String> names = new java.util.HashSet<>(Set.of("eth0"));
    Exclusions e = new Exclusions(names);
    names.add("eth1");
    assertFalse(e.isExcluded("eth1"));
  }
}
