package tech.infernet.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobSpec;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.SpecParser;
import tech.infernet.protocol.ReplayCache.Result;

class EnvelopeReplaysTest {
  @TempDir Path dir;
  private static final byte[] ALICE = new byte[32];
  private static final byte[] BOB = filled(32, 7);

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) v);
    return b;
  }

  private static byte[] nonce(int v) {
    return filled(24, v);
  }

  @Test
  void aNonceIsFreshOncePerSenderAndReplayedUntilItExpires() {
    try (Store store = Store.open(dir.resolve("agent.db"), 1)) {
      EnvelopeReplays replays = EnvelopeReplays.open(store, 100);
      long now = 1_000_000;

      assertEquals(Result.FRESH, replays.checkAndRecord(ALICE, nonce(1), now + 120_000, now));
      assertEquals(Result.REPLAYED, replays.checkAndRecord(ALICE, nonce(1), now + 120_000, now + 10));
      assertEquals(Result.FRESH, replays.checkAndRecord(BOB, nonce(1), now + 120_000, now + 20), "another sender's nonce");
      assertEquals(Result.FRESH, replays.checkAndRecord(ALICE, nonce(1), now + 300_000, now + 120_001),
          "expired records are purged (its timestamp check refuses such an envelope anyway)");
    }
  }

  @Test
  void recordsSurviveARestartInOrderWithTheJobTheEnvelopeCreated() throws Exception {
    long now = System.currentTimeMillis();
    JobId job = new JobId.Generator().next();
    try (Store store = Store.open(dir.resolve("agent.db"), 1)) {
      EnvelopeReplays replays = EnvelopeReplays.open(store, 100);
      assertEquals(Result.FRESH, replays.checkAndRecord(ALICE, nonce(2), now + 120_000, now));
      JobSpec spec = new SpecParser().parse("{\"image\":\"localhost/x:1\"}");
      // the job is written after the record, on the same ordered writer, and awaited: so is the record
      store.insert(new Job(job, "alice", spec, JobState.QUEUED, null, null, now, now, 0), Map.of("state", "QUEUED")).join();
    }
    try (Store store = Store.open(dir.resolve("agent.db"), 1)) {
      EnvelopeReplays replays = EnvelopeReplays.open(store, 100);

      assertEquals(JobState.QUEUED, store.job(job).orElseThrow().state());
      assertEquals(Result.REPLAYED, replays.checkAndRecord(ALICE, nonce(2), now + 120_000, now + 5));
      assertEquals(1, replays.size());
    }
  }

  @Test
  void aCacheHoldingItsCapacityOfLiveRecordsAnswersFull() {
    try (Store store = Store.open(dir.resolve("agent.db"), 1)) {
      EnvelopeReplays replays = EnvelopeReplays.open(store, 2);
      long now = 1_000_000;
      replays.checkAndRecord(ALICE, nonce(1), now + 120_000, now);
      replays.checkAndRecord(ALICE, nonce(2), now + 120_000, now);

      assertEquals(Result.FULL, replays.checkAndRecord(ALICE, nonce(3), now + 120_000, now + 1));
      assertEquals(Result.FRESH, replays.checkAndRecord(ALICE, nonce(3), now + 300_000, now + 120_001), "room once they expire");
    }
  }
}
