package tech.infernet.protocol.message;

import tech.infernet.protocol.MessageType;

/** {@code job.get}: one job's status. Answered by {@link JobStatus}. */
public record JobGet(String id, String jobId) implements Payload.Request {
  public JobGet {
    Ids.id(id, "id");
    Ids.id(jobId, "jobId");
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_GET;
  }
}
