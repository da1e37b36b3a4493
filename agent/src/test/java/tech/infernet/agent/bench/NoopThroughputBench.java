package tech.infernet.agent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import tech.infernet.agent.engine.InstantRunner;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.store.Store;

/**
 * Benchmark (not a test): no-op jobs through validation, admission, the store and the scheduler
 * (QUEUED -> PREPARING -> RUNNING -> SUCCEEDED, 4 events and 4 outbox rows each). Prints jobs/s.
 * Run: see docs in the report; argument = number of jobs (default 5000).
 */
public final class NoopThroughputBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    Path dir = Files.createTempDirectory("infernet-bench");
    try (Store store = Store.open(dir.resolve("agent.db"), 4)) {
      JobEngine engine = new JobEngineFactory().make(store, dir);
      engine.start();
      String spec = "{\"image\":\"localhost/x:1\",\"args\":[\"true\"]}";
      long t0 = System.nanoTime();
      CompletableFuture<?>[] fs = new CompletableFuture<?>[n];
      for (int i = 0; i < n; i++) {
        fs[i] = engine.submit("owner" + (i % 8), spec);
      }
      CompletableFuture.allOf(fs).join();
      while (store.countByState().get(JobState.SUCCEEDED) < n) {
        Thread.sleep(50);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%d no-op jobs in %.2f s = %.0f jobs/s (%d events)%n", n, s, n / s,
          store.eventsAfter(0, Integer.MAX_VALUE).size());
      engine.close();
    }
  }

  private static final class JobEngineFactory {
    JobEngine make(Store store, Path dir) {
      return InstantRunner.engineQuiet(store, dir, 64);
    }
  }

  private NoopThroughputBench() {}

}
