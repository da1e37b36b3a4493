package tech.infernet.protocol.message;

import java.util.List;
import tech.infernet.protocol.MessageType;

/**
 * Reply to {@code job.submit}: the job's id and its state when answered. When the submit asked to
 * wait, {@code events} carries the job's events up to the answer (at most {@link JobEvents#MAX},
 * in sequence order from 1); the submitter acknowledges them like a {@code job.events} batch, with
 * an {@link EventAcks} message, and the agent re-sends those it does not hear about.
 */
public record JobAccepted(String re, String jobId, String state, List<JobEvent> events) implements Payload.Reply {
  public JobAccepted {
    Ids.id(re, "re");
    Ids.id(jobId, "jobId");
    Ids.state(state, "state");
    events = List.copyOf(events);
    if (events.size() > JobEvents.MAX) {
      throw new IllegalArgumentException("events: at most " + JobEvents.MAX);
    }
    for (JobEvent e : events) {
      if (!e.jobId().equals(jobId)) {
        throw new IllegalArgumentException("events: an event of job " + e.jobId() + " in the answer for " + jobId);
      }
    }
  }

  public JobAccepted(String re, String jobId, String state) {
    this(re, jobId, state, List.of());
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_SUBMIT;
  }
}
