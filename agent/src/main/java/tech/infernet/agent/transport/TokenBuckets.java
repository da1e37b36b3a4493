package tech.infernet.agent.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per key: {@code perSecond} tokens a second, at most {@code burst} saved up. A
 * bucket left alone long enough to be full again is dropped (a new one starts full, so nothing
 * changes), so keys seen once, such as a flood of fresh NKN identities, do not pile up.
 */
final class TokenBuckets {
  private final double perNano;
  private final int burst;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  /** How long an untouched bucket takes to fill up from empty. */
  private final long refillNanos;
  private final AtomicLong sweptAt;

  private static final class Bucket {
    double tokens;
    long refilledAt;
  }

  TokenBuckets(double perSecond, int burst, LongSupplier nanoClock) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.nanoClock = nanoClock;
    this.refillNanos = (long) Math.ceil(burst / perNano);
    this.sweptAt = new AtomicLong(nanoClock.getAsLong());
  }

  /** Takes one token for key; false when its bucket is empty. */
  boolean tryTake(String key) {
    long now = nanoClock.getAsLong();
    long swept = sweptAt.get();
    if (now - swept > refillNanos && sweptAt.compareAndSet(swept, now)) {
      for (String k : buckets.keySet()) {
        buckets.computeIfPresent(k, (x, b) -> now - b.refilledAt > refillNanos ? null : b);
      }
    }
    boolean[] taken = {false};
    buckets.compute(key, (k, bucket) -> {
      if (bucket == null) {
        bucket = new Bucket();
        bucket.tokens = burst;
      } else {
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) * perNano);
      }
      bucket.refilledAt = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        taken[0] = true;
      }
      return bucket;
    });
    return taken[0];
  }

  /** Buckets held now. */
  int size() {
    return buckets.size();
  }
}
