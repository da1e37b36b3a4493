package tech.infernet.agent.api;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import tech.infernet.agent.store.JobEvent;

/** Fans committed store events out to live SSE subscribers. */
final class EventHub implements Consumer<JobEvent> {
  private final Set<Consumer<JobEvent>> subscribers = ConcurrentHashMap.newKeySet();

  @Override
  public void accept(JobEvent e) {
    for (Consumer<JobEvent> s : subscribers) {
      s.accept(e);
    }
  }

  Runnable subscribe(Consumer<JobEvent> s) {
    subscribers.add(s);
    return () -> subscribers.remove(s);
  }
}
