package tech.infernet.mobile;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import tech.infernet.mobile.auth.Challenges;
import tech.infernet.mobile.auth.KeyIds;
import tech.infernet.mobile.mqtt.MqttOptions;
import tech.infernet.mobile.push.PushDispatcher;
import tech.infernet.mobile.push.PushSender;
import tech.infernet.mobile.rest.RateLimiter;
import tech.infernet.mobile.rest.RestApi;
import tech.infernet.protocol.KeyPair;

/** A real {@link MobileApi} on loopback ports with a temp database, and phones that talk to it over HTTP. */
public final class TestRelay implements AutoCloseable {
  public final Vertx vertx = Vertx.vertx();
  public final RecordingForwarder forwarder = new RecordingForwarder();
  public final MobileApi api;
  public final byte[] secret = new byte[32];
  public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public TestRelay(Path dir, PushSender push, RestApi.Options rest, MqttOptions mqtt) {
    new SecureRandom().nextBytes(secret);
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    MobileApi.Options d = MobileApi.Options.defaults(dir.resolve("relay.db"), "test-relay", secret);
    MobileApi.Options o = new MobileApi.Options(d.database(), d.relayId(), d.secret(), "127.0.0.1", 0,
        d.accessTtl(), d.refreshTtl(), d.eventRetention(), d.maxEnvelopeBytes(), rest, mqtt,
        new PushDispatcher.Options(Duration.ofMillis(500), 3, Duration.ofMillis(50), Duration.ofSeconds(2)),
        d.pushTokenStaleAfter(), d.maintenanceEvery());
    api = MobileApi.start(vertx, o, forwarder, push, msg -> { }).await();
  }

  public TestRelay(Path dir) {
    this(dir, null, generous(), MqttOptions.defaults().withPorts("127.0.0.1", 0, 0));
  }

  /** Rate limits high enough not to get in a functional test's way. */
  public static RestApi.Options generous() {
    RestApi.Options d = RestApi.Options.defaults();
    return new RestApi.Options(d.maxJsonBody(), d.maxEnvelopeBytes(), new RateLimiter.Rate(10_000, 10_000),
        new RateLimiter.Rate(10_000, 10_000), new RateLimiter.Rate(10_000, 10_000), d.envelopeSkew(),
        Duration.ofSeconds(2), d.sseHeartbeat());
  }

  public String base() {
    return "http://127.0.0.1:" + api.httpPort();
  }

  public HttpResponse<String> send(String method, String path, String token, String body) throws IOException,
      InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A simulated phone: its own Ed25519 key, logged in over REST. */
  public Phone phone() throws Exception {
    return new Phone(KeyPair.generate(new SecureRandom()));
  }

  public final class Phone {
    public final KeyPair key;
    public final String keyId;
    public String accessToken;
    public String refreshToken;

    Phone(KeyPair key) throws Exception {
      this.key = key;
      this.keyId = KeyIds.of(key.publicKey());
      login();
    }

    public void login() throws Exception {
      JsonObject c = new JsonObject(TestRelay.this.send("POST", "/v1/auth/challenge", null, null).body());
      String sig = Challenges.sign(key, c.getString("relayId"), c.getString("challenge"));
      HttpResponse<String> r = TestRelay.this.send("POST", "/v1/auth/login", null, new JsonObject().put("keyId", keyId)
          .put("challenge", c.getString("challenge")).put("signature", sig).encode());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.body());
      }
      JsonObject t = new JsonObject(r.body());
      accessToken = t.getString("accessToken");
      refreshToken = t.getString("refreshToken");
    }

    public HttpResponse<String> send(String method, String path, String body) throws Exception {
      return TestRelay.this.send(method, path, accessToken, body);
    }
  }

  @Override
  public void close() {
    api.close();
    vertx.close().await();
  }
}
