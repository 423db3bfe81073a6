package org.rengarde.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Where {@link UdpSocket#keep} moves small datagrams out of their read buffers: one pooled chunk per event loop,
 * filled in arrival order, each datagram a slice of it. The datagrams of a read batch thus lie side by side, so a
 * GSO send of a run of them hands the kernel one span of memory instead of a composite buffer (whose
 * per-component bookkeeping and NIO views cost some 80 bytes per datagram per link). A chunk lives until its last
 * datagram is released; it holds {@value #CHUNK_BYTES} bytes, a few read batches' worth.
 *
 * <p>Ownership: the chunk holds one reference for the loop while it is being filled, each slice one of its own.
 */
final class KeptBytes {
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final FastThreadLocal<KeptBytes> PER_LOOP = new FastThreadLocal<>() {
    @Override
    protected KeptBytes initialValue() {
      return new KeptBytes();
    }

    @Override
    protected void onRemoval(KeptBytes kept) {
      kept.dropChunk();
    }
  };

  private ByteBuf chunk;

  private KeptBytes() {
  }

  /** A copy of {@code source}'s readable bytes (at most {@value #CHUNK_BYTES}), owned by the caller. */
  static ByteBuf copy(ByteBufAllocator allocator, ByteBuf source) {
    return PER_LOOP.get().copyOf(allocator, source);
  }

  private ByteBuf copyOf(ByteBufAllocator allocator, ByteBuf source) {
    int length = source.readableBytes();
    if (chunk == null || chunk.writableBytes() < length) {
      dropChunk();
      chunk = allocator.directBuffer(CHUNK_BYTES, CHUNK_BYTES);
    }
    int at = chunk.writerIndex();
    chunk.writeBytes(source, source.readerIndex(), length);
    return chunk.retainedSlice(at, length);
  }

  private void dropChunk() {
    if (chunk != null) {
      chunk.release();
      chunk = null;
    }
  }
}
