package tech.infernet.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.infernet.agent.jobs.JobId;

class FairQueueTest {
  private final JobId.Generator ids = new JobId.Generator();

  private FairQueue.Entry e(String owner, int prio, boolean gpu) {
    return new FairQueue.Entry(ids.next(), owner, prio, gpu);
  }

  @Test
  void ownersTakeTurnsSoOneBusyOwnerCannotStarveAnother() {
    FairQueue q = new FairQueue();
    for (int i = 0; i < 5; i++) {
      q.add(e("alice", 0, false));
    }
    q.add(e("bob", 0, false));
    q.add(e("carol", 0, false));
    List<String> order = new ArrayList<>();
    for (FairQueue.Entry x = q.poll(x1 -> true); x != null; x = q.poll(x1 -> true)) {
      order.add(x.owner());
    }
    assertEquals(List.of("alice", "bob", "carol", "alice", "alice", "alice", "alice"), order);
  }

  @Test
  void withinOneOwnerHigherPriorityThenOlderFirst() {
    FairQueue q = new FairQueue();
    FairQueue.Entry a = e("o", 0, false);
    FairQueue.Entry b = e("o", 5, false);
    FairQueue.Entry c = e("o", 0, false);
    q.add(a);
    q.add(b);
    q.add(c);
    assertEquals(List.of(b.id(), a.id(), c.id()),
        List.of(q.poll(x -> true).id(), q.poll(x -> true).id(), q.poll(x -> true).id()));
  }

  @Test
  void anOwnerWhoseHeadCannotRunKeepsItsPlace() {
    FairQueue q = new FairQueue();
    q.add(e("gpu-user", 0, true));
    q.add(e("cpu-user", 0, false));
    assertEquals("cpu-user", q.poll(x -> !x.gpu()).owner());
    assertNull(q.poll(x -> !x.gpu()));
    assertEquals("gpu-user", q.poll(x -> true).owner());
    assertEquals(0, q.size());
  }

  @Test
  void removedJobsAreNotHandedOut() {
    FairQueue q = new FairQueue();
    FairQueue.Entry a = e("o", 0, false);
    q.add(a);
    assertEquals(true, q.remove(a.id()));
    assertNull(q.poll(x -> true));
  }

  @Test
  void slotsLimitOverallAndPerGpu() {
    Slots s = new Slots(3, 2, 1);
    s.take(true);
    s.take(true);
    assertEquals(false, s.mayRun(true), "both GPUs busy");
    assertEquals(true, s.mayRun(false));
    s.take(false);
    assertEquals(false, s.mayRun(false), "overall limit");
  }
}
