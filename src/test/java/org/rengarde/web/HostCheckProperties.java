package org.rengarde.web;

import io.netty.util.NetUtil;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.api.Pair.of;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

/**
 * The Host check's decision on any host: IP literals, localhost, the listen host and the listed names pass, in any
 * case and with a trailing dot; any other name is refused, however much it looks like one that passes.
 */
class HostCheckProperties {
  private static final List<String> LISTED = List.of("router.lan", "vpn.example.org");
  private static final HostCheck CHECK = new HostCheck("gateway.home", LISTED, "client.webManager.allowedHosts");

  private static Gen<String> label() {
    return strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 10);
  }

  private static Gen<String> anyCase(Gen<String> names) {
    return names.zip(booleans().all(), booleans().all(), (n, upper, dot) ->
        (upper ? n.toUpperCase(Locale.ROOT) : n) + (dot ? "." : ""));
  }

  @Test
  void anyHostIsDecidedWithoutFailing() {
    Gen<String> any = Generate.frequency(of(2, strings().allPossible().ofLengthBetween(0, 40)),
        of(1, strings().ascii().ofLengthBetween(0, 40)));
    qt().withExamples(3000).forAll(any).checkAssert(CHECK::allowed);
  }

  @Test
  void ipLiteralsPass() {
    Gen<Integer> octet = integers().between(0, 255);
    Gen<String> ipv4 = octet.zip(octet, octet, octet, (a, b, c, d) -> a + "." + b + "." + c + "." + d);
    Gen<byte[]> sixteen = Generate.byteArrays(Generate.constant(16), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE,
        (byte) 0));
    Gen<String> ipv6 = sixteen.map(b -> "[" + NetUtil.bytesToIpAddress(b) + "]");
    qt().withExamples(2000).forAll(Generate.oneOf(ipv4, ipv6)).checkAssert(ip -> assertTrue(CHECK.allowed(ip), ip));
  }

  @Test
  void theManagersNamesPassInAnyCaseWithOrWithoutTheTrailingDot() {
    Gen<String> names = Generate.pick(List.of("localhost", "gateway.home", "router.lan", "vpn.example.org"));
    qt().withExamples(200).forAll(anyCase(names)).checkAssert(n -> assertTrue(CHECK.allowed(n), n));
  }

  @Test
  void anyOtherNameIsRefused() {
    Gen<String> known = Generate.pick(List.of("localhost", "gateway.home", "router.lan", "vpn.example.org",
        "127.0.0.1", "[::1]"));
    Gen<String> lookalike = known.zip(label(), Generate.pick(List.of("%s.%s", "%s%s", "%2$s.%1$s", "%2$s%1$s",
        "%s-%s", "[%s.%s]")), (k, extra, form) -> String.format(form, k, extra));
    Gen<String> random = label().zip(label(), (a, b) -> a + "." + b)
        .assuming(n -> !LISTED.contains(n) && !n.equals("gateway.home"));
    Gen<String> single = label().assuming(n -> !n.equals("localhost"));
    qt().withExamples(2000).forAll(anyCase(Generate.oneOf(lookalike, random, single)))
        .checkAssert(n -> assertFalse(CHECK.allowed(n), n));
  }
}
