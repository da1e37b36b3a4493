package tech.infernet.protocol.message;

import tech.infernet.protocol.MessageType;

/** Reply to {@code job.submit}: the job's id and first state. */
public record JobAccepted(String re, String jobId, String state) implements Payload.Reply {
  public JobAccepted {
    Ids.id(re, "re");
    Ids.id(jobId, "jobId");
    Ids.state(state, "state");
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_SUBMIT;
  }
}
