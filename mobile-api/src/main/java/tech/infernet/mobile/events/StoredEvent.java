package tech.infernet.mobile.events;

import java.util.Arrays;
import tech.infernet.protocol.internal.Base64Url;

/**
 * One job event as the relay keeps it: the clear minimum a push or a job list needs (job id,
 * status) and the agent's sealed envelope to the phone, kept as opaque bytes the relay cannot
 * open.
 *
 * @param eventId the relay's id for the event: increasing, the SSE id and the MQTT/FCM dedupe key
 */
public record StoredEvent(long eventId, String keyId, String jobId, String status, long timestampMs,
    byte[] envelope) {
  public StoredEvent {
    envelope = envelope.clone();
  }

  @Override
  public byte[] envelope() {
    return envelope.clone();
  }

  public boolean terminal() {
    return EventLog.isTerminal(status);
  }

  /**
   * The event as JSON, the one form every channel sends: {@code eventId, jobId, status, ts,
   * envelope} (base64url of the envelope's binary form). Every field is validated at append, so
   * no escaping is needed.
   */
  public String toJson() {
    return "{\"eventId\":" + eventId + ",\"jobId\":\"" + jobId + "\",\"status\":\"" + status
        + "\",\"ts\":" + timestampMs + ",\"envelope\":\"" + Base64Url.encode(envelope) + "\"}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredEvent e && eventId == e.eventId && keyId.equals(e.keyId)
        && jobId.equals(e.jobId) && status.equals(e.status) && timestampMs == e.timestampMs
        && Arrays.equals(envelope, e.envelope);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(eventId);
  }

  @Override
  public String toString() {
    return "StoredEvent[" + eventId + " " + jobId + " " + status + ", " + envelope.length + " bytes]";
  }
}
