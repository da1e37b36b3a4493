package tech.infernet.e2e;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import tech.infernet.client.SecureChannel;
import tech.infernet.mobile.auth.Challenges;
import tech.infernet.mobile.auth.KeyIds;
import tech.infernet.protocol.EnvelopeCodec;
import tech.infernet.protocol.InMemoryReplayCache;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.internal.Base64Url;
import tech.infernet.protocol.message.Payload;

/**
 * A simulated phone: its own Ed25519 key, speaking only HTTPS-style REST and SSE to the relay
 * (no NKN). It seals its requests to the agent and opens the agent's answers and events itself.
 */
final class Phone {
  final KeyPair key;
  final String keyId;
  final SecureChannel channel;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  String accessToken;

  Phone(String base) {
    this(base, KeyPair.generate(new SecureRandom()));
  }

  private Phone(String base, KeyPair key) {
    this.base = base;
    this.key = key;
    this.keyId = KeyIds.of(key.publicKey());
    this.channel = new SecureChannel(key, new InMemoryReplayCache());
  }

  /** The same phone (key, login) talking to the relay at another address. */
  Phone at(String otherBase) {
    Phone p = new Phone(otherBase, key);
    p.accessToken = accessToken;
    return p;
  }

  void login() throws Exception {
    JsonObject c = new JsonObject(send("POST", "/v1/auth/challenge", null).body());
    String sig = Challenges.sign(key, c.getString("relayId"), c.getString("challenge"));
    HttpResponse<String> r = send("POST", "/v1/auth/login", new JsonObject().put("keyId", keyId)
        .put("challenge", c.getString("challenge")).put("signature", sig).encode());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("login: " + r.statusCode() + " " + r.body());
    }
    accessToken = new JsonObject(r.body()).getString("accessToken");
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (accessToken != null) {
      b.header("Authorization", "Bearer " + accessToken);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The request sealed to the agent, in the JSON envelope form the relay takes. */
  String sealed(byte[] agentPublicKey, Payload request) throws Exception {
    return EnvelopeCodec.toJson(EnvelopeCodec.fromBinary(channel.seal(agentPublicKey, request)));
  }

  /** Posts a sealed request and opens the agent's sealed reply that the relay hands back. */
  Payload request(String path, byte[] agentPublicKey, Payload request) throws Exception {
    HttpResponse<String> r = send("POST", path, sealed(agentPublicKey, request));
    if (r.statusCode() != 202) {
      throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
    }
    JsonObject reply = new JsonObject(r.body()).getJsonObject("reply");
    byte[] binary = EnvelopeCodec.toBinary(EnvelopeCodec.fromJson(reply.encode()));
    return channel.open(HexFormat.of().formatHex(agentPublicKey), binary).payload();
  }

  /** Opens an event's envelope (base64url of the binary form), as only the phone can. */
  Payload open(String envelope, byte[] agentPublicKey) throws Exception {
    return channel.open(HexFormat.of().formatHex(agentPublicKey), Base64Url.decode(envelope)).payload();
  }

  /** A Server-Sent Events stream: each event's JSON data on the queue, in order. */
  SseStream sse(String path, String lastEventId) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + accessToken)
        .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    CompletableFuture<HttpResponse<Stream<String>>> f = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines());
    Thread reader = new Thread(() -> {
      try (Stream<String> lines = f.join().body()) {
        lines.filter(l -> l.startsWith("data:")).forEach(l -> events.add(new JsonObject(l.substring(5).strip())));
      } catch (RuntimeException closed) {
        // the stream ended or was cancelled
      }
    }, "phone-sse");
    reader.setDaemon(true);
    reader.start();
    return new SseStream(events, f);
  }

  record SseStream(BlockingQueue<JsonObject> events, CompletableFuture<HttpResponse<Stream<String>>> response)
      implements AutoCloseable {
    @Override
    public void close() {
      response.thenAccept(r -> r.body().close());
      response.cancel(true);
    }
  }
}
