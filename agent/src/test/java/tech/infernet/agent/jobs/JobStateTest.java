package tech.infernet.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JobStateTest {
  @Test
  void happyPathIsAllowed() {
    assertDoesNotThrow(() -> JobState.QUEUED.checkMoveTo(JobState.PREPARING));
    assertDoesNotThrow(() -> JobState.PREPARING.checkMoveTo(JobState.RUNNING));
    assertDoesNotThrow(() -> JobState.RUNNING.checkMoveTo(JobState.SUCCEEDED));
  }

  @Test
  void terminalStatesHaveNoWayOut() {
    for (JobState t : new JobState[] {JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED,
        JobState.TIMED_OUT, JobState.REJECTED}) {
      assertTrue(t.isTerminal());
      for (JobState s : JobState.values()) {
        assertFalse(t.canMoveTo(s), t + " -> " + s);
      }
    }
  }

  @Test
  void skippingOrReversingStatesIsRefused() {
    assertThrows(IllegalTransitionException.class, () -> JobState.QUEUED.checkMoveTo(JobState.RUNNING));
    assertThrows(IllegalTransitionException.class, () -> JobState.QUEUED.checkMoveTo(JobState.SUCCEEDED));
    assertThrows(IllegalTransitionException.class, () -> JobState.RUNNING.checkMoveTo(JobState.QUEUED));
    assertThrows(IllegalTransitionException.class, () -> JobState.QUEUED.checkMoveTo(JobState.REJECTED));
  }
}
