package tech.infernet.mobile.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.mobile.store.Database;

class EventLogTest {
  static final String A = "A".repeat(43);
  static final String B = "B".repeat(43);
  @TempDir Path dir;

  @Test
  void statusListenersHearAnEventBeforeLiveListenersCanShowIt() throws Exception {
    try (Database db = Database.open(dir.resolve("order.db"))) {
      EventLog log = EventLog.open(db, Clock.systemUTC(), Duration.ofHours(1), 1024);
      List<String> heard = new ArrayList<>();
      log.subscribe(e -> heard.add("live " + e.status()));
      log.subscribeStatusChanges(e -> heard.add("push " + e.status()));

      log.append(A, "j", "queued", new byte[] {1}, "agent/j/1").join();

      assertEquals(List.of("push queued", "live queued"), heard,
          "push must be waiting for the ack before the phone can see the event and ack it");
    }
  }

  @Test
  void aResentEventIsStoredOnceAndOnlyStatusChangesReachStatusListeners() throws Exception {
    try (Database db = Database.open(dir.resolve("o.db"))) {
      EventLog log = EventLog.open(db, Clock.systemUTC(), Duration.ofHours(1), 1024);
      List<String> all = new ArrayList<>();
      List<String> changes = new ArrayList<>();
      log.subscribe(e -> all.add(e.status()));
      log.subscribeStatusChanges(e -> changes.add(e.status()));
      StoredEvent first = log.append(A, "j", "queued", new byte[] {1}, "agent/j/1").join();
      StoredEvent again = log.append(A, "j", "queued", new byte[] {1}, "agent/j/1").join();
      assertEquals(first, again, "the stored event comes back");
      log.append(A, "j", "running", new byte[] {2}, "agent/j/2").join();
      log.append(A, "j", "running", new byte[] {3}, "agent/j/3").join();
      log.append(A, "j", "running", new byte[] {3}, "agent/j/3").join();
      log.append(A, "j", "succeeded", new byte[] {4}, "agent/j/4").join();
      assertEquals(4, log.after(A, 0, 100).size());
      assertEquals(List.of("queued", "running", "running", "succeeded"), all, "no listener hears a re-sent event");
      assertEquals(List.of("queued", "running", "succeeded"), changes);
    }
    try (Database db = Database.open(dir.resolve("o.db"))) {
      EventLog log = EventLog.open(db, Clock.systemUTC(), Duration.ofHours(1), 1024);
      log.append(A, "j", "succeeded", new byte[] {4}, "agent/j/4").join();
      assertEquals(4, log.after(A, 0, 100).size(), "dedupe survives a restart");
    }
  }

  @Test
  void appendsInOrderReplaysPerPhoneAndJobAndPrunes() throws Exception {
    long[] now = {1_000_000};
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId z) { return this; }
      @Override public long millis() { return now[0]; }
      @Override public Instant instant() { return Instant.ofEpochMilli(now[0]); }
    };
    try (Database db = Database.open(dir.resolve("e.db"))) {
      EventLog log = EventLog.open(db, clock, Duration.ofHours(1), 1024);
      List<Long> heard = new ArrayList<>();
      log.subscribe(e -> heard.add(e.eventId()));
      List<CompletableFuture<StoredEvent>> fs = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        fs.add(log.append(i % 2 == 0 ? A : B, "job-" + (i % 4), i < 40 ? "running" : "succeeded", new byte[] {(byte) i}));
      }
      CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).join();
      List<Long> sorted = new ArrayList<>(heard);
      sorted.sort(null);
      assertEquals(sorted, heard, "listeners hear events in id order");
      assertEquals(50, heard.size());

      List<StoredEvent> a = log.after(A, 0, 100);
      assertEquals(25, a.size());
      assertTrue(a.stream().allMatch(e -> e.keyId().equals(A)));
      assertEquals(a.subList(10, 25), log.after(A, a.get(9).eventId(), 100));
      assertEquals(13, log.after(A, "job-0", 0, 100).size());
      assertEquals(0, log.after(A, "job-1", 0, 100).size(), "job-1 is B's");

      List<JobSummary> jobs = log.jobs(A, Long.MAX_VALUE, 10);
      assertEquals(2, jobs.size());
      assertTrue(jobs.stream().allMatch(JobSummary::terminal));
      assertEquals(2, log.latestPerJob(A, 10).size());
      assertTrue(log.job(B, "job-0").isEmpty());

      now[0] += Duration.ofHours(2).toMillis();
      log.append(A, "job-new", "queued", new byte[] {1}).join();
      assertEquals(50, log.prune().join());
      assertEquals(1, log.after(A, 0, 100).size());
      assertEquals(List.of("job-new"), log.jobs(A, Long.MAX_VALUE, 10).stream().map(JobSummary::jobId).toList());
    }
  }

  @Test
  void refusesBadFieldsBeforeWriting() throws Exception {
    try (Database db = Database.open(dir.resolve("e.db"))) {
      EventLog log = EventLog.open(db, Clock.systemUTC(), Duration.ofHours(1), 16);
      Object[][] bad = {
          {"short", "j", "running", new byte[1]},
          {A, "bad job id", "running", new byte[1]},
          {A, "j", "Running", new byte[1]},
          {A, "j", "running", new byte[0]},
          {A, "j", "running", new byte[17]},
      };
      for (Object[] b : bad) {
        CompletionException e = assertThrows(CompletionException.class,
            () -> log.append((String) b[0], (String) b[1], (String) b[2], (byte[]) b[3]).join());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
      }
      assertEquals(0, log.lastEventId());
    }
  }
}
