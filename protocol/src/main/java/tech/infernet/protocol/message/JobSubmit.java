package tech.infernet.protocol.message;

import tech.infernet.protocol.MessageType;
import tech.infernet.protocol.spec.JobSpec;

/**
 * {@code job.submit}: run this job. The spec comes inline, or, when it is too large for an
 * envelope, by the SHA-256 of its JSON put to the agent beforehand through a transfer
 * ({@code specSha256}); exactly one of the two. Answered by {@link JobAccepted}.
 */
public record JobSubmit(String id, JobSpec spec, String specSha256) implements Payload.Request {
  public JobSubmit {
    Ids.id(id, "id");
    if ((spec == null) == (specSha256 == null)) {
      throw new IllegalArgumentException("spec: exactly one of spec and specSha256");
    }
    if (specSha256 != null) {
      Ids.sha256(specSha256, "specSha256");
    }
  }

  public JobSubmit(String id, JobSpec spec) {
    this(id, java.util.Objects.requireNonNull(spec, "spec"), null);
  }

  /** A submit by reference to a spec the sender put through a transfer. */
  public static JobSubmit byReference(String id, String specSha256) {
    return new JobSubmit(id, null, specSha256);
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_SUBMIT;
  }
}
