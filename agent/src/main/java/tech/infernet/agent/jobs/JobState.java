package tech.infernet.agent.jobs;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Job lifecycle. QUEUED -> PREPARING (image pull, container create) -> RUNNING -> one of the
 * terminal states; REJECTED is set at admission. PREPARING -> QUEUED exists only for crash
 * recovery: a job whose container was never started is re-queued after a restart.
 */
public enum JobState {
  QUEUED, PREPARING, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, REJECTED;

  private static final Map<JobState, Set<JobState>> NEXT = Map.of(
      QUEUED, EnumSet.of(PREPARING, CANCELLED, FAILED),
      PREPARING, EnumSet.of(RUNNING, FAILED, CANCELLED, TIMED_OUT, QUEUED),
      RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT),
      SUCCEEDED, EnumSet.noneOf(JobState.class),
      FAILED, EnumSet.noneOf(JobState.class),
      CANCELLED, EnumSet.noneOf(JobState.class),
      TIMED_OUT, EnumSet.noneOf(JobState.class),
      REJECTED, EnumSet.noneOf(JobState.class));

  public boolean isTerminal() {
    return NEXT.get(this).isEmpty();
  }

  public boolean canMoveTo(JobState next) {
    return NEXT.get(this).contains(next);
  }

  /** Throws {@link IllegalTransitionException} unless {@code this -> next} is in the table. */
  public void checkMoveTo(JobState next) {
    if (!canMoveTo(next)) {
      throw new IllegalTransitionException(this, next);
    }
  }
}
