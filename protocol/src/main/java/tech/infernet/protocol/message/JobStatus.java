package tech.infernet.protocol.message;

import java.util.Objects;
import tech.infernet.protocol.MessageType;

/** Reply to {@code job.get}. */
public record JobStatus(String re, JobView job) implements Payload.Reply {
  public JobStatus {
    Ids.id(re, "re");
    Objects.requireNonNull(job, "job");
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_GET;
  }
}
