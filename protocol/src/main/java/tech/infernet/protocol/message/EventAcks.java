package tech.infernet.protocol.message;

import java.util.List;
import tech.infernet.protocol.MessageType;

/**
 * The answer to {@code job.events}, owner to agent: the events of that batch it acknowledges
 * (it has handed them over); the agent stops resending those. Same type code as the batch.
 */
public record EventAcks(List<EventAck> acks) implements Payload {
  public EventAcks {
    acks = List.copyOf(acks);
    if (acks.size() > JobEvents.MAX) {
      throw new IllegalArgumentException("acks: at most " + JobEvents.MAX);
    }
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_EVENTS;
  }
}
