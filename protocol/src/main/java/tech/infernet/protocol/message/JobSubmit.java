package tech.infernet.protocol.message;

import tech.infernet.protocol.MessageType;
import tech.infernet.protocol.spec.JobSpec;

/**
 * {@code job.submit}: run this job. The spec comes inline, or, when it is too large for an
 * envelope, by the SHA-256 of its JSON put to the agent beforehand through a transfer
 * ({@code specSha256}); exactly one of the two. Answered by {@link JobAccepted}.
 *
 * <p>{@code waitMs} (0 to {@link #MAX_WAIT_MS}; 0, the default, answers at once) asks the agent to
 * hold its answer until the job has ended or that long has passed, and to carry the job's events
 * so far in it: a short job then takes one request and one reply instead of a reply, its events
 * and their acknowledgements.
 */
public record JobSubmit(String id, JobSpec spec, String specSha256, int waitMs) implements Payload.Request {
  /** Longest wait a submit may ask for. */
  public static final int MAX_WAIT_MS = 60_000;

  public JobSubmit {
    Ids.id(id, "id");
    if ((spec == null) == (specSha256 == null)) {
      throw new IllegalArgumentException("spec: exactly one of spec and specSha256");
    }
    if (specSha256 != null) {
      Ids.sha256(specSha256, "specSha256");
    }
    if (waitMs < 0 || waitMs > MAX_WAIT_MS) {
      throw new IllegalArgumentException("waitMs: 0 to " + MAX_WAIT_MS);
    }
  }

  public JobSubmit(String id, JobSpec spec) {
    this(id, java.util.Objects.requireNonNull(spec, "spec"), null, 0);
  }

  /** A submit by reference to a spec the sender put through a transfer. */
  public static JobSubmit byReference(String id, String specSha256) {
    return new JobSubmit(id, null, specSha256, 0);
  }

  /** This submit, asking the agent to answer once the job has ended or after waitMs. */
  public JobSubmit waiting(int millis) {
    return new JobSubmit(id, spec, specSha256, millis);
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_SUBMIT;
  }
}
