package tech.infernet.protocol.message;

import tech.infernet.protocol.MessageType;

/**
 * {@code job.list}: a page of the sender's visible jobs, newest first. Answered by {@link JobPage}.
 *
 * @param state only jobs in this state; null for all
 * @param limit page size, 1..500
 * @param after the {@code next} cursor of the previous page; null for the first
 */
public record JobList(String id, String state, int limit, String after) implements Payload.Request {
  public static final int MAX_LIMIT = 500;

  public JobList {
    Ids.id(id, "id");
    if (state != null) {
      Ids.state(state, "state");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit: must be in 1.." + MAX_LIMIT);
    }
    if (after != null) {
      Ids.id(after, "after");
    }
  }

  @Override
  public MessageType type() {
    return MessageType.JOB_LIST;
  }
}
