package tech.infernet.nkn.bench;

import java.io.BufferedReader;

import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.infernet.nkn.NknAccount;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.nkn.NknSession;

/**
 * Messages/s, request-reply round trip and session throughput through the Java binding and
 * through a pure-Go program (nknpeer bench) on the same nkn-sdk-go version and the same devnet,
 * in one run; prints a table with the ratio Java/Go. The workloads mirror go/cmd/nknpeer/bench.go.
 *
 * <pre>scripts/bench-nkn.sh   (starts the devnet, builds, runs this)</pre>
 */
public final class NknBenchmark {
  private static final int MSG_COUNT = Integer.getInteger("bench.msgs", 20_000);
  private static final int MSG_SIZE = 1024;
  private static final int WINDOW = 64;
  private static final int RR_COUNT = Integer.getInteger("bench.rr", 2_000);
  private static final int SESSION_MIB = Integer.getInteger("bench.mib", 64);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

  private NknBenchmark() {}

  public static void main(String[] args) throws Exception {
    String rpc = args[0];
    Path goPeer = Path.of(args[1]);
    NknClientOptions options = NknClientOptions.builder(rpc).replyTimeout(Duration.ofSeconds(10)).build();
    System.out.println("nkn-java-sdk benchmark: " + NknClient.nativeVersion() + ", Java " + Runtime.version()
        + ", " + Runtime.getRuntime().availableProcessors() + " cores, rounds " + ROUNDS);

    warmUp(options);
    Map<String, double[]> java = new LinkedHashMap<>();
    Map<String, double[]> go = new LinkedHashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      add(go, "msgs", goBench(goPeer, rpc, "msgs", "-count", MSG_COUNT, "-size", MSG_SIZE, "-window", WINDOW), "perSecond");
      add(java, "msgs", messages(options, MSG_COUNT), "perSecond");
      Map<String, Double> goRr = goBench(goPeer, rpc, "rr", "-count", RR_COUNT, "-size", MSG_SIZE);
      Map<String, Double> javaRr = requestReply(options, RR_COUNT, false);
      Map<String, Double> javaRrBlocking = requestReply(options, RR_COUNT, true);
      add(go, "p50", goRr, "p50Micros");
      add(go, "p99", goRr, "p99Micros");
      add(java, "p50", javaRr, "p50Micros");
      add(java, "p99", javaRr, "p99Micros");
      add(java, "p50-blocking", javaRrBlocking, "p50Micros");
      add(java, "p99-blocking", javaRrBlocking, "p99Micros");
      add(go, "session", goBench(goPeer, rpc, "session", "-mib", SESSION_MIB), "mbPerSecond");
      add(java, "session", session(options, SESSION_MIB), "mbPerSecond");
    }

    System.out.println();
    System.out.println("| workload | Go (median of " + ROUNDS + ") | Java (median) | Java/Go (higher is better for Java) |");
    System.out.println("|---|---|---|---|");
    row("messages/s, 1 KiB, 64 in flight", median(go.get("msgs")), median(java.get("msgs")), false);
    row("request-reply p50 (us), 1 KiB, send().get()", median(go.get("p50")), median(java.get("p50")), true);
    row("request-reply p99 (us), 1 KiB, send().get()", median(go.get("p99")), median(java.get("p99")), true);
    row("request-reply p50 (us), 1 KiB, sendAndWait()", median(go.get("p50")), median(java.get("p50-blocking")), true);
    row("request-reply p99 (us), 1 KiB, sendAndWait()", median(go.get("p99")), median(java.get("p99-blocking")), true);
    row("session MB/s, " + SESSION_MIB + " MiB", median(go.get("session")), median(java.get("session")), false);
  }

  private static void row(String name, double go, double java, boolean lowerIsBetter) {
    double ratio = lowerIsBetter ? go / java : java / go;
    System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |%n", name, go, java, ratio);
  }

  private static void add(Map<String, double[]> results, String key, Map<String, Double> run, String field) {
    double[] old = results.getOrDefault(key, new double[0]);
    double[] grown = Arrays.copyOf(old, old.length + 1);
    grown[old.length] = run.get(field);
    results.put(key, grown);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void warmUp(NknClientOptions options) throws Exception {
    messages(options, 3_000);
    requestReply(options, 500, false);
    requestReply(options, 500, true);
    session(options, 8);
  }

  /** Same as benchMessages in bench.go. */
  static Map<String, Double> messages(NknClientOptions options, int count) throws Exception {
    try (NknClient receiver = NknClient.connect(NknAccount.generate(), options);
         NknClient sender = NknClient.connect(NknAccount.generate(), options)) {
      AtomicLong received = new AtomicLong();
      CompletableFuture<Void> all = new CompletableFuture<>();
      receiver.onMessage(message -> {
        if (received.incrementAndGet() == count) {
          all.complete(null);
        }
      });
      byte[] data = payload(MSG_SIZE);
      Semaphore inFlight = new Semaphore(WINDOW);
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        inFlight.acquire();
        sender.sendNoReply(receiver.address(), data).whenComplete((ok, error) -> inFlight.release());
      }
      waitForCount(all, received);
      double seconds = (System.nanoTime() - start) / 1e9;
      return Map.of("perSecond", received.get() / seconds);
    }
  }

  private static void waitForCount(CompletableFuture<Void> all, AtomicLong received) throws InterruptedException {
    long last = received.get();
    long lastChange = System.nanoTime();
    while (!all.isDone()) {
      Thread.sleep(100);
      long now = received.get();
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(5)) {
        return;
      }
    }
  }

  /** Same as benchRequestReply in bench.go. */
  static Map<String, Double> requestReply(NknClientOptions options, int count, boolean blocking) throws Exception {
    try (NknClient receiver = NknClient.connect(NknAccount.generate(), options);
         NknClient sender = NknClient.connect(NknAccount.generate(), options)) {
      receiver.onMessage(message -> message.reply(message.data()));
      byte[] data = payload(MSG_SIZE);
      double[] rtts = new double[count];
      for (int i = 0; i < count; i++) {
        long t0 = System.nanoTime();
        if (blocking) {
          sender.sendAndWait(receiver.address(), data);
        } else {
          sender.send(receiver.address(), data).get(10, TimeUnit.SECONDS);
        }
        rtts[i] = (System.nanoTime() - t0) / 1e3;
      }
      Arrays.sort(rtts);
      return Map.of("p50Micros", rtts[(int) (0.50 * count)], "p99Micros", rtts[Math.min(count - 1, (int) (0.99 * count))]);
    }
  }

  /** Same as benchSession in bench.go. */
  static Map<String, Double> session(NknClientOptions options, int mib) throws Exception {
    try (NknClient receiver = NknClient.connect(NknAccount.generate(), options);
         NknClient sender = NknClient.connect(NknAccount.generate(), options)) {
      receiver.listen(List.of(".*"));
      long total = (long) mib << 20;
      CompletableFuture<Long> got = CompletableFuture.supplyAsync(() -> {
        try (NknSession session = receiver.accept(Duration.ofSeconds(60)).orElseThrow()) {
          return session.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      byte[] chunk = payload(64 << 10);
      long start = System.nanoTime();
      try (NknSession session = sender.dial(receiver.address(), Duration.ofSeconds(30))) {
        OutputStream out = session.getOutputStream();
        for (long sent = 0; sent < total; sent += chunk.length) {
          out.write(chunk);
        }
      }
      long n = got.get(600, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (n != total) {
        throw new IllegalStateException("receiver read " + n + " of " + total + " bytes");
      }
      return Map.of("mbPerSecond", n / seconds / 1e6);
    }
  }

  private static Map<String, Double> goBench(Path peer, String rpc, String workload, Object... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(peer.toString(), "bench", "-rpc", rpc, "-workload", workload));
    for (Object arg : args) {
      command.add(String.valueOf(arg));
    }
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String json;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      json = out.readLine();
    }
    if (process.waitFor() != 0 || json == null) {
      throw new IllegalStateException("nknpeer bench " + workload + " failed (exit " + process.exitValue() + ")");
    }
    Map<String, Double> fields = new LinkedHashMap<>();
    Matcher number = Pattern.compile("\"(\\w+)\":(-?[0-9.eE+]+)").matcher(json);
    while (number.find()) {
      fields.put(number.group(1), Double.parseDouble(number.group(2)));
    }
    return fields;
  }

  private static byte[] payload(int size) {
    byte[] data = new byte[size];
    new Random(1).nextBytes(data);
    return data;
  }

}
