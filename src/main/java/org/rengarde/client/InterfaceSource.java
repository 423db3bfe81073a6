package org.rengarde.client;

import java.io.IOException;
import java.util.List;

/** Lists the machine's interfaces. Blocking: call it from a worker, never from an event loop. */
public interface InterfaceSource {
  List<InterfaceInfo> list() throws IOException;
}
