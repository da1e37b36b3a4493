package tech.infernet.nkn;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained message and session traffic through the binding while the JVM is pushed through
 * many garbage collections and JIT deoptimizations/recompilations: Go and HotSpot share the
 * process, and their signal handling is where a mistake crashes it. Run in its own JVM by
 * NknSoakIT (short, in CI) and by hand for hours:
 *
 * <pre>java -cp ... tech.infernet.nkn.NknSoak SEED_RPC SECONDS</pre>
 *
 * Exits 0 when every request got its answer and every stream its digest; a crash of the
 * process is the other outcome this guards against.
 */
public final class NknSoak {
  /** Steady traffic keeps a steady number of goroutines; more than this many extra is a leak. */
  private static final int GOROUTINE_SLACK = 30;
  private static final AtomicBoolean running = new AtomicBoolean(true);
  private static final AtomicLong requests = new AtomicLong();
  private static final AtomicLong streamedBytes = new AtomicLong();
  private static final AtomicLong failures = new AtomicLong();
  private static final AtomicLong deoptTriggers = new AtomicLong();

  private NknSoak() {}

  public static void main(String[] args) throws Exception {
    String rpc = args[0];
    long seconds = Long.parseLong(args[1]);
    NknClientOptions options = NknClientOptions.builder(rpc).replyTimeout(Duration.ofSeconds(20)).build();
    try (NknClient alice = NknClient.connect(NknAccount.generate(), options);
         NknClient bob = NknClient.connect(NknAccount.generate(), options)) {
      bob.onMessage(message -> message.reply(digest(message.data())));
      bob.listen(List.of(".*"));
      ExecutorService workers = Executors.newCachedThreadPool();
      List<Future<?>> tasks = List.of(
          workers.submit(() -> requestLoop(alice, bob, 1)),
          workers.submit(() -> requestLoop(alice, bob, 2)),
          workers.submit(() -> requestLoop(alice, bob, 3)),
          workers.submit(() -> requestLoop(alice, bob, 4)),
          workers.submit(() -> streamServer(bob)),
          workers.submit(() -> streamClient(alice, bob)),
          workers.submit(NknSoak::garbageLoop),
          workers.submit(NknSoak::deoptimizationLoop));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      int settledGoroutines = -1;
      while (System.nanoTime() < end) {
        Thread.sleep(Math.min(10_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
        report();
        if (settledGoroutines < 0) {
          settledGoroutines = NativeNkn.goroutines(); // after the first 10 s of traffic
        }
      }
      int finalGoroutines = NativeNkn.goroutines();
      if (finalGoroutines > settledGoroutines + GOROUTINE_SLACK) {
        fail("goroutines grew from " + settledGoroutines + " to " + finalGoroutines + " under steady traffic");
      }
      running.set(false);
      workers.shutdown();
      if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
        System.out.println("soak: workers did not stop within 60 s");
        failures.incrementAndGet();
      }
      for (Future<?> task : tasks) {
        task.get(1, TimeUnit.SECONDS);
      }
    }
    report();
    System.out.println(failures.get() == 0 ? "SOAK PASSED" : "SOAK FAILED");
    System.exit(failures.get() == 0 ? 0 : 1);
  }

  private static void report() {
    long gcs = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcs += gc.getCollectionCount();
    }
    System.out.printf("soak: requests=%d streamedMiB=%d failures=%d gcs=%d jitMillis=%d classLoadsForDeopt=%d goroutines=%d%n",
        requests.get(), streamedBytes.get() >> 20, failures.get(), gcs,
        ManagementFactory.getCompilationMXBean().getTotalCompilationTime(), deoptTriggers.get(), NativeNkn.goroutines());
  }

  private static void requestLoop(NknClient alice, NknClient bob, int seed) {
    Random random = new Random(seed);
    while (running.get()) {
      byte[] data = new byte[64 + random.nextInt(32 << 10)];
      random.nextBytes(data);
      try {
        byte[] answer = alice.send(bob.address(), data).get(30, TimeUnit.SECONDS).data();
        if (!Arrays.equals(answer, digest(data))) {
          fail("wrong digest in a reply");
        }
        requests.incrementAndGet();
      } catch (Exception e) {
        fail("request: " + e);
      }
    }
  }

  private static void streamServer(NknClient bob) {
    while (running.get()) {
      try {
        var accepted = bob.accept(Duration.ofSeconds(1));
        if (accepted.isEmpty()) {
          continue;
        }
        try (NknSession session = accepted.get()) {
          MessageDigest digest = MessageDigest.getInstance("SHA-256");
          InputStream in = session.getInputStream();
          byte[] buf = new byte[32 << 10];
          int n;
          while ((n = in.read(buf)) > 0) {
            digest.update(buf, 0, n);
          }
          session.getOutputStream().write(digest.digest());
          session.shutdownOutput();
        }
      } catch (Exception e) {
        fail("stream server: " + e);
      }
    }
  }

  private static void streamClient(NknClient alice, NknClient bob) {
    Random random = new Random(99);
    while (running.get()) {
      byte[] data = new byte[(1 << 20) + random.nextInt(1 << 20)];
      random.nextBytes(data);
      try (NknSession session = alice.dial(bob.address(), Duration.ofSeconds(30))) {
        OutputStream out = session.getOutputStream();
        out.write(data);
        session.shutdownOutput();
        if (!Arrays.equals(session.getInputStream().readAllBytes(), digest(data))) {
          fail("wrong digest from the stream server");
        }
        streamedBytes.addAndGet(data.length);
      } catch (Exception e) {
        fail("stream client: " + e);
      }
    }
  }

  /** Short-lived garbage plus explicit full collections, many per second. */
  private static void garbageLoop() {
    List<byte[]> keep = new java.util.ArrayList<>();
    Random random = new Random(5);
    int round = 0;
    while (running.get()) {
      keep.add(new byte[random.nextInt(256 << 10)]);
      if (keep.size() > 64) {
        keep.clear();
      }
      if (++round % 200 == 0) {
        System.gc();
      }
    }
  }

  /**
   * Compiled code that inlined Shape.area() through class hierarchy analysis is thrown away
   * when a new subclass loads; loading one every 2 s forces deoptimization and recompilation
   * of a hot method all soak long.
   */
  private static void deoptimizationLoop() {
    Shape[] loaded = new Shape[Shapes.ALL.length];
    int next = 0;
    long lastLoad = System.nanoTime();
    double sink = 0;
    while (running.get()) {
      for (int i = 0; i < 10_000; i++) {
        sink += loaded[0] == null ? i : sumAreas(loaded, next);
      }
      if (System.nanoTime() - lastLoad > TimeUnit.SECONDS.toNanos(2)) {
        loaded[next % loaded.length] = Shapes.load(next % loaded.length);
        next++;
        deoptTriggers.incrementAndGet();
        lastLoad = System.nanoTime();
      }
    }
    if (sink == 42) {
      System.out.println("unlikely");
    }
  }

  private static double sumAreas(Shape[] shapes, int count) {
    double sum = 0;
    for (int i = 0; i < Math.min(count, shapes.length); i++) {
      sum += shapes[i].area();
    }
    return sum;
  }

  private static byte[] digest(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void fail(String what) {
    if (running.get()) {
      failures.incrementAndGet();
      System.out.println("soak failure: " + what);
    }
  }

  abstract static class Shape {
    abstract double area();
  }

  /** Subclasses loaded one at a time, by name, so each load is a new class for the JIT. */
  static final class Shapes {
    static final String[] ALL = {"Square", "Circle", "Triangle", "Hexagon", "Ring", "Star", "Kite", "Oval"};

    static Shape load(int index) {
      try {
        return (Shape) Class.forName(NknSoak.class.getName() + "$" + ALL[index]).getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static final class Square extends Shape { @Override double area() { return 4; } }
  static final class Circle extends Shape { @Override double area() { return 3.14159; } }
  static final class Triangle extends Shape { @Override double area() { return 0.5; } }
  static final class Hexagon extends Shape { @Override double area() { return 2.598; } }
  static final class Ring extends Shape { @Override double area() { return 1.5; } }
  static final class Star extends Shape { @Override double area() { return 0.9; } }
  static final class Kite extends Shape { @Override double area() { return 1.2; } }
  static final class Oval extends Shape { @Override double area() { return 2.2; } }
}
