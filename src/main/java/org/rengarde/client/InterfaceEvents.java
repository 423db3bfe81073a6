package org.rengarde.client;

import org.rengarde.config.HostPort;

import java.net.InetAddress;

/**
 * The client's log lines for interface events. Each starts with engarde's words, verbatim, because users grep for
 * them; our own detail, if any, follows. Events engarde does not have get lines of the same shape.
 */
final class InterfaceEvents {

  /** Why a link goes: the words after {@code Interface 'IF' }, as engarde puts them where it has the event. */
  static final String NO_LONGER_EXISTS = "no longer exists, deleting it";
  static final String NOW_EXCLUDED = "is now excluded, deleting it";
  static final String DOWN = "is down, deleting it";
  static final String CHANGED_ADDRESS = "changed address, re-creating socket";

  private InterfaceEvents() {
  }

  static String lostAddress() {
    return CHANGED_ADDRESS + " (no eligible address now)";
  }

  static String changedAddress(InetAddress now) {
    return CHANGED_ADDRESS + " (now " + HostPort.format(now) + ")";
  }

  static String reindexed(int before, int now) {
    return "was re-created (index " + before + " -> " + now + "), re-creating socket";
  }

  static String changedDestination(HostPort now) {
    return "changed destination, re-creating socket (now " + now + ")";
  }

  /** A link stopping for {@code reason}, one of the phrases above. */
  static String stopped(String ifName, String reason) {
    return "Interface '" + ifName + "' " + reason;
  }

  /** A link whose socket is up; engarde logs it just before creating the socket. */
  static String added(String ifName, InetAddress source, String detail) {
    return "New interface '" + ifName + "' with IP '" + HostPort.format(source) + "', adding it (" + detail + ")";
  }

  static String cannotResolve(String ifName, HostPort destination) {
    return "Can't resolve destination address '" + destination + "' for interface '" + ifName + "', not using it";
  }

  static String cannotCreateSocket(String ifName, InetAddress source, String why) {
    return "Can't create socket for address '" + HostPort.format(source) + "' on interface '" + ifName
        + "', not using it: " + why;
  }

  /** engarde re-creates a link at its first failed send; ours after a second of nothing but failures. */
  static String sendsFailed(String ifName) {
    return "Error writing to '" + ifName + "', re-creating socket (every send failed for over a second)";
  }

  static String shuttingDown(String ifName) {
    return "Shutting down, deleting interface '" + ifName + "'";
  }
}
