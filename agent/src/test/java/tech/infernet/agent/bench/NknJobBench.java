package tech.infernet.agent.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import tech.infernet.agent.engine.InstantRunner;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.store.Store;
import tech.infernet.agent.transport.FaceConfig;
import tech.infernet.agent.transport.NknFace;
import tech.infernet.client.NknAgentClient;
import tech.infernet.nkn.NknAccount;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.message.AgentInfo;
import tech.infernet.protocol.message.Role;
import tech.infernet.protocol.spec.ContainerJob;
import tech.infernet.protocol.spec.Resources;

/**
 * Benchmark (not a test): submit-to-result round trip of a no-op job through an agent over NKN
 * (envelopes sealed and checked both ways, store, scheduler, the SUCCEEDED event delivered and
 * acknowledged) against a bare request-reply of the same size through the binding, in one run;
 * then jobs/s through one agent. The no-op runner stands in for the container so the figure is
 * the agent's own cost. Arguments: seed RPC address, round trips (default 300), jobs (default 1000).
 */
public final class NknJobBench {
  private NknJobBench() {}

  public static void main(String[] args) throws Exception {
    String rpc = args[0];
    int trips = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int jobs = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    NknClientOptions options = NknClientOptions.builder(rpc).replyTimeout(Duration.ofSeconds(20)).build();
    Path dir = Files.createTempDirectory("infernet-nkn-bench");
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    KeyPair owner = KeyPair.generate(new SecureRandom());
    ContainerJob noop = new ContainerJob("localhost/noop:1", List.of("true"), Map.of(), Resources.DEFAULT, 0, false);
    try (Store store = Store.open(dir.resolve("agent.db"), 4)) {
      JobEngine engine = InstantRunner.engineQuiet(store, dir, 64, false);
      engine.start();
      store.aclPut(HexFormat.of().formatHex(owner.publicKey()), Role.OWNER.wireName()).join();
      FaceConfig config = new FaceConfig(List.of(rpc), "agent", dir, 100_000, 100_000, 100_000, 1 << 20, Duration.ofMillis(20), List.of());
      try (NknFace face = NknFace.start(engine, seed, config, () -> new AgentInfo("x", "bench", List.of(1),
              List.of("container"), 1, 1, List.of(), List.of(), 1 << 20, 0, 0));
           NknAgentClient client = NknAgentClient.connect(owner, options);
           NknClient bareA = NknClient.connect(NknAccount.generate(), options);
           NknClient bareB = NknClient.connect(NknAccount.generate(), options)) {
        Map<String, CompletableFuture<Long>> done = new ConcurrentHashMap<>();
        client.onEvent(event -> {
          if ("SUCCEEDED".equals(event.data().get("state"))) {
            done.computeIfAbsent(event.jobId(), k -> new CompletableFuture<>()).complete(System.nanoTime());
          }
        });
        bareB.onMessage(message -> message.reply(message.data()));
        int envelopeBytes = 400; // about what a sealed job.submit of this spec weighs
        byte[] bare = new byte[envelopeBytes];

        for (int i = 0; i < 100; i++) { // warm-up of both paths
          bareA.sendAndWait(bareB.address(), bare);
          roundTrip(client, face.address(), noop, done);
        }
        double[] bareMicros = new double[trips];
        double[] jobMicros = new double[trips];
        for (int i = 0; i < trips; i++) { // interleaved, so both see the same load
          long t0 = System.nanoTime();
          bareA.sendAndWait(bareB.address(), bare);
          bareMicros[i] = (System.nanoTime() - t0) / 1e3;
          jobMicros[i] = roundTrip(client, face.address(), noop, done) / 1e3;
        }
        double jobsPerSecond = throughput(client, face.address(), noop, done, jobs);
        Arrays.sort(bareMicros);
        Arrays.sort(jobMicros);
        System.out.println("| measure | bare request-reply | no-op job submit-to-result | job / bare |");
        System.out.println("|---|---|---|---|");
        row("p50 (us)", pct(bareMicros, 0.5), pct(jobMicros, 0.5));
        row("p99 (us)", pct(bareMicros, 0.99), pct(jobMicros, 0.99));
        System.out.printf(Locale.ROOT, "%njobs/s through one agent over NKN (%d no-op jobs, 16 in flight): %.0f%n", jobs, jobsPerSecond);
      } finally {
        engine.close();
      }
    }
  }

  private static long roundTrip(NknAgentClient client, String agent, ContainerJob job, Map<String, CompletableFuture<Long>> done)
      throws Exception {
    long t0 = System.nanoTime();
    String id = client.submit(agent, job).join().jobId();
    return done.computeIfAbsent(id, k -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS) - t0;
  }

  private static double throughput(NknAgentClient client, String agent, ContainerJob job,
      Map<String, CompletableFuture<Long>> done, int jobs) throws Exception {
    Semaphore inFlight = new Semaphore(16);
    long t0 = System.nanoTime();
    CompletableFuture<?>[] all = new CompletableFuture<?>[jobs];
    for (int i = 0; i < jobs; i++) {
      inFlight.acquire();
      all[i] = client.submit(agent, job)
          .thenCompose(accepted -> done.computeIfAbsent(accepted.jobId(), k -> new CompletableFuture<>()))
          .whenComplete((t, e) -> inFlight.release());
    }
    CompletableFuture.allOf(all).get(10, TimeUnit.MINUTES);
    return jobs / ((System.nanoTime() - t0) / 1e9);
  }

  private static double pct(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
  }

  private static void row(String name, double bare, double job) {
    System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.2f |%n", name, bare, job, job / bare);
  }
}
