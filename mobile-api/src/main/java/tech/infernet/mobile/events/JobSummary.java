package tech.infernet.mobile.events;

/** A job as the relay sees it from its events: id, latest clear status, first and last event. */
public record JobSummary(String jobId, String status, long createdMs, long updatedMs, long lastEventId) {
  public boolean terminal() {
    return EventLog.isTerminal(status);
  }

  public String toJson() {
    return "{\"jobId\":\"" + jobId + "\",\"status\":\"" + status + "\",\"createdMs\":" + createdMs
        + ",\"updatedMs\":" + updatedMs + ",\"lastEventId\":" + lastEventId + ",\"terminal\":"
        + terminal() + "}";
  }
}
