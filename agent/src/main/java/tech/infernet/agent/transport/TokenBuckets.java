package tech.infernet.agent.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** A token bucket per key: {@code perSecond} tokens a second, at most {@code burst} saved up. */
final class TokenBuckets {
  private final double perNano;
  private final int burst;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long refilledAt;
  }

  TokenBuckets(double perSecond, int burst, LongSupplier nanoClock) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.nanoClock = nanoClock;
  }

  /** Takes one token for key; false when its bucket is empty. */
  boolean tryTake(String key) {
    long now = nanoClock.getAsLong();
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
}
