package tech.infernet.protocol.message;

import tech.infernet.protocol.MessageType;

/** {@code job.result}: a finished job's result. Answered by {@link JobResult}. */
public record JobResultGet(String id, String jobId) implements Payload.Request {
  public JobResultGet {
    Ids.id(id, "id");
    Ids.id(jobId, "jobId");
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_RESULT;
  }
}
