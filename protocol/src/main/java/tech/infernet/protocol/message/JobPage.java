package tech.infernet.protocol.message;

import java.util.List;
import tech.infernet.protocol.MessageType;

/** Reply to {@code job.list}; {@code next} is null on the last page. */
public record JobPage(String re, List<JobView> jobs, String next) implements Payload.Reply {
  public JobPage {
    Ids.id(re, "re");
    jobs = List.copyOf(jobs);
    if (jobs.size() > JobList.MAX_LIMIT) {
      throw new IllegalArgumentException("jobs: more than " + JobList.MAX_LIMIT);
    }
    if (next != null) {
      Ids.id(next, "next");
    }
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_LIST;
  }
}
