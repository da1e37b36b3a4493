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
import java.util.UUID;
import tech.infernet.client.NknAgentClient;
import tech.infernet.client.SecureChannel;
import tech.infernet.nkn.NknReply;
import tech.infernet.protocol.InMemoryReplayCache;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.message.JobAccepted;
import tech.infernet.protocol.message.JobEvent;
import tech.infernet.protocol.message.JobSubmit;
import tech.infernet.nkn.NknAccount;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.message.AgentInfo;
import tech.infernet.protocol.message.Role;
import tech.infernet.protocol.spec.ContainerJob;
import tech.infernet.protocol.spec.Resources;

/**
 * Benchmark (not a test): submit-to-result round trip of a no-op job through an agent over NKN,
 * until SUCCEEDED reaches the client's listener, against a bare request-reply of the same size
 * through the binding, in one run; then jobs/s through one agent. Two ways to submit: answered at
 * once, with the events delivered and acknowledged one by one (or batched), and a submit that waits
 * (its answer carries the events). A third row is the protocol's floor: the same sealed submit and
 * answer between two plain peers, no agent. The no-op runner stands in for the container so the
 * figure is the agent's own cost. Arguments: seed RPC address, round trips (default 300), jobs
 * (default 1000).
 */
public final class NknJobBench {
  private static final long SETTLE_MS = 10;
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
           NknClient bareB = NknClient.connect(NknAccount.generate(), options);
           NknClient sealedA = NknClient.connect(NknAccount.generate(), options);
           NknClient sealedB = NknClient.connect(NknAccount.generate(), options)) {
        Map<String, CompletableFuture<Long>> done = new ConcurrentHashMap<>();
        client.onEvent(event -> {
          if ("SUCCEEDED".equals(event.data().get("state"))) {
            done.computeIfAbsent(event.jobId(), k -> new CompletableFuture<>()).complete(System.nanoTime());
          }
        });
        SealedEcho sealed = new SealedEcho(sealedA, sealedB, noop);
        // The bare request-reply moves as many bytes each way as the sealed submit and its answer.
        byte[] bare = new byte[sealed.requestBytes()];
        byte[] bareAnswer = new byte[sealed.answerBytes()];
        bareB.onMessage(message -> message.reply(bareAnswer));

        Duration wait = Duration.ofSeconds(5);
        for (int i = 0; i < 100; i++) { // warm-up of every path
          bareA.sendAndWait(bareB.address(), bare);
          roundTrip(client, face.address(), noop, done, Duration.ZERO);
          roundTrip(client, face.address(), noop, done, wait);
          sealed.roundTrip();
        }
        double[] bareMicros = new double[trips];
        double[] sealedMicros = new double[trips];
        double[] jobMicros = new double[trips];
        double[] waitedMicros = new double[trips];
        // Interleaved, so all see the same load; each starts once what the one before left behind
        // (acknowledgements still in flight) has settled, so none is timed against another's tail.
        for (int i = 0; i < trips; i++) {
          Thread.sleep(SETTLE_MS);
          long t0 = System.nanoTime();
          bareA.sendAndWait(bareB.address(), bare);
          bareMicros[i] = (System.nanoTime() - t0) / 1e3;
          Thread.sleep(SETTLE_MS);
          sealedMicros[i] = sealed.roundTrip() / 1e3;
          Thread.sleep(SETTLE_MS);
          jobMicros[i] = roundTrip(client, face.address(), noop, done, Duration.ZERO) / 1e3;
          Thread.sleep(SETTLE_MS);
          waitedMicros[i] = roundTrip(client, face.address(), noop, done, wait) / 1e3;
        }
        double jobsPerSecond = throughput(client, face.address(), noop, done, jobs, Duration.ZERO);
        double waitedPerSecond = throughput(client, face.address(), noop, done, jobs, wait);
        Arrays.sort(bareMicros);
        Arrays.sort(sealedMicros);
        Arrays.sort(jobMicros);
        Arrays.sort(waitedMicros);
        System.out.println("| measure | bare request-reply | envelopes only (no agent) | / bare"
            + " | no-op job, events delivered | / bare | no-op job, submit waits for the end | / bare |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        row("p50 (us)", 0.5, bareMicros, sealedMicros, jobMicros, waitedMicros);
        row("p99 (us)", 0.99, bareMicros, sealedMicros, jobMicros, waitedMicros);
        System.out.printf(Locale.ROOT, "%njobs/s through one agent over NKN (%d no-op jobs, 16 in flight):"
            + " %.0f with events delivered, %.0f with submits that wait%n", jobs, jobsPerSecond, waitedPerSecond);
      } finally {
        engine.close();
      }
    }
  }

  private static long roundTrip(NknAgentClient client, String agent, ContainerJob job, Map<String, CompletableFuture<Long>> done,
      Duration wait) throws Exception {
    long t0 = System.nanoTime();
    String id = client.submit(agent, job, wait).join().jobId();
    return done.computeIfAbsent(id, k -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS) - t0;
  }

  private static double throughput(NknAgentClient client, String agent, ContainerJob job,
      Map<String, CompletableFuture<Long>> done, int jobs, Duration wait) throws Exception {
    Semaphore inFlight = new Semaphore(16);
    long t0 = System.nanoTime();
    CompletableFuture<?>[] all = new CompletableFuture<?>[jobs];
    for (int i = 0; i < jobs; i++) {
      inFlight.acquire();
      all[i] = client.submit(agent, job, wait)
          .thenCompose(accepted -> done.computeIfAbsent(accepted.jobId(), k -> new CompletableFuture<>()))
          .whenComplete((t, e) -> inFlight.release());
    }
    CompletableFuture.allOf(all).get(10, TimeUnit.MINUTES);
    return jobs / ((System.nanoTime() - t0) / 1e9);
  }

  private static double pct(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
  }

  private static void row(String name, double p, double[] bare, double[]... others) {
    double base = pct(bare, p);
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %.0f |", name, base));
    for (double[] other : others) {
      line.append(String.format(Locale.ROOT, " %.0f | %.2f |", pct(other, p), pct(other, p) / base));
    }
    System.out.println(line);
  }

  /**
   * The protocol's floor, with no agent: the client seals the same job.submit (signed, boxed), the
   * peer opens it (signature, replay cache, box, JSON) and answers with a sealed job.submit reply
   * carrying four state events, as a waiting submit's answer does, and the client opens that.
   */
  private static final class SealedEcho {
    private final NknClient client;
    private final String peer;
    private final SecureChannel clientChannel = new SecureChannel(KeyPair.generate(new SecureRandom()), new InMemoryReplayCache());
    private final SecureChannel peerChannel = new SecureChannel(KeyPair.generate(new SecureRandom()), new InMemoryReplayCache());
    private final ContainerJob job;

    SealedEcho(NknClient client, NknClient peer, ContainerJob job) {
      this.client = client;
      this.peer = peer.address();
      this.job = job;
      peer.onMessage(message -> {
        try {
          SecureChannel.Inbound in = peerChannel.open(message.source(), message.data());
          JobSubmit submit = (JobSubmit) in.payload();
          message.reply(peerChannel.seal(in.sender(), answer(submit.id())));
        } catch (ProtocolException e) {
          throw new IllegalStateException(e);
        }
      });
    }

    int requestBytes() {
      return submit().length;
    }

    int answerBytes() {
      return peerChannel.seal(clientChannel.self().publicKey(), answer(UUID.randomUUID().toString())).length;
    }

    private byte[] submit() {
      return clientChannel.seal(peerChannel.self().publicKey(), new JobSubmit(UUID.randomUUID().toString(), job).waiting(5000));
    }

    private static JobAccepted answer(String re) {
      String id = "01JD0000000000000000000000";
      List<JobEvent> events = new java.util.ArrayList<>();
      for (String state : List.of("QUEUED", "PREPARING", "RUNNING", "SUCCEEDED")) {
        events.add(new JobEvent(id, events.size() + 1, System.currentTimeMillis(), "state", Map.of("state", state)));
      }
      return new JobAccepted(re, id, "succeeded", events);
    }

    long roundTrip() throws ProtocolException {
      long t0 = System.nanoTime();
      byte[] sealed = submit();
      NknReply reply = client.sendAndWait(peer, sealed);
      JobAccepted answer = (JobAccepted) clientChannel.open(reply.source(), reply.data()).payload();
      long t1 = System.nanoTime();
      if (answer.events().size() != 4) {
        throw new IllegalStateException("bad echo");
      }
      return t1 - t0;
    }
  }
}
