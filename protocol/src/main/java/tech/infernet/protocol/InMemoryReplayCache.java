package tech.infernet.protocol;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/** A bounded in-memory {@link ReplayCache}; forgets everything on restart. */
public final class InMemoryReplayCache implements ReplayCache {
  /** Default capacity: a 120 s window at over 800 envelopes a second. */
  public static final int DEFAULT_CAPACITY = 100_000;

  private record Entry(ByteBuffer key, long expiresAtMs) {}

  private final int capacity;
  private final Map<ByteBuffer, Long> entries = new HashMap<>();
  private final PriorityQueue<Entry> byExpiry =
      new PriorityQueue<>((a, b) -> Long.compare(a.expiresAtMs, b.expiresAtMs));

  public InMemoryReplayCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  public InMemoryReplayCache() {
    this(DEFAULT_CAPACITY);
  }

  @Override
  public synchronized Result checkAndRecord(byte[] sender, byte[] nonce, long expiresAtMs, long nowMs) {
    purge(nowMs);
    ByteBuffer key = key(sender, nonce);
    if (entries.containsKey(key)) {
      return Result.REPLAYED;
    }
    if (entries.size() >= capacity) {
      return Result.FULL;
    }
    put(key, expiresAtMs);
    return Result.FRESH;
  }

  /** Adds an entry without checking (loading persisted state); false when full. */
  synchronized boolean restore(ByteBuffer key, long expiresAtMs, long nowMs) {
    if (expiresAtMs < nowMs || entries.containsKey(key)) {
      return true;
    }
    if (entries.size() >= capacity) {
      return false;
    }
    put(key, expiresAtMs);
    return true;
  }

  /** Drops entries that expired before {@code nowMs}. */
  synchronized void purge(long nowMs) {
    while (!byExpiry.isEmpty() && byExpiry.peek().expiresAtMs < nowMs) {
      Entry e = byExpiry.poll();
      entries.remove(e.key, e.expiresAtMs);
    }
  }

  /** Calls {@code sink} for every entry held. */
  synchronized void forEach(java.util.function.ObjLongConsumer<ByteBuffer> sink) {
    entries.forEach((k, v) -> sink.accept(k, v));
  }

  @Override
  public synchronized int size() {
    return entries.size();
  }

  @Override
  public void close() {}

  private void put(ByteBuffer key, long expiresAtMs) {
    entries.put(key, expiresAtMs);
    byExpiry.add(new Entry(key, expiresAtMs));
  }

  static ByteBuffer key(byte[] sender, byte[] nonce) {
    if (sender.length != 32 || nonce.length != Crypto.NONCE_BYTES) {
      throw new IllegalArgumentException("sender is 32 bytes, nonce 24");
    }
    byte[] k = new byte[56];
    System.arraycopy(sender, 0, k, 0, 32);
    System.arraycopy(nonce, 0, k, 32, 24);
    return ByteBuffer.wrap(k).asReadOnlyBuffer();
  }
}
