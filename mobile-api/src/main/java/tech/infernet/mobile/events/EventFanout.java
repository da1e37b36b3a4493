package tech.infernet.mobile.events;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Routes committed events to the live subscribers of their phone (SSE streams, MQTT sessions)
 * without every subscriber seeing every event. Subscribers are called on the log's writer thread:
 * they must only hand the event to their own context.
 */
public final class EventFanout implements Consumer<StoredEvent> {
  private final Map<String, List<Consumer<StoredEvent>>> byKey = new ConcurrentHashMap<>();

  public static EventFanout attach(EventLog log) {
    EventFanout f = new EventFanout();
    log.subscribe(f);
    return f;
  }

  /** Subscribes to {@code keyId}'s events; returns the unsubscribe action. */
  public Runnable subscribe(String keyId, Consumer<StoredEvent> c) {
    byKey.computeIfAbsent(keyId, k -> new CopyOnWriteArrayList<>()).add(c);
    return () -> byKey.computeIfPresent(keyId, (k, l) -> {
      l.remove(c);
      return l.isEmpty() ? null : l;
    });
  }

  @Override
  public void accept(StoredEvent e) {
    List<Consumer<StoredEvent>> l = byKey.get(e.keyId());
    if (l != null) {
      for (Consumer<StoredEvent> c : l) {
        c.accept(e);
      }
    }
  }

  public int subscribedKeys() {
    return byKey.size();
  }
}
