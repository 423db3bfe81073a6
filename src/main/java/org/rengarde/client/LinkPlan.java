package org.rengarde.client;

import java.util.List;

/**
 * What one poll decided: links to stop (with the reason, for the log) and links to start (destination not yet
 * resolved). A link whose interface changed appears in both.
 */
public record LinkPlan(List<Stop> stops, List<LinkStart> starts) {

  /** @param reason engarde's words for it, as they follow {@code Interface 'IF' } in the log */
  public record Stop(String ifName, String reason) {
  }

  public LinkPlan {
    stops = List.copyOf(stops);
    starts = List.copyOf(starts);
  }

  public boolean isEmpty() {
    return stops.isEmpty() && starts.isEmpty();
  }
}
