package tech.infernet.protocol.message;

import java.util.regex.Pattern;
import tech.infernet.protocol.MessageType;

/**
 * {@code event.carry}, agent to carrier: the owner of a job reaches the agent through a carrier
 * (a relay), so the agent hands the carrier the owner's {@code job.event} envelope, sealed to the
 * owner (the carrier cannot read it), together with the few clear fields the carrier needs to
 * store, route and push it. The carrier answers with {@link EventAck} for (jobId, seq) once it
 * has stored the event durably; until then the agent keeps re-sending it.
 *
 * @param owner the owner's public key, 64 lower-case hex digits (the inner envelope's recipient)
 * @param status the job's state when the event was made (lower-case state name)
 * @param envelope the binary {@code job.event} envelope from the agent to the owner
 */
public record EventCarry(String owner, String jobId, long seq, String status, byte[] envelope) implements Payload {
  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-f]{64}");

  public EventCarry {
    if (owner == null || !HEX_KEY.matcher(owner).matches()) {
      throw new IllegalArgumentException("owner: 64 lower-case hex digits (a public key)");
    }
    Ids.id(jobId, "jobId");
    if (seq < 1) {
      throw new IllegalArgumentException("seq: must be at least 1");
    }
    Ids.state(status, "status");
    if (envelope == null || envelope.length == 0) {
      throw new IllegalArgumentException("envelope: required");
    }
    envelope = envelope.clone();
  }

  @Override
  public byte[] envelope() {
    return envelope.clone();
  }

  @Override
  public MessageType type() {
    return MessageType.EVENT_CARRY;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventCarry c && c.owner.equals(owner) && c.jobId.equals(jobId) && c.seq == seq
        && c.status.equals(status) && java.util.Arrays.equals(c.envelope, envelope);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(owner, jobId, seq, status, java.util.Arrays.hashCode(envelope));
  }

  @Override
  public String toString() {
    return "EventCarry[owner=" + owner + ", jobId=" + jobId + ", seq=" + seq + ", status=" + status
        + ", envelope=" + envelope.length + " bytes]";
  }
}
