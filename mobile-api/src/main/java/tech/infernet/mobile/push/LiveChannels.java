package tech.infernet.mobile.push;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which phones have a live channel that acknowledges events: an SSE stream, or an MQTT session
 * with a QoS 1 subscription to its job topics. {@link PushDispatcher} waits for their
 * acknowledgement before it falls back on a push.
 */
public final class LiveChannels {
  private final ConcurrentHashMap<String, AtomicInteger> open = new ConcurrentHashMap<>();

  /** Marks a channel of {@code keyId} open; the returned action closes it (idempotent). */
  public Runnable open(String keyId) {
    open.computeIfAbsent(keyId, k -> new AtomicInteger()).incrementAndGet();
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        open.computeIfPresent(keyId, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
      }
    };
  }

  public boolean isLive(String keyId) {
    AtomicInteger n = open.get(keyId);
    return n != null && n.get() > 0;
  }

  public int keys() {
    return open.size();
  }
}
