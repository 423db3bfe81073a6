package org.rengarde.web;

import io.vertx.core.net.HostAndPort;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.api.Pair.of;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

/** The cross-site decision on any Sec-Fetch-Site, Origin and Referer, for the host and port a request names. */
class CrossSiteCheckProperties {
  private static final HostAndPort SELF = HostAndPort.create("127.0.0.1", 9001);

  /** A header's value: absent, one a browser sends, or anything. */
  private static Gen<String> header(List<String> usual) {
    return Generate.frequency(of(2, Generate.constant(() -> (String) null)), of(2, Generate.pick(usual)),
        of(1, strings().allPossible().ofLengthBetween(0, 30)), of(1, strings().ascii().ofLengthBetween(0, 30)));
  }

  private static final Gen<String> SITE = header(List.of("same-origin", "SAME-ORIGIN", "none", "same-site",
      "cross-site", ""));
  private static final Gen<String> URL = header(List.of("http://127.0.0.1:9001", "HTTP://127.0.0.1:9001/x",
      "https://127.0.0.1:9001", "http://127.0.0.1", "http://127.0.0.1:9002", "http://evil.example", "null", "",
      "http://user@127.0.0.1:9001", "http://[::1]:9001", "ftp://127.0.0.1:9001", "http://127.0.0.1:9001@evil",
      "//127.0.0.1:9001", "http:// 127.0.0.1:9001", "http://%zz"));

  private static Gen<HostAndPort> self() {
    return Generate.frequency(of(4, Generate.constant(SELF)), of(1, Generate.constant(() -> (HostAndPort) null)),
        of(1, Generate.pick(List.of("localhost", "router.lan", "[::1]", "")).zip(integers().between(-1, 65535),
            HostAndPort::create)));
  }

  @Test
  void anyHeadersAreDecidedWithoutFailing() {
    qt().withExamples(3000).forAll(SITE, URL, URL, self()).checkAssert((site, origin, referer, self) -> {
      String refusal = CrossSiteCheck.refusal(site, origin, referer, self);
      assertTrue(refusal == null || refusal.startsWith("cross-site request refused"), refusal);
    });
  }

  @Test
  void aFetchSiteOtherThanSameOriginOrNoneIsRefusedWhateverElse() {
    Gen<String> other = strings().allPossible().ofLengthBetween(0, 20)
        .assuming(s -> !s.equalsIgnoreCase("same-origin") && !s.equalsIgnoreCase("none"));
    qt().withExamples(1000).forAll(Generate.oneOf(other, Generate.pick(List.of("same-site", "cross-site"))), URL, URL)
        .checkAssert((site, origin, referer) -> assertNotNull(CrossSiteCheck.refusal(site, origin, referer, SELF)));
  }

  @Test
  void theManagersOwnOriginPassesInAnyCaseWhateverTheReferer() {
    Gen<String> origin = booleans().all().zip(booleans().all(), Generate.pick(List.of("", "/", "/index.html")),
        (upper, https, path) -> {
          String o = (https ? "https" : "http") + "://127.0.0.1:9001" + path;
          return upper ? o.toUpperCase(Locale.ROOT) : o;
        });
    qt().withExamples(500).forAll(origin, Generate.pick(List.of("same-origin", "none", "NONE")), URL)
        .checkAssert((o, site, referer) -> assertNull(CrossSiteCheck.refusal(site, o, referer, SELF)));
  }

  @Test
  void anotherHostOrPortIsRefused() {
    Gen<String> elsewhere = Generate.pick(List.of("127.0.0.2", "localhost", "evil.example", "127.0.0.1.evil"))
        .zip(integers().between(1, 65535), (host, port) -> "http://" + host + ":" + port)
        .mix(integers().between(1, 65535).assuming(p -> p != 9001).map(p -> "http://127.0.0.1:" + p));
    qt().withExamples(1000).forAll(elsewhere, booleans().all()).checkAssert((url, asReferer) -> assertNotNull(
        asReferer ? CrossSiteCheck.refusal(null, null, url, SELF) : CrossSiteCheck.refusal(null, url, null, SELF),
        url));
  }
}
