package tech.infernet.mobile.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import io.vertx.core.Vertx;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import tech.infernet.mobile.MobileApi;
import tech.infernet.mobile.auth.KeyIds;
import tech.infernet.mobile.mqtt.MqttOptions;
import tech.infernet.protocol.KeyPair;

/**
 * Benchmark (not a test): MQTT QoS 1 fan-out, the relay's endpoint vs Mosquitto, in one run with
 * the same clients (HiveMQ MQTT 3.1.1 async clients), the same load and payload size.
 * {@code S} subscribers each get every one of {@code K} messages. Relay: the messages are job
 * events ingested in-process (each a SQLite transaction) for one key, and the subscribers are
 * that key's sessions (different client ids) on {@code u/{key}/jobs/#}. Mosquitto: a QoS 1
 * publisher over loopback TCP to one topic the subscribers share. Latency is publish call to
 * arrival at a subscriber (same JVM clock). Arguments: subscribers (50), messages (2000),
 * rate per second (0 = as fast as a window of 64 unacknowledged publishes allows).
 */
public final class MqttFanoutBench {
  static final int PAYLOAD = 160;

  public static void main(String[] args) throws Exception {
    int subs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int msgs = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    System.out.printf("fan-out: %d subscribers x %d QoS 1 messages, rate %s%n", subs, msgs,
        rate == 0 ? "max (window 64)" : rate + "/s");
    Result mosq = mosquitto(subs, msgs, rate);
    Result relay = relay(subs, msgs, rate);
    System.out.println("| broker | deliveries/s | p50 ms | p99 ms | delivered |");
    System.out.println("|---|---|---|---|---|");
    System.out.println(mosq.row("mosquitto " + mosquittoVersion()));
    System.out.println(relay.row("relay (vertx-mqtt)"));
    System.out.printf("relay/mosquitto throughput: %.2f%n", relay.perSecond / mosq.perSecond);
    System.exit(0);
  }

  record Result(double perSecond, double p50Ms, double p99Ms, long delivered, long expected) {
    String row(String name) {
      return String.format("| %s | %.0f | %.1f | %.1f | %d/%d |", name, perSecond, p50Ms, p99Ms, delivered, expected);
    }
  }

  /** Collects arrivals: latency per delivery, from the seq carried in the payload. */
  static final class Sink {
    final long[] sentAt;
    final long[] latencies;
    final AtomicLong count = new AtomicLong();
    volatile long lastArrival;

    Sink(int msgs, int subs) {
      sentAt = new long[msgs];
      latencies = new long[msgs * subs];
    }

    void arrived(int seq) {
      long now = System.nanoTime();
      long i = count.getAndIncrement();
      if (i < latencies.length) {
        latencies[(int) i] = now - sentAt[seq];
      }
      lastArrival = now;
    }

    Result result(long start, int expected) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (count.get() < expected && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      int n = (int) Math.min(count.get(), latencies.length);
      long[] l = Arrays.copyOf(latencies, n);
      Arrays.sort(l);
      double secs = (lastArrival - start) / 1e9;
      return new Result(n / secs, n == 0 ? 0 : l[n / 2] / 1e6, n == 0 ? 0 : l[(int) (n * 0.99)] / 1e6, n, expected);
    }
  }

  static List<Mqtt3AsyncClient> subscribers(int port, int subs, String user, String password, String filter,
      IntFunction<Integer> ignored, java.util.function.Function<byte[], Integer> seqOf, Sink sink) {
    List<Mqtt3AsyncClient> out = new ArrayList<>();
    List<CompletableFuture<?>> ready = new ArrayList<>();
    for (int i = 0; i < subs; i++) {
      Mqtt3AsyncClient c = Mqtt3Client.builder().identifier("bench-sub-" + i).serverHost("127.0.0.1")
          .serverPort(port).buildAsync();
      var connect = c.connectWith().cleanSession(true).keepAlive(300);
      CompletableFuture<?> f = (user == null ? connect.send()
          : connect.simpleAuth().username(user).password(password.getBytes(StandardCharsets.US_ASCII)).applySimpleAuth().send())
          .thenCompose(a -> c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
              .callback(p -> sink.arrived(seqOf.apply(p.getPayloadAsBytes()))).send());
      ready.add(f);
      out.add(c);
    }
    CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
    return out;
  }

  static void pace(long start, int i, int rate) {
    if (rate > 0) {
      long due = start + (long) (i * (1e9 / rate));
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  static Result mosquitto(int subs, int msgs, int rate) throws Exception {
    int port = 18830 + new SecureRandom().nextInt(1000);
    Path conf = Files.createTempFile("mosq", ".conf");
    Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\nmax_queued_messages 100000\n"
        + "max_inflight_messages 64\npersistence false\n");
    Process p = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
        .redirectOutput(new File("/dev/null")).start();
    try {
      Thread.sleep(500);
      Sink sink = new Sink(msgs, subs);
      List<Mqtt3AsyncClient> cs = subscribers(port, subs, null, null, "bench/fanout", null,
          b -> ByteBuffer.wrap(b).getInt(), sink);
      Mqtt3AsyncClient pub = Mqtt3Client.builder().identifier("bench-pub").serverHost("127.0.0.1").serverPort(port)
          .buildAsync();
      pub.connectWith().cleanSession(true).send().join();
      Semaphore window = new Semaphore(64);
      long start = System.nanoTime();
      for (int i = 0; i < msgs; i++) {
        pace(start, i, rate);
        window.acquire();
        byte[] payload = new byte[PAYLOAD];
        ByteBuffer.wrap(payload).putInt(i);
        sink.sentAt[i] = System.nanoTime();
        pub.publishWith().topic("bench/fanout").qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
            .whenComplete((x, t) -> window.release());
      }
      Result r = sink.result(start, subs * msgs);
      pub.disconnect();
      cs.forEach(Mqtt3AsyncClient::disconnect);
      return r;
    } finally {
      p.destroy();
      p.waitFor(5, TimeUnit.SECONDS);
      Files.deleteIfExists(conf);
    }
  }

  static Result relay(int subs, int msgs, int rate) throws Exception {
    Path dir = Files.createTempDirectory("relay-bench");
    Vertx vertx = Vertx.vertx();
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    MobileApi.Options d = MobileApi.Options.defaults(dir.resolve("relay.db"), "bench", secret);
    MobileApi.Options o = new MobileApi.Options(d.database(), d.relayId(), d.secret(), "127.0.0.1", 0,
        d.accessTtl(), d.refreshTtl(), d.eventRetention(), d.maxEnvelopeBytes(), d.rest(),
        MqttOptions.defaults().withPorts("127.0.0.1", 0, -1).withLimits(Duration.ofHours(1), 100_000, 64),
        d.push(), d.pushTokenStaleAfter(), d.maintenanceEvery());
    MobileApi api = MobileApi.start(vertx, o, (k, a, e) -> CompletableFuture.completedFuture(null), null, m -> { }).await();
    try {
      KeyPair phone = KeyPair.generate(new SecureRandom());
      String keyId = KeyIds.of(phone.publicKey());
      String token = api.tokens().issue(phone.publicKey()).accessToken();
      Sink sink = new Sink(msgs, subs);
      Base64.Decoder b64 = Base64.getUrlDecoder();
      List<Mqtt3AsyncClient> cs = subscribers(api.mqttPort(), subs, keyId, token, "u/" + keyId + "/jobs/#", null,
          b -> {
            String json = new String(b, StandardCharsets.UTF_8);
            int at = json.indexOf("\"envelope\":\"") + 12;
            return ByteBuffer.wrap(b64.decode(json.substring(at, json.indexOf('"', at)))).getInt();
          }, sink);
      Semaphore window = new Semaphore(64);
      // Stored envelope sized so the delivered JSON is about the size of the Mosquitto payload.
      int envBytes = PAYLOAD - 100;
      long start = System.nanoTime();
      for (int i = 0; i < msgs; i++) {
        pace(start, i, rate);
        window.acquire();
        byte[] env = new byte[envBytes];
        ByteBuffer.wrap(env).putInt(i);
        sink.sentAt[i] = System.nanoTime();
        api.ingest(keyId, "job-" + (i % 100), "running", env).whenComplete((x, t) -> window.release());
      }
      Result r = sink.result(start, subs * msgs);
      cs.forEach(Mqtt3AsyncClient::disconnect);
      return r;
    } finally {
      api.close();
      vertx.close().await();
    }
  }

  static String mosquittoVersion() {
    try {
      Process p = new ProcessBuilder("mosquitto", "-h").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out.lines().findFirst().orElse("").replace("mosquitto version ", "").strip();
    } catch (Exception e) {
      return "?";
    }
  }
}
