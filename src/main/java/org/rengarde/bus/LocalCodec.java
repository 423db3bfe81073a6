package org.rengarde.bus;

import io.vertx.core.eventbus.EventBus;

/** Passes an immutable object (a config record) to local consumers by reference. */
public final class LocalCodec<T> extends LocalOnlyCodec<T> {

  private LocalCodec(Class<T> type) {
    super("rengarde-local-" + type.getName());
  }

  /** Registers the codec as the default for {@code type}; idempotent per event bus. */
  public static <T> void register(EventBus bus, Class<T> type) {
    registerDefault(bus, type, new LocalCodec<>(type));
  }

  @Override
  public T transform(T t) {
    return t;
  }
}
