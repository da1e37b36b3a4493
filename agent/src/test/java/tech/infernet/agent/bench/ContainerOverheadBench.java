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
 * store, scheduler, hardened attached Podman run, result) against a bare
 * {@code podman --runtime runc run --rm} of the same image and command, run alternately N times.
 * "agent" is submit until SUCCEEDED is stored (what a client waits for); "agent+rm" is until the
 * container is also removed and the slot free again. Each run also shows where the agent's time
 * went, as seen by a store listener: submit until PREPARING is stored, then until RUNNING is stored
 * (PREPARING's work: the image check), then until the last log event (the container's run), then
 * until SUCCEEDED is stored. The load average is printed before and after. Arguments: N (default
 * 10), and seconds the job sleeps between its two lines (default 0: the smallest job, where fixed
 * costs show most).
 */
public final class ContainerOverheadBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    String sleep = args.length > 1 ? args[1] : "0";
    String script = sleep.equals("0") ? "echo hello; echo 42" : "echo hello; sleep " + sleep + "; echo 42";
    System.out.println("job: /bin/sh -c '" + script + "'");
    System.out.println("load average: " + loadAverage());
    String image = TestImage.ensure();
    Path dir = Files.createTempDirectory("infernet-ctr-bench");
    List<Long> bare = new ArrayList<>();
    List<Long> agent = new ArrayList<>();
    List<Long> agentRm = new ArrayList<>();
    List<long[]> phases = new ArrayList<>();
    try (Store store = Store.open(dir.resolve("agent.db"), 2)) {
      ConcurrentHashMap<JobId, CompletableFuture<Long>> ended = new ConcurrentHashMap<>();
      ConcurrentHashMap<JobId, long[]> marks = new ConcurrentHashMap<>();
      store.onEvent(e -> {
        long now = System.nanoTime();
        long[] m = marks.computeIfAbsent(e.jobId(), k -> new long[4]);
        if (e.type().equals("log")) {
          m[2] = now; // last log line seen
        } else if (e.type().equals("state") && e.payload().contains("\"state\":\"PREPARING\"")) {
          m[0] = now;
        } else if (e.type().equals("state") && e.payload().contains("\"state\":\"RUNNING\"")) {
          m[1] = now;
        } else if (e.type().equals("state") && e.payload().contains("\"state\":\"SUCCEEDED\"")) {
          m[3] = now;
          ended.computeIfAbsent(e.jobId(), k -> new CompletableFuture<>()).complete(now);
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
        long[] m = marks.get(j.id());
        long[] ph = {m[0] - t0, m[1] - m[0], m[2] - m[1], m[3] - m[2]};
        if (i >= 0) {
          phases.add(ph);
          bare.add(b);
          agent.add(a);
          agentRm.add(ar);
          System.out.printf(Locale.ROOT, "run %2d: bare %7.1f ms   agent %7.1f ms   agent+rm %7.1f ms"
              + "   (to PREPARING %.1f, to RUNNING %.1f, to last log %.1f, to SUCCEEDED %.1f)%n",
              i + 1, b / 1e6, a / 1e6, ar / 1e6, ph[0] / 1e6, ph[1] / 1e6, ph[2] / 1e6, ph[3] / 1e6);
        }
      }
      engine.close();
    }
    double mb = median(bare);
    double ma = median(agent);
    double mr = median(agentRm);
    System.out.printf(Locale.ROOT, "median of %d: bare %.1f ms, agent %.1f ms (%.2fx), agent+rm %.1f ms (%.2fx)%n",
        n, mb / 1e6, ma / 1e6, ma / mb, mr / 1e6, mr / mb);
    System.out.printf(Locale.ROOT, "median phases: submit to PREPARING stored %.1f ms, to RUNNING stored %.1f ms,"
        + " to last log event %.1f ms, to SUCCEEDED stored %.1f ms%n",
        phase(phases, 0) / 1e6, phase(phases, 1) / 1e6, phase(phases, 2) / 1e6, phase(phases, 3) / 1e6);
    System.out.println("load average: " + loadAverage());
  }

  private static double phase(List<long[]> xs, int k) {
    return median(xs.stream().map(x -> x[k]).toList());
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static double median(List<Long> xs) {
    long[] a = xs.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2.0;
  }

  private ContainerOverheadBench() {}
}
