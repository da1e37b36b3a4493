package tech.infernet.agent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import tech.infernet.agent.engine.ContainerBench;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.runner.TestImage;
import tech.infernet.agent.store.Store;

/**
 * Benchmark (not a test): wall time of one small container job through the agent (admission,
 * store, scheduler, hardened Podman create/start/wait, result) against a bare
 * {@code podman --runtime runc run --rm} of the same image and command, run alternately N times.
 * "agent" is submit until SUCCEEDED is stored (what a client waits for); "agent+rm" is until the
 * container is also removed and the slot free again. Arguments: N (default 10), and seconds the
 * job sleeps between its two lines (default 0: the smallest job, where fixed costs show most).
 */
public final class ContainerOverheadBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    String sleep = args.length > 1 ? args[1] : "0";
    String script = sleep.equals("0") ? "echo hello; echo 42" : "echo hello; sleep " + sleep + "; echo 42";
    System.out.println("job: /bin/sh -c '" + script + "'");
    String image = TestImage.ensure();
    Path dir = Files.createTempDirectory("infernet-ctr-bench");
    List<Long> bare = new ArrayList<>();
    List<Long> agent = new ArrayList<>();
    List<Long> agentRm = new ArrayList<>();
    try (Store store = Store.open(dir.resolve("agent.db"), 2)) {
      ConcurrentHashMap<JobId, CompletableFuture<Long>> ended = new ConcurrentHashMap<>();
      store.onEvent(e -> {
        if (e.type().equals("state") && e.payload().contains("\"state\":\"SUCCEEDED\"")) {
          ended.computeIfAbsent(e.jobId(), k -> new CompletableFuture<>()).complete(System.nanoTime());
        }
      });
      JobEngine engine = ContainerBench.engine(store, dir);
      engine.start();
      String spec = "{\"image\":\"" + image + "\",\"args\":[\"/bin/sh\",\"-c\",\"" + script + "\"],"
          + "\"limits\":{\"memoryMb\":64,\"timeoutSeconds\":60}}";
      List<String> bareCmd = List.of("podman", "--runtime", "runc", "run", "--rm", "--network", "none",
          image, "/bin/sh", "-c", script);
      for (int i = -1; i < n; i++) { // i = -1: warm-up of both, not counted
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(bareCmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
          throw new IllegalStateException("bare podman run failed");
        }
        long b = System.nanoTime() - t0;
        t0 = System.nanoTime();
        Job j = engine.submit("bench", spec).join();
        long done = ended.computeIfAbsent(j.id(), k -> new CompletableFuture<>()).get(120, TimeUnit.SECONDS);
        while (engine.running() != 0) {
          Thread.sleep(1);
        }
        long a = done - t0;
        long ar = System.nanoTime() - t0;
        if (i >= 0) {
          bare.add(b);
          agent.add(a);
          agentRm.add(ar);
          System.out.printf(Locale.ROOT, "run %2d: bare %7.1f ms   agent %7.1f ms   agent+rm %7.1f ms%n",
              i + 1, b / 1e6, a / 1e6, ar / 1e6);
        }
      }
      engine.close();
    }
    double mb = median(bare);
    double ma = median(agent);
    double mr = median(agentRm);
    System.out.printf(Locale.ROOT, "median of %d: bare %.1f ms, agent %.1f ms (%.2fx), agent+rm %.1f ms (%.2fx)%n",
        n, mb / 1e6, ma / 1e6, ma / mb, mr / 1e6, mr / mb);
  }

  private static double median(List<Long> xs) {
    long[] a = xs.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0;
  }

  private ContainerOverheadBench() {}
}
