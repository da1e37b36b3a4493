package tech.infernet.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tech.infernet.protocol.message.JobEvent;

/**
 * Puts each (agent, job)'s events back in sequence order: agents send an owner's events back to
 * back and NKN may reorder them. An event is handed over when every earlier one has been, and
 * acknowledged only then (an acknowledged event is never lost; an event held back is simply
 * re-sent by the agent if its acknowledgement is late). Duplicates of events already handed over
 * are acknowledged and dropped.
 *
 * <p>The first event seen of a job need not be its first: an earlier client instance may have had
 * the ones before. If a job's events start above 1, they are held for {@code startGapMs} for the
 * earlier ones to arrive, then handed over from the lowest held. All state is touched only on
 * {@code thread}.
 */
final class EventOrder {
  private record Arrival(JobEvent event, Runnable ack) {}

  private static final class Stream {
    /** The next sequence to hand over; 0 while the job's start is not known. */
    long next;
    boolean startTimer;
    final TreeMap<Long, List<Arrival>> held = new TreeMap<>();
  }

  private final Map<String, Stream> streams = new HashMap<>();
  private final ScheduledExecutorService thread;
  private final long startGapMs;
  private final Consumer<JobEvent> sink;

  EventOrder(ScheduledExecutorService thread, long startGapMs, Consumer<JobEvent> sink) {
    this.thread = thread;
    this.startGapMs = startGapMs;
    this.sink = sink;
  }

  /** One arrival of an event from agent {@code agentKey}; {@code ack} acknowledges it to the agent. */
  void accept(String agentKey, JobEvent event, Runnable ack) {
    Stream s = streams.computeIfAbsent(agentKey + "/" + event.jobId(), k -> new Stream());
    if (s.next > 0 && event.seq() < s.next) {
      ack.run(); // handed over already: a re-send
      return;
    }
    s.held.computeIfAbsent(event.seq(), k -> new ArrayList<>()).add(new Arrival(event, ack));
    if (s.next == 0 && event.seq() == 1) {
      s.next = 1;
    }
    if (s.next == 0) {
      if (!s.startTimer) {
        s.startTimer = true;
        thread.schedule(() -> {
          if (s.next == 0) {
            s.next = s.held.firstKey();
            release(s);
          }
        }, startGapMs, TimeUnit.MILLISECONDS);
      }
      return;
    }
    release(s);
  }

  private void release(Stream s) {
    while (!s.held.isEmpty() && s.held.firstKey() <= s.next) {
      Map.Entry<Long, List<Arrival>> first = s.held.pollFirstEntry();
      if (first.getKey() == s.next) {
        sink.accept(first.getValue().get(0).event());
        s.next++;
      }
      first.getValue().forEach(a -> a.ack().run());
    }
  }

  /** Events held back waiting for an earlier one (for tests and metrics). */
  int held() {
    return streams.values().stream().mapToInt(s -> s.held.size()).sum();
  }
}
