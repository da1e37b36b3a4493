package tech.infernet.agent.store;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tech.infernet.protocol.ReplayCache;

/**
 * The agent's replay cache of request envelopes, kept in its store. A (sender, nonce) is checked
 * against memory (loaded from the store at start) and its record queued on the store's one ordered
 * writer: every write the envelope then causes (a job, a cancel) commits after that record or in
 * the same transaction, so no effect of an envelope survives a crash without the record that
 * refuses it again. This costs the request no fsync and no wait for a commit; the records have the
 * store's durability (they survive a crash of the agent; a power cut can take the last commits of
 * both, records and jobs alike). Envelopes with no durable effect (reads) are answered possibly
 * before their record commits; replaying one after such a crash re-reads, which is harmless.
 */
public final class EnvelopeReplays implements ReplayCache {
  private static final long PURGE_EVERY_MS = 1_000;
  private final Store store;
  private final int capacity;
  private final Map<String, Long> seen = new ConcurrentHashMap<>();
  private final AtomicLong purgedAt = new AtomicLong();

  private EnvelopeReplays(Store store, int capacity) {
    this.store = store;
    this.capacity = capacity;
  }

  /** The cache over {@code store}, with its unexpired records; at most {@code capacity} held at once. */
  public static EnvelopeReplays open(Store store, int capacity) {
    EnvelopeReplays r = new EnvelopeReplays(store, capacity);
    long now = System.currentTimeMillis();
    for (String[] row : store.replays(now)) {
      r.seen.put(row[0] + "/" + row[1], Long.parseLong(row[2]));
    }
    return r;
  }

  @Override
  public Result checkAndRecord(byte[] sender, byte[] nonce, long expiresAtMs, long nowMs) {
    long last = purgedAt.get();
    if ((nowMs - last >= PURGE_EVERY_MS || seen.size() >= capacity) && purgedAt.compareAndSet(last, nowMs)) {
      seen.values().removeIf(expiry -> expiry < nowMs);
      store.purgeReplays(nowMs);
    }
    if (seen.size() >= capacity) {
      return Result.FULL;
    }
    String senderHex = HexFormat.of().formatHex(sender);
    String nonceHex = HexFormat.of().formatHex(nonce);
    if (seen.putIfAbsent(senderHex + "/" + nonceHex, expiresAtMs) != null) {
      return Result.REPLAYED;
    }
    store.recordReplay(senderHex, nonceHex, expiresAtMs);
    return Result.FRESH;
  }

  @Override
  public int size() {
    return seen.size();
  }

  @Override
  public void close() {
    // the store is closed by its owner
  }
}
