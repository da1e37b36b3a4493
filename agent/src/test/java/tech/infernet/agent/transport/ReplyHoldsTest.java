package tech.infernet.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.SpecParser;
import tech.infernet.agent.store.JobEvent;
import tech.infernet.agent.store.OutboxEntry;
import tech.infernet.agent.store.Store;
import tech.infernet.protocol.message.EventAck;

/** The held answers of waiting submits, over a real SQLite store. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReplyHoldsTest {
  private static final String ALICE = "a".repeat(64);
  private static final String BOB = "b".repeat(64);
  @TempDir Path dir;
  private Store store;
  private ReplyHolds holds;
  private final AtomicInteger wakes = new AtomicInteger();
  private final JobId.Generator ids = new JobId.Generator();

  @BeforeEach
  void open() {
    store = Store.open(dir.resolve("agent.db"), 2);
    holds = new ReplyHolds(store, wakes::incrementAndGet, 300);
    store.onEvent(holds::stored);
  }

  @AfterEach
  void close() {
    holds.close();
    store.close();
  }

  /** A job of alice's, held from before its first event. */
  private JobId heldJob() throws Exception {
    JobId id = ids.next();
    holds.hold(id, ALICE);
    long now = System.currentTimeMillis();
    store.insert(new Job(id, ALICE, new SpecParser().parse("{\"image\":\"localhost/x:1\"}"), JobState.QUEUED, null, null,
        now, now, 0), Map.of("state", "QUEUED")).join();
    return id;
  }

  private void runToSuccess(JobId id) {
    store.transition(id, JobState.QUEUED, JobState.PREPARING, null, null, Map.of()).join();
    store.transition(id, JobState.PREPARING, JobState.RUNNING, null, null, Map.of()).join();
    store.append(id, "log", Map.of("stream", "stdout", "text", "hi")).join();
    store.transition(id, JobState.RUNNING, JobState.SUCCEEDED, null, 0, Map.of()).join();
  }

  private List<OutboxEntry> pendingOf(JobId id) {
    return store.pendingOutbox(1000).stream().filter(o -> o.event().jobId().equals(id)).toList();
  }

  private static List<EventAck> acks(List<JobEvent> events) {
    return events.stream().map(e -> new EventAck(e.jobId().value(), e.seq())).toList();
  }

  @Test
  void theAnswerHasEveryEventUpToTheTerminalOneAndDeliveryLeavesThemAlone() throws Exception {
    JobId id = heldJob();
    runToSuccess(id);

    List<JobEvent> answer = holds.answer(id, 10_000).get(5, TimeUnit.SECONDS);

    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), answer.stream().map(JobEvent::seq).toList());
    assertTrue(pendingOf(id).stream().allMatch(holds::holds), "held while the answer is out");
  }

  @Test
  void aWaitThatEndsFirstAnswersWithWhatThereIsAndLaterEventsAreNotHeld() throws Exception {
    JobId id = heldJob();

    List<JobEvent> answer = holds.answer(id, 100).get(5, TimeUnit.SECONDS);
    holds.carried(id, answer.get(answer.size() - 1).seq());
    store.transition(id, JobState.QUEUED, JobState.PREPARING, null, null, Map.of()).join();

    assertEquals(1, answer.size());
    List<OutboxEntry> pending = pendingOf(id);
    assertTrue(holds.holds(pending.get(0)), "QUEUED went in the answer");
    assertFalse(holds.holds(pending.get(1)), "PREPARING came after it: delivered as usual");
  }

  @Test
  void theOwnersAcknowledgementSettlesTheCarriedEventsAndAnotherKeysDoesNot() throws Exception {
    JobId id = heldJob();
    runToSuccess(id);
    List<JobEvent> answer = holds.answer(id, 10_000).get(5, TimeUnit.SECONDS);
    holds.carried(id, answer.get(answer.size() - 1).seq());

    holds.acknowledged(BOB, acks(answer));
    Thread.sleep(50);
    assertEquals(5, pendingOf(id).size(), "bob's acks do not settle alice's events");

    holds.acknowledged(ALICE, acks(answer.subList(0, 4)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pendingOf(id).size() != 1) {
      assertTrue(System.nanoTime() < deadline, "acknowledged events still pending: " + pendingOf(id));
      Thread.sleep(10);
    }
    assertEquals(5, pendingOf(id).get(0).event().seq(), "the one left out of the acks waits for delivery");
    assertFalse(holds.holds(pendingOf(id).get(0)), "and is no longer held");
    assertEquals(0, holds.size());
  }

  @Test
  void withoutAnAcknowledgementTheCarriedEventsGoBackToDelivery() throws Exception {
    JobId id = heldJob();
    runToSuccess(id);
    List<JobEvent> answer = holds.answer(id, 10_000).get(5, TimeUnit.SECONDS);
    int before = wakes.get();
    holds.carried(id, answer.get(answer.size() - 1).seq());

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (holds.size() > 0) {
      assertTrue(System.nanoTime() < deadline, "still held after the ack wait");
      Thread.sleep(20);
    }
    assertEquals(5, pendingOf(id).size());
    assertTrue(pendingOf(id).stream().noneMatch(holds::holds));
    assertTrue(wakes.get() > before, "delivery was woken to send them");
  }

  @Test
  void aReleasedJobIsNotHeld() throws Exception {
    JobId id = heldJob();
    holds.release(id);

    assertFalse(holds.holds(pendingOf(id).get(0)));
    assertTrue(holds.answer(id, 10_000).get(1, TimeUnit.SECONDS).isEmpty(), "nothing to answer with once released");
  }
}
