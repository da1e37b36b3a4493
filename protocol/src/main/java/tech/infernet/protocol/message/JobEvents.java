package tech.infernet.protocol.message;

import java.util.List;
import tech.infernet.protocol.MessageType;

/**
 * {@code job.events}, agent to owner: up to {@link #MAX} job events in one envelope, in the order
 * the agent sends them (several jobs may be mixed; each job's events in sequence order). The
 * owner answers with {@link EventAcks} naming the events it acknowledges; the agent re-sends the
 * others, so receivers dedupe on (jobId, seq) exactly as for single {@code job.event}s.
 */
public record JobEvents(List<JobEvent> events) implements Payload {
  public static final int MAX = 64;

  public JobEvents {
    events = List.copyOf(events);
    if (events.isEmpty() || events.size() > MAX) {
      throw new IllegalArgumentException("events: 1 to " + MAX + " events");
    }
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_EVENTS;
  }
}
