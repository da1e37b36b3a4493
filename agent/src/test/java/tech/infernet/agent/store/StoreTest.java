package tech.infernet.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.jobs.IllegalTransitionException;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobSpec;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.SpecParser;

class StoreTest {
  @TempDir Path dir;
  private Store store;
  private final JobId.Generator ids = new JobId.Generator();

  @BeforeEach
  void open() {
    store = Store.open(dir.resolve("agent.db"), 2);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Job newJob(String owner) throws Exception {
    JobSpec spec = new SpecParser().parse("{\"image\":\"localhost/x:1\"}");
    long now = System.currentTimeMillis();
    Job j = new Job(ids.next(), owner, spec, JobState.QUEUED, null, null, now, now, 0);
    return store.insert(j, Map.of("state", "QUEUED")).join();
  }

  @Test
  void transitionsAppendEventsWithGaplessPerJobSequences() throws Exception {
    Job a = newJob("alice");
    Job b = newJob("bob");
    store.transition(a.id(), JobState.QUEUED, JobState.PREPARING, null, null, Map.of()).join();
    store.append(a.id(), "log", Map.of("stream", "stdout", "text", "hi")).join();
    store.transition(b.id(), JobState.QUEUED, JobState.CANCELLED, "by user", null, Map.of()).join();
    store.transition(a.id(), JobState.PREPARING, JobState.RUNNING, null, null, Map.of()).join();
    Job done = store.transition(a.id(), JobState.RUNNING, JobState.SUCCEEDED, null, 0, Map.of()).join();
    assertEquals(JobState.SUCCEEDED, done.state());
    assertEquals(0, done.exitCode());
    assertEquals(1, done.attempts());
    List<JobEvent> ev = store.events(a.id(), 0, 100);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ev.stream().map(JobEvent::seq).toList());
    assertEquals(List.of(1L, 2L), store.events(b.id(), 0, 100).stream().map(JobEvent::seq).toList());
    assertEquals(List.of(4L, 5L), store.events(a.id(), 3, 100).stream().map(JobEvent::seq).toList());
    assertEquals(7, store.pendingOutbox(100).size(), "one outbox row per event");
  }

  @Test
  void jobsCanBeListedForOneOwnerNewestFirst() throws Exception {
    Job a1 = newJob("alice");
    newJob("bob");
    Job a2 = newJob("alice");

    assertEquals(List.of(a2.id(), a1.id()),
        store.jobs(java.util.EnumSet.allOf(JobState.class), "alice", 10).stream().map(Job::id).toList());
    assertEquals(1, store.jobs(java.util.EnumSet.allOf(JobState.class), "alice", 1).size());
    assertEquals(3, store.jobs(java.util.EnumSet.allOf(JobState.class), null, 10).size());
  }

  @Test
  void lastSeqIsTheNumberOfTheJobsLatestEvent() throws Exception {
    Job a = newJob("alice");
    store.transition(a.id(), JobState.QUEUED, JobState.PREPARING, null, null, Map.of()).join();
    store.append(a.id(), "log", Map.of("text", "x")).join();

    List<tech.infernet.agent.store.JobEvent> events = store.events(a.id(), 0, 100);
    assertEquals(events.get(events.size() - 1).seq(), store.lastSeq(a.id()));
    assertEquals(0, store.lastSeq(new JobId("01ARZ3NDEKTSV4RRFFQ69G5FAV")), "no such job: no events");
  }

  @Test
  void activeJobsOfCountsOnlyThatOwnersQueuedPreparingAndRunningJobs() throws Exception {
    Job a1 = newJob("alice");
    Job a2 = newJob("alice");
    Job a3 = newJob("alice");
    newJob("bob");
    store.transition(a1.id(), JobState.QUEUED, JobState.PREPARING, null, null, Map.of()).join();
    store.transition(a1.id(), JobState.PREPARING, JobState.RUNNING, null, null, Map.of()).join();
    store.transition(a2.id(), JobState.QUEUED, JobState.PREPARING, null, null, Map.of()).join();
    store.transition(a3.id(), JobState.QUEUED, JobState.CANCELLED, null, null, Map.of()).join();

    assertEquals(2, store.activeJobsOf("alice"));
    assertEquals(1, store.activeJobsOf("bob"));
    assertEquals(0, store.activeJobsOf("carol"));
  }

  @Test
  void staleOrIllegalTransitionsAreRefusedAndWriteNothing() throws Exception {
    Job a = newJob("alice");
    store.transition(a.id(), JobState.QUEUED, JobState.CANCELLED, null, null, Map.of()).join();
    CompletionException e = assertThrows(CompletionException.class, () -> store.transition(
        a.id(), JobState.QUEUED, JobState.PREPARING, null, null, Map.of()).join());
    assertInstanceOf(IllegalTransitionException.class, e.getCause());
    assertThrows(IllegalTransitionException.class, () -> store.transition(
        a.id(), JobState.QUEUED, JobState.SUCCEEDED, null, null, Map.of()));
    assertEquals(2, store.events(a.id(), 0, 100).size());
    assertEquals(JobState.CANCELLED, store.job(a.id()).orElseThrow().state());
  }

  @Test
  void ofTwoRacingTerminalWritesExactlyOneWins() throws Exception {
    Job a = newJob("alice");
    store.transition(a.id(), JobState.QUEUED, JobState.PREPARING, null, null, Map.of()).join();
    store.transition(a.id(), JobState.PREPARING, JobState.RUNNING, null, null, Map.of()).join();
    CompletableFuture<Job> f1 = store.transition(a.id(), JobState.RUNNING, JobState.SUCCEEDED, null, 0, Map.of());
    CompletableFuture<Job> f2 = store.transition(a.id(), JobState.RUNNING, JobState.CANCELLED, null, null, Map.of());
    int ok = 0;
    for (CompletableFuture<Job> f : List.of(f1, f2)) {
      try {
        f.join();
        ok++;
      } catch (CompletionException expected) {
        assertInstanceOf(IllegalTransitionException.class, expected.getCause());
      }
    }
    assertEquals(1, ok);
  }

  @Test
  void eventsAreAppendOnly() throws Exception {
    Job a = newJob("alice");
    store.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("agent.db"))) {
      assertThrows(SQLException.class,
          () -> c.createStatement().execute("UPDATE job_events SET type = 'x'"));
      assertThrows(SQLException.class, () -> c.createStatement().execute("DELETE FROM job_events"));
    }
    store = Store.open(dir.resolve("agent.db"), 1);
    assertEquals(1, store.events(a.id(), 0, 10).size());
  }

  @Test
  void reopeningKeepsDataAndDoesNotRerunMigrations() throws Exception {
    Job a = newJob("alice");
    store.close();
    assertFalse(Files.exists(dir.resolve("agent.db-wal")) && Files.size(dir.resolve("agent.db-wal")) > 0,
        "clean close checkpoints the WAL");
    store = Store.open(dir.resolve("agent.db"), 1);
    assertEquals(a.id(), store.job(a.id()).orElseThrow().id());
    assertEquals(Map.of(JobState.QUEUED, 1L), Map.of(JobState.QUEUED, store.countByState().get(JobState.QUEUED)));
  }

  @Test
  void aCorruptDatabaseIsRefusedAtOpen() throws Exception {
    store.close();
    Path bad = dir.resolve("bad.db");
    byte[] junk = new byte[8192];
    System.arraycopy("SQLite format 3\0".getBytes(), 0, junk, 0, 16);
    for (int i = 16; i < junk.length; i++) {
      junk[i] = (byte) (i * 31);
    }
    Files.write(bad, junk);
    assertThrows(StoreException.class, () -> Store.open(bad, 1));
    store = Store.open(dir.resolve("agent.db"), 1);
  }

  @Test
  void aclEntriesCanBeAddedChangedAndRemoved() {
    store.aclPut("ab12", "user").join();
    store.aclPut("ab12", "admin").join();
    store.aclPut("cd34", "user").join();
    assertEquals(List.of("ab12:admin", "cd34:user"),
        store.acl().stream().map(e -> e.publicKey() + ":" + e.role()).toList());
    assertTrue(store.aclRemove("ab12").join());
    assertFalse(store.aclRemove("ab12").join());
    assertEquals(1, store.acl().size());
  }

  @Test
  void listenersHearOnlyCommittedEvents() throws Exception {
    List<JobEvent> heard = new CopyOnWriteArrayList<>();
    store.onEvent(heard::add);
    Job a = newJob("alice");
    assertThrows(CompletionException.class, () -> store.transition(
        a.id(), JobState.PREPARING, JobState.RUNNING, null, null, Map.of()).join());
    store.transition(a.id(), JobState.QUEUED, JobState.PREPARING, null, null, Map.of()).join();
    assertEquals(List.of(1L, 2L), heard.stream().map(JobEvent::seq).toList());
    assertEquals(Set.of(a.id()), Set.copyOf(heard.stream().map(JobEvent::jobId).toList()));
  }

  @Test
  void aFailingUnitInABatchRollsBackAloneAndSequencesStayGapless() throws Exception {
    Job a = newJob("alice");
    Job b = newJob("bob");
    long commitsBefore = store.commits();
    List<CompletableFuture<?>> ok = new java.util.ArrayList<>();
    List<CompletableFuture<?>> bad = new java.util.ArrayList<>();
    // Queued without waiting, so the writer commits them in a few batches.
    for (int i = 0; i < 300; i++) {
      ok.add(store.append(a.id(), "log", Map.of("n", i)));
      if (i % 7 == 0) {
        bad.add(store.transition(b.id(), JobState.RUNNING, JobState.SUCCEEDED, null, 0, Map.of()));
        bad.add(store.append(new JobId("01ARZ3NDEKTSV4RRFFQ69G5FAV"), "log", Map.of()));
      }
    }
    for (CompletableFuture<?> f : bad) {
      assertThrows(CompletionException.class, f::join);
    }
    CompletableFuture.allOf(ok.toArray(CompletableFuture[]::new)).join();
    List<JobEvent> ev = store.events(a.id(), 0, 1000);
    assertEquals(301, ev.size());
    for (int i = 0; i < ev.size(); i++) {
      assertEquals(i + 1, ev.get(i).seq());
    }
    assertEquals(List.of(1L), store.events(b.id(), 0, 10).stream().map(JobEvent::seq).toList());
    assertEquals(JobState.QUEUED, store.job(b.id()).orElseThrow().state());
    assertEquals(302, store.pendingOutbox(1000).size(), "one outbox row per committed event only");
    assertTrue(store.commits() - commitsBefore < 300, "units were committed in batches");
  }

  @Test
  void aResultIsStoredOnlyWithTheTerminalStateThatWins() throws Exception {
    Job a = newJob("alice");
    store.transition(a.id(), JobState.QUEUED, JobState.PREPARING, null, null, Map.of()).join();
    store.transition(a.id(), JobState.PREPARING, JobState.RUNNING, null, null, Map.of()).join();
    store.transition(a.id(), JobState.RUNNING, JobState.CANCELLED, "cancelled", null, Map.of()).join();
    StoredResult r = new StoredResult(a.id().value(), new byte[] {1}, null, "00", 1);
    assertThrows(CompletionException.class, () -> store.transition(
        a.id(), JobState.RUNNING, JobState.SUCCEEDED, null, 0, Map.of(), r).join());
    assertTrue(store.result(a.id()).isEmpty(), "the losing write stored no result");
    Job b = newJob("bob");
    store.transition(b.id(), JobState.QUEUED, JobState.PREPARING, null, null, Map.of()).join();
    store.transition(b.id(), JobState.PREPARING, JobState.RUNNING, null, null, Map.of()).join();
    StoredResult rb = new StoredResult(b.id().value(), new byte[] {7}, null, "ab", 1);
    store.transition(b.id(), JobState.RUNNING, JobState.SUCCEEDED, null, 0, Map.of(), rb).join();
    assertEquals("ab", store.result(b.id()).orElseThrow().sha256());
  }

  @Test
  void writesAfterCloseFailAndQueuedOnesStillCommit() throws Exception {
    Job a = newJob("alice");
    List<CompletableFuture<JobEvent>> fs = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fs.add(store.append(a.id(), "log", Map.of("n", i)));
    }
    store.close();
    for (CompletableFuture<JobEvent> f : fs) {
      f.join();
    }
    CompletionException e = assertThrows(CompletionException.class,
        () -> store.append(a.id(), "log", Map.of()).join());
    assertInstanceOf(StoreException.class, e.getCause());
    store = Store.open(dir.resolve("agent.db"), 1);
    assertEquals(51, store.events(a.id(), 0, 100).size());
  }
}
