package tech.infernet.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JobIdTest {
  @Test
  void idsFromOneGeneratorAreStrictlyIncreasingEvenWithinOneMillisecond() {
    JobId.Generator g = new JobId.Generator();
    JobId prev = g.next(1_700_000_000_000L);
    for (int i = 0; i < 10_000; i++) {
      JobId next = g.next(1_700_000_000_000L);
      assertTrue(next.compareTo(prev) > 0, prev + " then " + next);
      prev = next;
    }
  }

  @Test
  void idCarriesItsCreationTime() {
    JobId id = new JobId.Generator().next(1_700_000_123_456L);
    assertEquals(26, id.value().length());
    assertEquals(1_700_000_123_456L, id.timestampMillis());
  }

  @Test
  void malformedIdsAreRefused() {
    assertFalse(JobId.isValid("../../etc/passwd"));
    assertFalse(JobId.isValid("01ARZ3NDEKTSV4RRFFQ69G5FAVX"));
    assertThrows(IllegalArgumentException.class, () -> new JobId("01ARZ3NDEKTSV4RRFFQ69G5FAI"));
    assertTrue(JobId.isValid("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
  }
}
