package org.rengarde.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * A codec for objects that never leave the process (rengarde does not run clustered): delivery to local consumers
 * goes through {@link #transform} only.
 */
abstract class LocalOnlyCodec<T> implements MessageCodec<T, T> {
  private final String name;

  LocalOnlyCodec(String name) {
    this.name = name;
  }

  /** Registers {@code codec} as the default for {@code type}; idempotent per event bus. */
  static <T> void registerDefault(EventBus bus, Class<T> type, LocalOnlyCodec<T> codec) {
    try {
      bus.registerDefaultCodec(type, codec);
    } catch (IllegalStateException alreadyRegistered) {
      // registered by an earlier deployment on this Vert.x instance
    }
  }

  @Override
  public final void encodeToWire(Buffer buffer, T t) {
    throw new UnsupportedOperationException(name + ": local only");
  }

  @Override
  public final T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name + ": local only");
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
