package tech.infernet.mobile.bench;

import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tech.infernet.mobile.MobileApi;
import tech.infernet.mobile.auth.KeyIds;
import tech.infernet.mobile.rest.RateLimiter;
import tech.infernet.mobile.rest.RestApi;
import tech.infernet.protocol.KeyPair;

/**
 * A mobile API on fixed loopback ports with a fresh database, for benchmarks and API fuzzers run
 * from outside (not the relay application, which does not exist yet). Forwards nothing (envelopes
 * are accepted and dropped) and has push off. Arguments: state dir, HTTP port, MQTT port, then
 * optionally a file to write {@code keyId token} lines for N fresh keys and N. Every 5 s it prints
 * the MQTT sessions and the heap used after a full GC. {@code -Dinfernet.devrelay.unlimited=true}
 * lifts the rate limits (for API fuzzers).
 */
public final class DevRelay {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    int http = Integer.parseInt(args[1]);
    int mqtt = Integer.parseInt(args[2]);
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    MobileApi.Options o = MobileApi.Options.defaults(dir.resolve("relay.db"), "dev-relay", secret)
        .withPorts("127.0.0.1", http, mqtt, -1);
    if (Boolean.getBoolean("infernet.devrelay.unlimited")) {
      // For API fuzzers: rate limits out of the way, so every request reaches the handlers.
      RestApi.Options r = o.rest();
      RateLimiter.Rate lots = new RateLimiter.Rate(1_000_000, 1_000_000);
      o = new MobileApi.Options(o.database(), o.relayId(), o.secret(), o.host(), o.httpPort(), o.accessTtl(),
          o.refreshTtl(), o.eventRetention(), o.maxEnvelopeBytes(), new RestApi.Options(r.maxJsonBody(),
          r.maxEnvelopeBytes(), lots, lots, lots, r.envelopeSkew(), r.forwardTimeout(), r.sseHeartbeat()),
          o.mqtt(), o.push(), o.pushTokenStaleAfter(), o.maintenanceEvery());
    }
    Vertx vertx = Vertx.vertx();
    MobileApi api = MobileApi.start(vertx, o, (k, a, e) -> CompletableFuture.completedFuture(null), null, m -> { })
        .await();
    if (args.length > 4) {
      int n = Integer.parseInt(args[4]);
      SecureRandom rnd = new SecureRandom();
      List<String> lines = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        KeyPair k = KeyPair.generate(rnd);
        lines.add(KeyIds.of(k.publicKey()) + " " + api.tokens().issue(k.publicKey()).accessToken());
      }
      Files.write(Path.of(args[3]), lines);
    }
    System.out.println("dev relay: REST http://127.0.0.1:" + api.httpPort() + " MQTT tcp://127.0.0.1:" + api.mqttPort());
    while (true) {
      Thread.sleep(5000);
      System.gc();
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      System.out.printf("sessions %d, heap used after GC %.1f MiB (max %.0f MiB)%n", api.mqtt().stats().sessions(),
          used / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
    }
  }
}
