package tech.infernet.mobile.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.mobile.TestRelay;
import tech.infernet.mobile.auth.KeyIds;
import tech.infernet.mobile.auth.Revocations;
import tech.infernet.mobile.auth.TokenService;
import tech.infernet.mobile.mqtt.MqttOptions;
import tech.infernet.mobile.store.Database;
import tech.infernet.protocol.Envelope;
import tech.infernet.protocol.EnvelopeCodec;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.MessageType;
import tech.infernet.protocol.Sealer;

class RestApiTest {
  @TempDir static Path dir;
  static TestRelay relay;
  static TestRelay.Phone alice;
  static TestRelay.Phone bob;
  static KeyPair agent = KeyPair.generate(new SecureRandom());

  @BeforeAll
  static void start() throws Exception {
    relay = new TestRelay(dir);
    alice = relay.phone();
    bob = relay.phone();
  }

  @AfterAll
  static void stop() {
    relay.close();
  }

  static JsonObject error(HttpResponse<String> r) {
    return new JsonObject(r.body()).getJsonObject("error");
  }

  static void assertError(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(code, error(r).getString("code"), r.body());
  }

  static String envelope(KeyPair from, MessageType type) {
    return EnvelopeCodec.toJson(new Sealer(from).seal(agent.publicKey(), type,
        "{\"secret\":\"job payload\"}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void openApiDocumentsEveryRoute() throws Exception {
    HttpResponse<String> r = relay.send("GET", "/openapi.json", null, null);
    assertEquals(200, r.statusCode());
    JsonObject doc = new JsonObject(r.body());
    assertEquals("3.1.0", doc.getString("openapi"));
    Set<String> documented = new HashSet<>();
    for (String path : doc.getJsonObject("paths").fieldNames()) {
      for (String m : doc.getJsonObject("paths").getJsonObject(path).fieldNames()) {
        if (!m.equals("parameters")) {
          documented.add(m.toUpperCase() + " " + path);
        }
      }
    }
    RestApi api = new RestApi(relay.vertx, RestApi.Options.defaults(), Clock.systemUTC(), null, null, null, null,
        null, null, null, null, null);
    Set<String> served = new HashSet<>();
    for (String route : RestApi.routes(api.router())) {
      served.add(route.replaceAll(":([A-Za-z]+)", "{$1}"));
    }
    assertEquals(documented, served);
  }

  @Test
  void refreshRotatesAndLogoutRevokes() throws Exception {
    TestRelay.Phone p = relay.phone();
    HttpResponse<String> r = relay.send("POST", "/v1/auth/refresh", null,
        new JsonObject().put("refreshToken", p.refreshToken).encode());
    assertEquals(200, r.statusCode(), r.body());
    String access2 = new JsonObject(r.body()).getString("accessToken");
    assertError(relay.send("POST", "/v1/auth/refresh", null,
        new JsonObject().put("refreshToken", p.refreshToken).encode()), 401, "token_revoked");
    // reuse of a rotated refresh token ends the session
    assertError(relay.send("GET", "/v1/jobs", access2, null), 401, "token_revoked");
    p.login();
    assertEquals(200, p.send("GET", "/v1/jobs", null).statusCode());
    assertEquals(204, p.send("POST", "/v1/auth/logout", null).statusCode());
    assertError(p.send("GET", "/v1/jobs", null), 401, "token_revoked");
  }

  @Test
  void pushTokensRegisterAndUnregister() throws Exception {
    String fcm = "dGVzdC10b2tlbi0x:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx";
    HttpResponse<String> r = alice.send("PUT", "/v1/push-tokens/" + fcm, "{\"platform\":\"android\"}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1, relay.api.pushTokens().of(alice.keyId).size());
    assertError(bob.send("DELETE", "/v1/push-tokens/" + fcm, null), 404, "not_found");
    assertEquals(204, alice.send("DELETE", "/v1/push-tokens/" + fcm, null).statusCode());
    assertError(alice.send("PUT", "/v1/push-tokens/short", "{\"platform\":\"android\"}"), 400, "invalid_field");
    assertError(alice.send("PUT", "/v1/push-tokens/" + fcm, "{\"platform\":\"symbian\"}"), 400, "invalid_field");
  }

  @Test
  void jobsAndEventsWithSseReplay() throws Exception {
    byte[] sealed = EnvelopeCodec.toBinary(new Sealer(agent).seal(alice.key.publicKey(), MessageType.JOB_EVENT,
        "{\"kind\":\"state\"}".getBytes(StandardCharsets.UTF_8)));
    long e1 = relay.api.ingest(alice.keyId, "job-sse", "queued", sealed).join().eventId();
    long e2 = relay.api.ingest(alice.keyId, "job-sse", "running", sealed).join().eventId();
    relay.api.ingest(bob.keyId, "job-bob", "running", sealed).join();

    JsonObject job = new JsonObject(alice.send("GET", "/v1/jobs/job-sse", null).body());
    assertEquals("running", job.getString("status"));
    assertEquals(e2, job.getLong("lastEventId"));
    assertError(alice.send("GET", "/v1/jobs/job-bob", null), 404, "not_found");
    JsonArray jobs = new JsonObject(alice.send("GET", "/v1/jobs?limit=10", null).body()).getJsonArray("jobs");
    assertTrue(jobs.stream().map(o -> ((JsonObject) o).getString("jobId")).toList().contains("job-sse"));
    assertFalse(jobs.encode().contains("job-bob"));

    // Replay after e1 (Last-Event-ID), then a live event.
    BlockingQueue<String> lines = sse("/v1/jobs/job-sse/events", alice.accessToken, "Last-Event-ID", Long.toString(e1));
    assertEquals("id: " + e2, nextId(lines));
    long e3 = relay.api.ingest(alice.keyId, "job-sse", "succeeded", sealed).join().eventId();
    assertEquals("id: " + e3, nextId(lines));
    // ?since= works the same, and the all-jobs stream carries only the caller's events
    BlockingQueue<String> all = sse("/v1/events?since=" + e1, alice.accessToken, null, null);
    assertEquals("id: " + e2, nextId(all));
    assertEquals("id: " + e3, nextId(all));
    String data = all.poll(5, TimeUnit.SECONDS);
    while (data != null && !data.startsWith("data: ")) {
      data = all.poll(5, TimeUnit.SECONDS);
    }
    assertNotNull(data);
    JsonObject ev = new JsonObject(data.substring(6));
    assertEquals("succeeded", ev.getString("status"));
    assertEquals(204, alice.send("POST", "/v1/acks", "{\"eventId\":" + e3 + "}").statusCode());
  }

  static String nextId(BlockingQueue<String> lines) throws InterruptedException {
    while (true) {
      String l = lines.poll(10, TimeUnit.SECONDS);
      if (l == null) {
        return null;
      }
      if (l.startsWith("id: ")) {
        return l;
      }
    }
  }

  /** Opens an SSE stream on a plain socket; lines arrive in the queue. */
  static BlockingQueue<String> sse(String path, String token, String header, String value) throws Exception {
    Socket s = new Socket("127.0.0.1", relay.api.httpPort());
    String req = "GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + token
        + "\r\n" + (header == null ? "" : header + ": " + value + "\r\n") + "\r\n";
    s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) {
          q.add(l);
        }
      } catch (Exception ignored) {
        // closed
      }
    });
    t.setDaemon(true);
    t.start();
    return q;
  }

  @Test
  void submitAndCancelForwardSealedEnvelopes() throws Exception {
    String env = envelope(alice.key, MessageType.JOB_SUBMIT);
    assertError(alice.send("POST", "/v1/jobs", env), 409, "agent_not_linked");
    link(alice, agent);
    env = envelope(alice.key, MessageType.JOB_SUBMIT);
    int before = relay.forwarder.received.size();
    HttpResponse<String> r = alice.send("POST", "/v1/jobs", env);
    assertEquals(202, r.statusCode(), r.body());
    assertEquals(before + 1, relay.forwarder.received.size());
    Envelope got = relay.forwarder.received.get(before).envelope();
    assertEquals(env, EnvelopeCodec.toJson(got), "forwarded byte for byte");
    assertEquals(address(agent), relay.forwarder.received.get(before).address(), "to the linked address");
    assertError(alice.send("POST", "/v1/jobs", env), 409, "replayed");
    assertError(bob.send("POST", "/v1/jobs", envelope(alice.key, MessageType.JOB_SUBMIT)), 403, "sender_mismatch");
    assertError(alice.send("POST", "/v1/jobs", envelope(alice.key, MessageType.JOB_CANCEL)), 422, "wrong_message_type");
    JsonObject tampered = new JsonObject(envelope(alice.key, MessageType.JOB_SUBMIT));
    String ct = tampered.getString("ct");
    tampered.put("ct", (ct.charAt(0) == 'A' ? "B" : "A") + ct.substring(1));
    assertError(alice.send("POST", "/v1/jobs", tampered.encode()), 400, "bad_signature");
    Envelope old = Envelope.seal(alice.key, agent.publicKey(), MessageType.JOB_SUBMIT,
        System.currentTimeMillis() - 3_600_000, new byte[24], new byte[] {1});
    assertError(alice.send("POST", "/v1/jobs", EnvelopeCodec.toJson(old)), 400, "clock_skew");
    HttpResponse<String> bad = alice.send("POST", "/v1/jobs", "{\"v\":1}");
    assertError(bad, 400, "invalid_envelope");
    assertEquals("malformed", error(bad).getString("detail"));

    assertError(alice.send("POST", "/v1/jobs/nope/cancel", envelope(alice.key, MessageType.JOB_CANCEL)), 404, "not_found");
    relay.api.ingest(alice.keyId, "job-c", "running", new byte[] {1}).join();
    assertEquals(202, alice.send("POST", "/v1/jobs/job-c/cancel", envelope(alice.key, MessageType.JOB_CANCEL)).statusCode());

    relay.forwarder.failWith = new EnvelopeForwarder.ForwardException("agent offline", true);
    HttpResponse<String> down = alice.send("POST", "/v1/jobs", envelope(alice.key, MessageType.JOB_SUBMIT));
    assertError(down, 503, "unavailable");
    assertEquals("5", down.headers().firstValue("retry-after").orElse(null));
    relay.forwarder.failWith = null;
    relay.forwarder.hang = true;
    assertError(alice.send("POST", "/v1/jobs", envelope(alice.key, MessageType.JOB_SUBMIT)), 504, "forward_timeout");
    relay.forwarder.hang = false;
  }

  @Test
  void agentsAreLinkedListedUnlinkedAndRequestsGoOnlyToLinkedOnesWithTheAgentsSealedReply() throws Exception {
    TestRelay.Phone carol = relay.phone();
    KeyPair other = KeyPair.generate(new java.security.SecureRandom());
    String agentId = KeyIds.of(agent.publicKey());
    String path = "/v1/agents/" + agentId;
    assertError(carol.send("POST", path + "/requests", envelope(carol.key, MessageType.PAIR_REQUEST)), 409,
        "agent_not_linked");
    assertError(carol.send("PUT", path, "{\"address\":\"" + address(other) + "\"}"), 400, "invalid_field");
    assertError(carol.send("PUT", path, "{\"address\":\"agent." + "AB".repeat(32) + "\"}"), 400, "invalid_field");
    assertError(carol.send("PUT", path, "{\"address\":\"" + address(agent) + "\",\"x\":1}"), 400, "invalid_field");
    assertError(carol.send("PUT", "/v1/agents/notakey", "{\"address\":\"" + address(agent) + "\"}"), 400,
        "invalid_field");
    link(carol, agent);
    JsonArray agents = new JsonObject(carol.send("GET", "/v1/agents", null).body()).getJsonArray("agents");
    assertEquals(1, agents.size());
    assertEquals(agentId, agents.getJsonObject(0).getString("agentKeyId"));
    assertEquals(address(agent), agents.getJsonObject(0).getString("address"));
    assertEquals(false, agents.getJsonObject(0).getBoolean("online"), "never seen yet");
    relay.api.agentLinks().seen(agentId, true).join();
    agents = new JsonObject(carol.send("GET", "/v1/agents", null).body()).getJsonArray("agents");
    assertEquals(true, agents.getJsonObject(0).getBoolean("online"));
    assertEquals(0, new JsonObject(relay.phone().send("GET", "/v1/agents", null).body()).getJsonArray("agents").size(),
        "links are per phone");

    Envelope answer = Envelope.seal(agent, carol.key.publicKey(), MessageType.PAIR_RESULT, System.currentTimeMillis(),
        new byte[24], new byte[] {7});
    relay.forwarder.reply = EnvelopeCodec.toBinary(answer);
    try {
      HttpResponse<String> r = carol.send("POST", path + "/requests", envelope(carol.key, MessageType.PAIR_REQUEST));
      assertEquals(202, r.statusCode(), r.body());
      assertEquals(EnvelopeCodec.toJson(answer), new JsonObject(r.body()).getJsonObject("reply").encode());
    } finally {
      relay.forwarder.reply = null;
    }
    assertError(carol.send("POST", "/v1/agents/" + KeyIds.of(other.publicKey()) + "/requests",
        envelope(carol.key, MessageType.JOB_GET)), 400, "invalid_envelope");
    assertError(carol.send("POST", path + "/requests", envelope(carol.key, MessageType.EVENT_ACK)), 422,
        "wrong_message_type");
    assertEquals(204, carol.send("DELETE", path, null).statusCode());
    assertError(carol.send("DELETE", path, null), 404, "not_found");
    assertError(carol.send("POST", path + "/requests", envelope(carol.key, MessageType.JOB_GET)), 409,
        "agent_not_linked");
  }

  private static String address(KeyPair k) {
    return "agent." + java.util.HexFormat.of().formatHex(k.publicKey());
  }

  private void link(TestRelay.Phone p, KeyPair agentKey) throws Exception {
    HttpResponse<String> r = p.send("PUT", "/v1/agents/" + KeyIds.of(agentKey.publicKey()),
        "{\"address\":\"" + address(agentKey) + "\"}");
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void badInputOnEveryFaceGetsStableCodesAndNo5xx() throws Exception {
    String a = alice.accessToken;
    // Tokens: forged (other secret), expired (right secret, past clock), damaged, wrong scheme.
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
    String expired;
    byte[] other = new byte[32];
    other[5] = 9;
    String forged;
    try (Database db = Database.open(dir.resolve("scratch.db"))) {
      expired = new TokenService(relay.secret, past, Duration.ofMinutes(15), Duration.ofDays(1),
          Revocations.open(db, past)).issue(alice.key.publicKey()).accessToken();
      forged = new TokenService(other, Clock.systemUTC(), Duration.ofMinutes(15), Duration.ofDays(1),
          Revocations.open(db, Clock.systemUTC())).issue(alice.key.publicKey()).accessToken();
    }
    assertError(relay.send("GET", "/v1/jobs", expired, null), 401, "token_expired");
    assertError(relay.send("GET", "/v1/jobs", forged, null), 401, "invalid_token");
    assertError(relay.send("GET", "/v1/jobs", a.substring(0, a.length() - 2), null), 401, "invalid_token");
    assertError(relay.send("GET", "/v1/jobs", alice.refreshToken, null), 401, "wrong_token_kind");
    assertError(relay.send("GET", "/v1/jobs", null, null), 401, "missing_token");
    HttpResponse<String> basic = relay.http.send(HttpRequest.newBuilder(URI.create(relay.base() + "/v1/jobs"))
        .header("Authorization", "Basic dXNlcjpwYXNz").build(), HttpResponse.BodyHandlers.ofString());
    assertError(basic, 401, "missing_token");

    // Bodies.
    assertError(relay.send("POST", "/v1/auth/login", null, "{not json"), 400, "malformed_json");
    assertError(relay.send("POST", "/v1/auth/login", null, "[1,2]"), 400, "malformed_json");
    assertError(relay.send("POST", "/v1/auth/login", null, "{\"keyId\":5}"), 400, "invalid_field");
    assertError(relay.send("POST", "/v1/auth/login", null,
        "{\"keyId\":\"x\",\"challenge\":\"y\",\"signature\":\"z\"}"), 401, "invalid_challenge");
    assertError(relay.send("POST", "/v1/auth/refresh", null, "{\"refreshToken\":\"ie1.x.y\"}"), 401, "invalid_token");
    assertError(alice.send("POST", "/v1/acks", "{\"eventId\":-3}"), 400, "invalid_field");
    assertError(alice.send("POST", "/v1/acks", "{\"eventId\":1.5}"), 400, "invalid_field");
    assertError(alice.send("POST", "/v1/jobs", "x".repeat(400_000)), 413, "body_too_large");
    assertError(relay.send("POST", "/v1/auth/login", null, "{\"k\":\"" + "x".repeat(20_000) + "\"}"), 413,
        "body_too_large");
    // Queries, headers, paths, methods.
    assertError(alice.send("GET", "/v1/jobs?limit=abc", null), 400, "invalid_query");
    assertError(alice.send("GET", "/v1/jobs?limit=0", null), 400, "invalid_query");
    assertError(alice.send("GET", "/v1/jobs?before=99999999999999999999", null), 400, "invalid_query");
    assertError(alice.send("GET", "/v1/events?since=-1", null), 400, "invalid_query");
    HttpResponse<String> lastId = relay.http.send(HttpRequest.newBuilder(URI.create(relay.base() + "/v1/events"))
        .header("Authorization", "Bearer " + a).header("Last-Event-ID", "abc").build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(lastId, 400, "invalid_header");
    assertError(alice.send("GET", "/v1/jobs/bad%20id", null), 400, "invalid_field");
    assertError(alice.send("GET", "/v1/jobs/" + "j".repeat(65), null), 400, "invalid_field");
    assertError(alice.send("GET", "/v1/nothing", null), 404, "not_found");
    HttpResponse<String> wrongMethod = alice.send("DELETE", "/v1/jobs", null);
    assertError(wrongMethod, 405, "method_not_allowed");
    assertEquals("GET, POST", wrongMethod.headers().firstValue("allow").orElse(null));
    assertEquals("POST", alice.send("GET", "/v1/jobs/j1/cancel", null).headers().firstValue("allow").orElse(null));

    // Raw HTTP abuse: huge header, garbage request line. The server answers 4xx or closes; never 5xx.
    assertTrue(rawStatus("GET /v1/jobs HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n") / 100 == 4);
    int garbage = rawStatus("\u0001\u0002 garbage \r\n\r\n");
    assertTrue(garbage == -1 || garbage / 100 == 4, "garbage got " + garbage);

    // Random bodies on every POST/PUT endpoint: never a 5xx.
    Random rnd = new Random(42);
    List<String> paths = List.of("/v1/auth/login", "/v1/auth/refresh", "/v1/jobs", "/v1/jobs/job-c/cancel",
        "/v1/acks", "/v1/push-tokens/abcdefghijklmnopqrstu");
    List<String> seeds = List.of("{}", "{\"v\":1,\"type\":\"job.submit\"}", envelope(alice.key, MessageType.JOB_SUBMIT),
        "{\"keyId\":null}", "{\"eventId\":\"1\"}", "{\"platform\":[]}", "null", "\"str\"", "1e999", "{\"a\":{\"b\":{}}}");
    for (int i = 0; i < 150; i++) {
      String path = paths.get(rnd.nextInt(paths.size()));
      String body = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
      String method = path.startsWith("/v1/push-tokens") ? "PUT" : "POST";
      HttpResponse<String> r = alice.send(method, path, body);
      assertTrue(r.statusCode() < 500 || r.statusCode() == 503 && error(r).getString("code").equals("unavailable"),
          method + " " + path + " " + body + " -> " + r.statusCode() + " " + r.body());
      assertNotNull(error(r) == null && r.statusCode() < 300 ? "ok" : error(r).getString("code"));
    }
  }

  static String mutate(String s, Random rnd) {
    StringBuilder b = new StringBuilder(s);
    int n = rnd.nextInt(4);
    for (int i = 0; i < n && b.length() > 0; i++) {
      int p = rnd.nextInt(b.length());
      switch (rnd.nextInt(3)) {
        case 0 -> b.deleteCharAt(p);
        case 1 -> b.insert(p, (char) (rnd.nextInt(95) + 32));
        default -> b.setCharAt(p, "{}[]\",:0\\".charAt(rnd.nextInt(9)));
      }
    }
    return b.toString();
  }

  static int rawStatus(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", relay.api.httpPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
      return line == null ? -1 : Integer.parseInt(line.split(" ")[1]);
    } catch (java.net.SocketException e) {
      return -1;
    }
  }

  @Test
  void rateLimitsPerIpAndPerKey() throws Exception {
    RestApi.Options d = RestApi.Options.defaults();
    RestApi.Options tight = new RestApi.Options(d.maxJsonBody(), d.maxEnvelopeBytes(), new RateLimiter.Rate(1, 30),
        new RateLimiter.Rate(0.5, 3), new RateLimiter.Rate(1, 6), d.envelopeSkew(), d.forwardTimeout(), d.sseHeartbeat());
    try (TestRelay r = new TestRelay(dir.resolve("rl"), null, tight, MqttOptions.defaults().withPorts("127.0.0.1", 0, -1))) {
      TestRelay.Phone p = r.phone();
      List<Integer> codes = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        codes.add(p.send("GET", "/v1/jobs", null).statusCode());
      }
      assertEquals(List.of(200, 200, 200, 429, 429), codes, "per-key bucket of 3");
      HttpResponse<String> limited = p.send("GET", "/v1/jobs", null);
      assertError(limited, 429, "rate_limited");
      assertTrue(limited.headers().firstValue("retry-after").isPresent());
      int seen429 = 0;
      for (int i = 0; i < 40; i++) {
        if (r.send("GET", "/health", null, null).statusCode() == 429) {
          seen429++;
        }
      }
      assertTrue(seen429 > 0, "per-IP bucket");
    }
  }
}
