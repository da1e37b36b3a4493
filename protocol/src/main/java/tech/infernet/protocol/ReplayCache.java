package tech.infernet.protocol;

import java.io.IOException;

/**
 * Remembers which (sender, nonce) pairs a receiver has accepted, each until its expiry. A
 * receiver sets the expiry to the envelope's timestamp plus the skew window: after that the
 * timestamp check refuses the envelope anyway, so the entry can go and the cache stays bounded.
 * Implementations are thread-safe; one that survives restart must have recorded an entry durably
 * before it answers {@link Result#FRESH} ({@link FileReplayCache}), or have ordered the record
 * before every durable effect of the envelope (the agent's store, whose one writer commits the
 * record before or with the job the envelope creates).
 */
public interface ReplayCache extends AutoCloseable {
  /** The outcome of {@link #checkAndRecord}. */
  enum Result {
    /** Not seen before; now recorded. */
    FRESH,
    /** Seen before and not yet expired: a replay. */
    REPLAYED,
    /** Not seen, but the cache holds its capacity of unexpired entries: nothing recorded. */
    FULL
  }

  /**
   * Records {@code (sender, nonce)} until {@code expiresAtMs} unless it is already there;
   * entries whose expiry is before {@code nowMs} may be dropped first.
   */
  Result checkAndRecord(byte[] sender, byte[] nonce, long expiresAtMs, long nowMs) throws IOException;

  /** Unexpired-or-not-yet-purged entries held now. */
  int size();

  @Override
  void close() throws IOException;
}
