package tech.infernet.protocol.message;

import java.util.Objects;
import tech.infernet.protocol.MessageType;
import tech.infernet.protocol.spec.JobSpec;

/** {@code job.submit}: run this job. Answered by {@link JobAccepted}. */
public record JobSubmit(String id, JobSpec spec) implements Payload.Request {
  public JobSubmit {
    Ids.id(id, "id");
    Objects.requireNonNull(spec, "spec");
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_SUBMIT;
  }
}
