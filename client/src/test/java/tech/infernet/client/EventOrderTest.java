package tech.infernet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tech.infernet.protocol.message.JobEvent;

class EventOrderTest {
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
  private final List<String> handed = new CopyOnWriteArrayList<>();
  private final List<String> acked = new CopyOnWriteArrayList<>();
  private final EventOrder order = new EventOrder(thread, 200, e -> handed.add(e.jobId() + "#" + e.seq()));

  @AfterEach
  void stop() {
    thread.shutdownNow();
  }

  @Test
  void eventsArrivingOutOfOrderAreHandedOverInOrderAndAckedOnlyOnceHandedOver() throws Exception {
    arrive("a", "j", 3);
    arrive("a", "j", 2);
    settle();
    assertEquals(List.of(), handed, "held: 1 is missing");
    assertEquals(List.of(), acked, "nothing held is acknowledged");
    arrive("a", "j", 1);
    arrive("a", "j", 4);
    settle();
    assertEquals(List.of("j#1", "j#2", "j#3", "j#4"), handed);
    assertEquals(4, acked.size());
  }

  @Test
  void resentEventsAreAcknowledgedAgainButHandedOverOnce() throws Exception {
    arrive("a", "j", 1);
    arrive("a", "j", 1);
    arrive("a", "j", 3);
    arrive("a", "j", 3);
    arrive("a", "j", 2);
    settle();
    assertEquals(List.of("j#1", "j#2", "j#3"), handed);
    assertEquals(5, acked.size());
  }

  @Test
  void aJobFirstSeenMidwayStartsFromItsLowestEventAfterTheStartGap() throws Exception {
    arrive("a", "late", 6);
    arrive("a", "late", 5);
    settle();
    assertEquals(List.of(), handed);
    Thread.sleep(400);
    settle();
    assertEquals(List.of("late#5", "late#6"), handed);
    arrive("a", "late", 4);
    settle();
    assertEquals(List.of("late#5", "late#6"), handed, "older than what was handed over: a re-send");
    assertEquals(3, acked.size());
  }

  @Test
  void jobsAndAgentsAreOrderedSeparately() throws Exception {
    arrive("a", "j", 2);
    arrive("b", "j", 1);
    arrive("a", "k", 1);
    settle();
    assertEquals(List.of("j#1", "k#1"), handed);
    assertEquals(1, thread.submit(order::held).get());
  }

  private void arrive(String agent, String job, long seq) {
    JobEvent e = new JobEvent(job, seq, 1, "state", Map.of());
    thread.execute(() -> order.accept(agent, e, () -> acked.add(job + "#" + seq)));
  }

  private void settle() throws Exception {
    thread.submit(() -> { }).get(5, TimeUnit.SECONDS);
  }
}
