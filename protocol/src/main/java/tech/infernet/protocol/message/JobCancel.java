package tech.infernet.protocol.message;

import tech.infernet.protocol.MessageType;

/** {@code job.cancel}: stop this job. Answered by {@link JobCancelled}. */
public record JobCancel(String id, String jobId) implements Payload.Request {
  public JobCancel {
    Ids.id(id, "id");
    Ids.id(jobId, "jobId");
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_CANCEL;
  }
}
