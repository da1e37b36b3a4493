package tech.infernet.agent.jobs;

/** A state change that the transition table does not allow, or whose expected source state was stale. */
public final class IllegalTransitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final JobState from;
  private final JobState to;

  public IllegalTransitionException(JobState from, JobState to) {
    super("illegal job transition " + from + " -> " + to);
    this.from = from;
    this.to = to;
  }

  public JobState from() {
    return from;
  }

  public JobState to() {
    return to;
  }
}
