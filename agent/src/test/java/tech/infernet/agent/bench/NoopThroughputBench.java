package tech.infernet.agent.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import tech.infernet.agent.engine.InstantRunner;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.store.Store;

/**
 * Benchmark (not a test): no-op jobs through validation, admission, the store and the scheduler
 * (QUEUED -> PREPARING -> RUNNING -> SUCCEEDED, 4 events and 4 outbox rows each). Prints jobs/s,
 * the store's transactions, and CPU time per thread group (the single store writer is the serial
 * part). Arguments: jobs (default 5000), rounds (default 3; each round uses a fresh database, the
 * first one warms the JVM up), and {@code workdir} to give each job a work dir made and removed on
 * disk as container and process jobs have (the no-op runner itself needs none).
 */
public final class NoopThroughputBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    boolean workDir = args.length > 2 && args[2].equals("workdir");
    for (int r = 1; r <= rounds; r++) {
      round(r, n, workDir);
    }
  }

  private static void round(int round, int n, boolean workDir) throws Exception {
    Path dir = Files.createTempDirectory("infernet-bench");
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, Long> cpu0 = cpuByGroup(mx);
    try (Store store = Store.open(dir.resolve("agent.db"), 4)) {
      JobEngine engine = InstantRunner.engineQuiet(store, dir, 64, workDir);
      engine.start();
      String spec = "{\"image\":\"localhost/x:1\",\"args\":[\"true\"]}";
      long t0 = System.nanoTime();
      CompletableFuture<?>[] fs = new CompletableFuture<?>[n];
      for (int i = 0; i < n; i++) {
        fs[i] = engine.submit("owner" + (i % 8), spec);
      }
      CompletableFuture.allOf(fs).join();
      while (store.countByState().get(JobState.SUCCEEDED) < n) {
        Thread.sleep(5);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      Map<String, Long> cpu1 = cpuByGroup(mx);
      StringBuilder cpu = new StringBuilder();
      for (Map.Entry<String, Long> e : cpu1.entrySet()) {
        long d = e.getValue() - cpu0.getOrDefault(e.getKey(), 0L);
        if (d > 50_000_000L) {
          cpu.append(String.format(" %s=%.2fs", e.getKey(), d / 1e9));
        }
      }
      System.out.printf("round %d%s: %d no-op jobs in %.2f s = %.0f jobs/s (%d events, %d store"
          + " transactions); thread CPU:%s%n", round, workDir ? " (work dirs)" : "", n, s, n / s,
          store.eventsAfter(0, Integer.MAX_VALUE).size(), store.commits(), cpu);
      latency(store, engine, spec);
      engine.close();
    }
  }

  /**
   * One job at a time: submit until SUCCEEDED is stored, the engine's share of a job's round trip
   * (what it adds to the NKN hops in "The agent over NKN").
   */
  private static void latency(Store store, JobEngine engine, String spec) throws Exception {
    Map<String, CompletableFuture<Long>> succeeded = new java.util.concurrent.ConcurrentHashMap<>();
    store.onEvent(e -> {
      if (e.payload().contains("\"SUCCEEDED\"")) {
        succeeded.computeIfAbsent(e.jobId().toString(), k -> new CompletableFuture<>()).complete(System.nanoTime());
      }
    });
    int n = 300;
    double[] micros = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      String id = engine.submit("alone", spec).join().id().toString();
      long t1 = succeeded.computeIfAbsent(id, k -> new CompletableFuture<>()).get(10, java.util.concurrent.TimeUnit.SECONDS);
      micros[i] = (t1 - t0) / 1e3;
    }
    java.util.Arrays.sort(micros);
    System.out.printf("  one at a time (%d jobs): submit to SUCCEEDED stored p50 %.0f us, p99 %.0f us%n", n,
        micros[n / 2], micros[(int) (n * 0.99)]);
  }

  /** CPU time of live threads, grouped by name without the trailing counter. */
  private static Map<String, Long> cpuByGroup(ThreadMXBean mx) {
    Map<String, Long> m = new TreeMap<>();
    for (long id : mx.getAllThreadIds()) {
      var info = mx.getThreadInfo(id);
      long t = mx.getThreadCpuTime(id);
      if (info != null && t > 0) {
        m.merge(info.getThreadName().replaceAll("-\\d+$", ""), t, Long::sum);
      }
    }
    return m;
  }

  private NoopThroughputBench() {}
}
