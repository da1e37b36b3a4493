package tech.infernet.agent.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tech.infernet.agent.engine.InstantRunner;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.store.Store;
import tech.infernet.agent.store.StoredResult;
import tech.infernet.agent.transport.FaceConfig;
import tech.infernet.agent.transport.NknFace;
import tech.infernet.client.NknAgentClient;
import tech.infernet.client.ResultFile;
import tech.infernet.nkn.NknAccount;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.nkn.NknSession;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.message.AgentInfo;
import tech.infernet.protocol.message.Role;
import tech.infernet.protocol.spec.ContainerJob;
import tech.infernet.protocol.spec.Resources;

/**
 * Benchmark (not a test): fetching a large job result from an agent over NKN (job.result, then a
 * transfer.open get: sealed first frames, 256 KiB chunks each checked by SHA-256, written to a
 * .part file, whole checked, synced and renamed) against the same bytes streamed through a bare
 * session of the binding, alternately, so both see the same load. Arguments: seed RPC address,
 * MiB (default 32), rounds (default 3).
 */
public final class TransferBench {
  private TransferBench() {}

  public static void main(String[] args) throws Exception {
    String rpc = args[0];
    int mib = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    NknClientOptions options = NknClientOptions.builder(rpc).replyTimeout(Duration.ofSeconds(30))
        .sessionIoTimeout(Duration.ofSeconds(60)).build();
    Path dir = Files.createTempDirectory("infernet-transfer-bench");
    byte[] content = new byte[mib << 20];
    new Random(7).nextBytes(content);
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    KeyPair owner = KeyPair.generate(new SecureRandom());
    try (Store store = Store.open(dir.resolve("agent.db"), 4)) {
      JobEngine engine = InstantRunner.engineQuiet(store, dir, 4, false);
      engine.start();
      store.aclPut(HexFormat.of().formatHex(owner.publicKey()), Role.OWNER.wireName()).join();
      FaceConfig config = new FaceConfig(List.of(rpc), "agent", dir, 1000, 1000, 1000, 1 << 20, Duration.ofMillis(200), List.of());
      try (NknFace face = NknFace.start(engine, seed, config, () -> new AgentInfo("x", "bench", List.of(1),
              List.of("container"), 1, 1, List.of(), List.of(), 1 << 20, 0, 0));
           NknAgentClient client = NknAgentClient.connect(owner, options);
           NknClient bareA = NknClient.connect(NknAccount.generate(), options);
           NknClient bareB = NknClient.connect(NknAccount.generate(), options)) {
        String job = resultJob(store, client, face.address(), dir, content);
        bareB.listen(List.of(".*"));
        double[] bare = new double[rounds];
        double[] agent = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          bare[r] = bareSession(bareA, bareB, content);
          Path out = dir.resolve("fetched-" + r);
          long t0 = System.nanoTime();
          ResultFile fetched = client.fetchResult(face.address(), job, out).get(10, TimeUnit.MINUTES);
          agent[r] = content.length / 1e6 / ((System.nanoTime() - t0) / 1e9);
          if (fetched.chunksFetched() != (content.length + (256 << 10) - 1) / (256 << 10)) {
            throw new IllegalStateException("fetched " + fetched.chunksFetched() + " chunks");
          }
          Files.delete(out);
        }
        System.out.println("| round | bare session MB/s | result fetch through the agent MB/s | agent / bare |");
        System.out.println("|---|---|---|---|");
        for (int r = 0; r < rounds; r++) {
          System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.2f |%n", r + 1, bare[r], agent[r], agent[r] / bare[r]);
        }
        System.out.printf(Locale.ROOT, "%n%d MiB, %d rounds; medians: bare %.2f MB/s, agent %.2f MB/s%n", mib, rounds,
            median(bare), median(agent));
      } finally {
        engine.close();
      }
    }
  }

  /** A finished no-op job whose stored result is content (as a file, like a large container result). */
  private static String resultJob(Store store, NknAgentClient client, String agent, Path dir, byte[] content)
      throws Exception {
    ContainerJob noop = new ContainerJob("localhost/noop:1", List.of("true"), Map.of(), Resources.DEFAULT, 0, false);
    String id = client.submit(agent, noop).join().jobId();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!store.job(new JobId(id)).orElseThrow().state().equals(JobState.SUCCEEDED)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the no-op job did not succeed");
      }
      Thread.sleep(10);
    }
    Path file = dir.resolve("result-" + id);
    Files.write(file, content);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    store.putResult(new StoredResult(id, null, file.toString(), sha, content.length)).join();
    return id;
  }

  /**
   * MB/s of content through one bare session in the fetch's direction: {@code from} dials, the
   * listening side writes everything and half-closes, {@code from} reads to the end.
   */
  private static double bareSession(NknClient from, NknClient to, byte[] content) throws Exception {
    CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
      try (NknSession session = to.accept(Duration.ofSeconds(60)).orElseThrow()) {
        OutputStream out = session.getOutputStream();
        for (int off = 0; off < content.length; off += 256 << 10) {
          out.write(content, off, Math.min(256 << 10, content.length - off));
        }
        session.shutdownOutput();
        session.getInputStream().read(new byte[1]); // until the reader closes, as the agent waits
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long t0 = System.nanoTime();
    long total = 0;
    try (NknSession session = from.dial(to.address(), Duration.ofSeconds(30));
         InputStream in = session.getInputStream()) {
      byte[] buf = new byte[256 << 10]; // reads as large as the agent's chunks, so both cross JNI alike
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
      }
    }
    double mbps = content.length / 1e6 / ((System.nanoTime() - t0) / 1e9);
    written.get(1, TimeUnit.MINUTES);
    if (total != content.length) {
      throw new IllegalStateException("bare session lost bytes");
    }
    return mbps;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
