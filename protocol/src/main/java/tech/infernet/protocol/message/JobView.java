package tech.infernet.protocol.message;

/**
 * A job as {@code job.get} and {@code job.list} show it.
 *
 * @param lastSeq sequence number of the job's latest event (0 before any)
 * @param exitCode the container's exit code once it has one; null before
 * @param error why the job failed or was rejected; null otherwise
 */
public record JobView(String jobId, String state, long createdMs, long updatedMs, long lastSeq,
    Integer exitCode, String error) {
  public JobView {
    Ids.id(jobId, "jobId");
    Ids.state(state, "state");
    Ids.nonNegative(createdMs, "createdMs");
    Ids.nonNegative(updatedMs, "updatedMs");
    Ids.nonNegative(lastSeq, "lastSeq");
    if (error != null) {
      Ids.text(error, "error", 4096);
    }
  }
}
