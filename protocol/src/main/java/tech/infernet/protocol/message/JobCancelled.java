package tech.infernet.protocol.message;

import tech.infernet.protocol.MessageType;

/** Reply to {@code job.cancel}: the job's state after the request. */
public record JobCancelled(String re, String jobId, String state) implements Payload.Reply {
  public JobCancelled {
    Ids.id(re, "re");
    Ids.id(jobId, "jobId");
    Ids.state(state, "state");
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_CANCEL;
  }
}
