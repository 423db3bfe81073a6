package org.rengarde.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page in a real browser (Debian's Chromium, driven by Selenium through Debian's chromedriver) against the lab's
 * running client and server: the links are there, Exclude moves one to Excluded, Reset brings it back.
 * Screenshots go to target/screenshots/.
 */
@EnabledIfSystemProperty(named = "rengarde.systemTests", matches = "true")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserSystemIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Lab lab;
  private WebDriver browser;
  private Path profile;
  private final Path screenshots = Path.of(System.getProperty("rengarde.projectDir", "."), "target", "screenshots");

  @BeforeAll
  void up() throws Exception {
    lab = new Lab(Path.of(System.getProperty("rengarde.projectDir", ".")));
    lab.up();
    profile = Files.createTempDirectory("rengarde-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
        "--window-size=1280,1100", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver"))
        .usingAnyFreePort()
        .build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(screenshots);
  }

  @AfterAll
  void down() throws Exception {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      if (lab != null) {
        lab.down();
      }
    }
  }

  private void screenshot(String name) throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Path target = screenshots.resolve(name);
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    System.out.println("[browser] screenshot " + target.toAbsolutePath());
  }

  private WebElement card(String name) {
    return browser.findElement(By.cssSelector(".card[data-interface='" + name + "']"));
  }

  private void waitForStatus(String name, String status) {
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#" + status + " .card[data-interface='" + name + "'][data-status='" + status + "']")));
  }

  @Test
  void thePageShowsTheLinksAndExcludeAndResetWork() throws Exception {
    Process ping = lab.startPing(1500);
    browser.get(Lab.CLIENT_WEB + "/");
    new WebDriverWait(browser, WAIT).until(d -> "true".equals(
        d.findElement(By.tagName("body")).getAttribute("data-ready")));
    for (String link : List.of("rgl-a0", "rgl-b0", "rgl-c0")) {
      waitForStatus(link, "active");
    }
    assertTrue(card("rgl-a0").getText().contains("Cable"), card("rgl-a0").getText());
    waitForStatus("rglwg0", "excluded");
    Thread.sleep(3000);
    screenshot("client-page.png");

    card("rgl-c0").findElement(By.cssSelector(".toggle-exclusion")).click();
    waitForStatus("rgl-c0", "excluded");
    assertEquals("excluded", Lab.statuses().get("rgl-c0"), "the API agrees with the page");
    screenshot("client-page-excluded.png");

    browser.findElement(By.id("reset-exclusions")).click();
    waitForStatus("rgl-c0", "active");
    assertEquals("active", Lab.statuses().get("rgl-c0"));

    browser.get(Lab.SERVER_WEB + "/");
    new WebDriverWait(browser, WAIT).until(d -> "true".equals(
        d.findElement(By.tagName("body")).getAttribute("data-ready")));
    // a link of a peer's card (the relay by peers), or engarde's card per address (wireGuardFilter: false)
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#peers .card[data-peer] .link[data-address], #sockets .card[data-address]")));
    Thread.sleep(2000);
    screenshot("server-page.png");
    PingResult r = Lab.finish(ping);
    System.out.println("[browser] ping while clicking: " + r.figures());
    assertEquals(0, r.lost(), r.figures());
  }
}
