package tech.infernet.protocol.message;

import tech.infernet.protocol.MessageType;

/** {@code event.ack}, owner to agent: event {@code seq} of {@code jobId} arrived; stop resending it. */
public record EventAck(String jobId, long seq) implements Payload {
  public EventAck {
    Ids.id(jobId, "jobId");
    if (seq < 1) {
      throw new IllegalArgumentException("seq: must be at least 1");
    }
  }

  @Override
  public MessageType type() {
    return MessageType.EVENT_ACK;
  }
}
