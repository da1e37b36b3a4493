package tech.infernet.protocol.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tech.infernet.protocol.MessageType;

/**
 * {@code job.event}, agent to owner: event number {@code seq} (1, 2, ... per job) of a job.
 * Delivered at least once until acknowledged with {@link EventAck}; receivers dedupe on
 * (jobId, seq).
 *
 * @param kind what happened ({@code state}, {@code log}, {@code token}, {@code result}...)
 * @param data the event's fields, a JSON object tree
 */
public record JobEvent(String jobId, long seq, long timestampMs, String kind, Map<String, Object> data)
    implements Payload {
  public JobEvent {
    Ids.id(jobId, "jobId");
    if (seq < 1) {
      throw new IllegalArgumentException("seq: must be at least 1");
    }
    Ids.nonNegative(timestampMs, "ts");
    Ids.kind(kind, "kind");
    data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_EVENT;
  }
}
