package tech.infernet.mobile.rest;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key (an IP address, a key id): {@code burst} tokens, refilled at
 * {@code perSecond}. At most {@code maxKeys} buckets are held; past that, full (idle) buckets are
 * dropped first, then any, so memory stays bounded under a flood of new addresses.
 */
public final class RateLimiter {
  /** A rate: sustained requests per second and burst size. */
  public record Rate(double perSecond, int burst) {}

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.lastNanos = now;
    }
  }

  private final Rate rate;
  private final int maxKeys;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(Rate rate, int maxKeys) {
    this.rate = rate;
    this.maxKeys = maxKeys;
  }

  /**
   * Takes one token for {@code key}; returns 0 when allowed, else the milliseconds until a token
   * is there (for Retry-After).
   */
  public long acquire(String key) {
    long now = System.nanoTime();
    if (buckets.size() >= maxKeys && !buckets.containsKey(key)) {
      evict(now);
    }
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(rate.burst(), now));
    synchronized (b) {
      b.tokens = Math.min(rate.burst(), b.tokens + (now - b.lastNanos) / 1e9 * rate.perSecond());
      b.lastNanos = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - b.tokens) / rate.perSecond() * 1000);
    }
  }

  private void evict(long now) {
    double fullAfterSeconds = rate.burst() / rate.perSecond();
    Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator();
    int removed = 0;
    while (it.hasNext() && removed < 64) {
      Bucket b = it.next().getValue();
      if ((now - b.lastNanos) / 1e9 >= fullAfterSeconds) {
        it.remove();
        removed++;
      }
    }
    it = buckets.entrySet().iterator();
    while (buckets.size() >= maxKeys && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  public int size() {
    return buckets.size();
  }
}
