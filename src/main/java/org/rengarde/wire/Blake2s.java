package org.rengarde.wire;

import io.netty.buffer.ByteBuf;

/**
 * BLAKE2s (RFC 7693), the hash WireGuard keys its mac1 with. One instance holds one running hash and is reused:
 * {@link #reset} (or {@link #restore}), {@link #update}, {@link #finish}. Nothing is allocated after construction,
 * so it may sit on a packet path; not thread-safe.
 */
public final class Blake2s {
  public static final int BLOCK_BYTES = 64;
  public static final int MAX_OUTPUT_BYTES = 32;
  public static final int MAX_KEY_BYTES = 32;

  private static final int[] IV = {
      0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19};

  private static final byte[][] SIGMA = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
      {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
      {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
      {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
      {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
      {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
      {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
      {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
      {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
      {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}};

  private final int[] h = new int[8];
  private final int[] m = new int[16];
  private final int[] v = new int[16];
  /** The bytes not yet compressed: the last block is compressed only in {@link #finish}, flagged final. */
  private final byte[] buffer = new byte[BLOCK_BYTES];
  private int buffered;
  private long counter;
  private int outputBytes;

  /** Starts a hash of {@code outputBytes} (1-32) bytes, keyed by {@code key} (0-32 bytes; null or empty: unkeyed). */
  public Blake2s reset(int outputBytes, byte[] key) {
    int keyBytes = key == null ? 0 : key.length;
    if (outputBytes < 1 || outputBytes > MAX_OUTPUT_BYTES || keyBytes > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("BLAKE2s: output 1-32 bytes, key 0-32 bytes");
    }
    System.arraycopy(IV, 0, h, 0, 8);
    h[0] ^= 0x01010000 ^ (keyBytes << 8) ^ outputBytes;
    this.outputBytes = outputBytes;
    counter = 0;
    buffered = 0;
    if (keyBytes > 0) {
      java.util.Arrays.fill(buffer, (byte) 0);
      System.arraycopy(key, 0, buffer, 0, keyBytes);
      buffered = BLOCK_BYTES;
    }
    return this;
  }

  /** Adds {@code length} bytes of {@code data} from {@code offset}. */
  public Blake2s update(byte[] data, int offset, int length) {
    for (int i = 0; i < length; i++) {
      if (buffered == BLOCK_BYTES) {
        compressBuffer(false);
      }
      buffer[buffered++] = data[offset + i];
    }
    return this;
  }

  /** Adds {@code length} bytes of {@code data} from absolute index {@code index}, without moving its indexes. */
  public Blake2s update(ByteBuf data, int index, int length) {
    for (int i = 0; i < length; i++) {
      if (buffered == BLOCK_BYTES) {
        compressBuffer(false);
      }
      buffer[buffered++] = data.getByte(index + i);
    }
    return this;
  }

  /** Ends the hash and writes its {@code outputBytes} bytes to {@code out} from {@code offset}. */
  public void finish(byte[] out, int offset) {
    finish();
    for (int i = 0; i < outputBytes; i++) {
      out[offset + i] = (byte) (h[i >>> 2] >>> (8 * (i & 3)));
    }
  }

  /** Ends the hash; its output is then {@link #outputWord} 0, 1, ... (little-endian, as RFC 7693 lays it out). */
  public void finish() {
    java.util.Arrays.fill(buffer, buffered, BLOCK_BYTES, (byte) 0);
    compressBuffer(true);
  }

  /** Word {@code i} (0-7) of the output of {@link #finish()}: output bytes 4i to 4i+3, little-endian. */
  public int outputWord(int i) {
    return h[i];
  }

  /**
   * Copies this hash's progress into {@code into}; with {@link #restore}, a keyed hash's first block (the key) is
   * compressed once and not again for every message.
   */
  public void save(int[] into) {
    System.arraycopy(h, 0, into, 0, 8);
  }

  /** Resumes from {@link #save}: a hash of {@code outputBytes} that has compressed exactly {@code compressedBytes}. */
  public Blake2s restore(int[] saved, long compressedBytes, int outputBytes) {
    System.arraycopy(saved, 0, h, 0, 8);
    counter = compressedBytes;
    buffered = 0;
    this.outputBytes = outputBytes;
    return this;
  }

  /** Compresses a buffered key block now, so that {@link #save} captures it (a keyed hash's first step). */
  public Blake2s compressKeyBlock() {
    if (buffered != BLOCK_BYTES || counter != 0) {
      throw new IllegalStateException("no key block pending");
    }
    compressBuffer(false);
    return this;
  }

  private void compressBuffer(boolean last) {
    counter += buffered;
    buffered = 0;
    for (int i = 0; i < 16; i++) {
      int b = i * 4;
      m[i] = (buffer[b] & 0xFF) | (buffer[b + 1] & 0xFF) << 8 | (buffer[b + 2] & 0xFF) << 16 | (buffer[b + 3] & 0xFF) << 24;
    }
    System.arraycopy(h, 0, v, 0, 8);
    System.arraycopy(IV, 0, v, 8, 8);
    v[12] ^= (int) counter;
    v[13] ^= (int) (counter >>> 32);
    if (last) {
      v[14] = ~v[14];
    }
    for (byte[] s : SIGMA) {
      mix(0, 4, 8, 12, m[s[0]], m[s[1]]);
      mix(1, 5, 9, 13, m[s[2]], m[s[3]]);
      mix(2, 6, 10, 14, m[s[4]], m[s[5]]);
      mix(3, 7, 11, 15, m[s[6]], m[s[7]]);
      mix(0, 5, 10, 15, m[s[8]], m[s[9]]);
      mix(1, 6, 11, 12, m[s[10]], m[s[11]]);
      mix(2, 7, 8, 13, m[s[12]], m[s[13]]);
      mix(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++) {
      h[i] ^= v[i] ^ v[i + 8];
    }
  }

  private void mix(int a, int b, int c, int d, int x, int y) {
    v[a] += v[b] + x;
    v[d] = Integer.rotateRight(v[d] ^ v[a], 16);
    v[c] += v[d];
    v[b] = Integer.rotateRight(v[b] ^ v[c], 12);
    v[a] += v[b] + y;
    v[d] = Integer.rotateRight(v[d] ^ v[a], 8);
    v[c] += v[d];
    v[b] = Integer.rotateRight(v[b] ^ v[c], 7);
  }

  /** BLAKE2s of {@code data} in one call (allocates its result: for set-up, not for a packet path). */
  public static byte[] hash(int outputBytes, byte[] key, byte[] data) {
    byte[] out = new byte[outputBytes];
    new Blake2s().reset(outputBytes, key).update(data, 0, data.length).finish(out, 0);
    return out;
  }
}
