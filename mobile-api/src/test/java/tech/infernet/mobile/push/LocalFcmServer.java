package tech.infernet.mobile.push;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server that answers like FCM's v1 API, for firebase-admin's own transport pointed
 * at it. It checks each request as FCM would (path, bearer token, JSON shape: data-only, only
 * jobId/status/eventId) and records violations; answers are scripted per token with real FCM
 * error bodies, and default to success.
 */
public final class LocalFcmServer implements AutoCloseable {
  static final String PROJECT = "infernet-test";
  static final String ACCESS_TOKEN = "ya29.local-test-token";

  record Answer(int status, String fcmError, String retryAfter) {}

  public final List<JsonObject> accepted = Collections.synchronizedList(new ArrayList<>());
  public final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final Map<String, Queue<Answer>> script = new ConcurrentHashMap<>();
  private final HttpServer server;
  final int port;
  private final boolean check;
  private final io.vertx.core.net.SelfSignedCertificate tls;

  public LocalFcmServer(Vertx vertx, boolean check) {
    this(vertx, check, null);
  }

  /**
   * With {@code tls}, the server speaks HTTPS with HTTP/2 (ALPN) under a self-signed certificate
   * for fcm.googleapis.com, as FCM does: for firebase-admin's default HTTP/2 transport
   * ({@link #appHttp2}).
   */
  public LocalFcmServer(Vertx vertx, boolean check, io.vertx.core.net.SelfSignedCertificate tls) {
    this.check = check;
    this.tls = tls;
    io.vertx.core.http.HttpServerOptions options = new io.vertx.core.http.HttpServerOptions();
    if (tls != null) {
      options.setSsl(true).setUseAlpn(true).setKeyCertOptions(tls.keyCertOptions());
    }
    this.server = vertx.createHttpServer(options).requestHandler(req -> req.body().onSuccess(body -> {
      if (req.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
        http2Requests.incrementAndGet();
      }
      String expectPath = "/v1/projects/" + PROJECT + "/messages:send";
      if (!req.method().name().equals("POST") || !expectPath.equals(req.path())) {
        violations.add("request to " + req.method() + " " + req.path());
        req.response().setStatusCode(404).end();
        return;
      }
      if (!("Bearer " + ACCESS_TOKEN).equals(req.getHeader("Authorization"))) {
        violations.add("Authorization: " + req.getHeader("Authorization"));
        answer(req.response(), new Answer(401, null, null));
        return;
      }
      JsonObject msg;
      try {
        msg = body.toJsonObject().getJsonObject("message");
      } catch (RuntimeException e) {
        violations.add("body is not JSON");
        answer(req.response(), new Answer(400, "INVALID_ARGUMENT", null));
        return;
      }
      String token = msg.getString("token");
      if (this.check) {
        checkShape(msg);
      }
      hits.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
      Queue<Answer> q = script.get(token);
      Answer a = null;
      if (q != null) {
        synchronized (q) {
          a = q.poll();
        }
      }
      if (a == null || a.status == 200) {
        accepted.add(msg);
        req.response().putHeader("content-type", "application/json; charset=UTF-8")
            .end(new JsonObject().put("name", "projects/" + PROJECT + "/messages/0:" + System.nanoTime()).encode());
      } else {
        answer(req.response(), a);
      }
    }));
    this.port = server.listen(0, "127.0.0.1").await().actualPort();
  }

  private void checkShape(JsonObject msg) {
    if (!Set.of("token", "data", "android", "apns").equals(msg.fieldNames())) {
      violations.add("message fields " + msg.fieldNames());
    }
    JsonObject data = msg.getJsonObject("data");
    if (data == null || !Set.of("jobId", "status", "eventId").equals(data.fieldNames())) {
      violations.add("data fields " + (data == null ? null : data.fieldNames()));
    }
    JsonObject android = msg.getJsonObject("android");
    if (android == null || !android.getString("ttl", "").matches("\\d+s")
        || !data.getString("jobId").equals(android.getString("collapse_key"))
        || !Set.of("high", "normal").contains(android.getString("priority"))) {
      violations.add("android " + android);
    }
    JsonObject apns = msg.getJsonObject("apns");
    if (apns == null || !data.getString("jobId").equals(apns.getJsonObject("headers").getString("apns-collapse-id"))
        || apns.getJsonObject("payload").getJsonObject("aps").getInteger("content-available") != 1) {
      violations.add("apns " + apns);
    }
  }

  /** Answers {@code token}'s next requests with these, then success. */
  void script(String token, Answer... answers) {
    script.put(token, new ArrayDeque<>(List.of(answers)));
  }

  int hits(String token) {
    AtomicInteger n = hits.get(token);
    return n == null ? 0 : n.get();
  }

  private static void answer(io.vertx.core.http.HttpServerResponse r, Answer a) {
    String status = switch (a.status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      default -> "INTERNAL";
    };
    JsonObject err = new JsonObject().put("code", a.status).put("message", "scripted " + a.fcmError)
        .put("status", status);
    if (a.fcmError != null) {
      err.put("details", new io.vertx.core.json.JsonArray().add(new JsonObject()
          .put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError").put("errorCode", a.fcmError)));
    }
    r.setStatusCode(a.status).putHeader("content-type", "application/json; charset=UTF-8");
    if (a.retryAfter != null) {
      r.putHeader("Retry-After", a.retryAfter);
    }
    r.end(new JsonObject().put("error", err).encode());
  }

  /** A FirebaseApp whose HTTP transport sends FCM's requests here instead of to Google. */
  public FirebaseApp app(String name) {
    String base = "http://127.0.0.1:" + port;
    NetHttpTransport transport = new NetHttpTransport.Builder().setConnectionFactory(url -> {
      String u = url.toString().replace("https://fcm.googleapis.com", base);
      return (HttpURLConnection) URI.create(u).toURL().openConnection();
    }).build();
    FirebaseOptions options = FirebaseOptions.builder()
        .setProjectId(PROJECT)
        .setCredentials(new RefreshingCredentials())
        .setHttpTransport(transport)
        .build();
    return FirebaseApp.initializeApp(options, name);
  }

  /**
   * A FirebaseApp on firebase-admin's own HTTP/2 transport ({@code ApacheHttp2Transport}, what the
   * SDK uses against Google), whose client resolves fcm.googleapis.com to this server and trusts
   * its self-signed certificate. Needs the {@code tls} constructor.
   */
  public FirebaseApp appHttp2(String name) throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
    trust.load(null, null);
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(tls.certificatePath()))) {
      trust.setCertificateEntry("local-fcm", java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    javax.net.ssl.SSLContext ssl = org.apache.hc.core5.ssl.SSLContexts.custom().loadTrustMaterial(trust, null).build();
    org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager connections =
        org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder.create()
            .setMaxConnTotal(100).setMaxConnPerRoute(100)
            .setDefaultTlsConfig(org.apache.hc.client5.http.config.TlsConfig.custom()
                .setVersionPolicy(org.apache.hc.core5.http2.HttpVersionPolicy.FORCE_HTTP_2).build())
            .setTlsStrategy(org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder.create().setSslContext(ssl).build())
            .setDnsResolver(new org.apache.hc.client5.http.SystemDefaultDnsResolver() {
              @Override
              public java.net.InetAddress[] resolve(String host) {
                return new java.net.InetAddress[] {java.net.InetAddress.getLoopbackAddress()};
              }

              @Override
              public java.util.List<java.net.InetSocketAddress> resolve(String host, int ignoredPort) {
                return List.of(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
              }
            })
            .build();
    org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client =
        com.google.firebase.internal.ApacheHttp2Transport.defaultHttpAsyncClientBuilder()
            .setConnectionManager(connections).build();
    client.start();
    FirebaseOptions options = FirebaseOptions.builder()
        .setProjectId(PROJECT)
        .setCredentials(new RefreshingCredentials())
        .setHttpTransport(new com.google.firebase.internal.ApacheHttp2Transport(client))
        .build();
    return FirebaseApp.initializeApp(options, name);
  }

  /** Requests that came over HTTP/2 (the rest came over HTTP/1.1). */
  public final java.util.concurrent.atomic.AtomicLong http2Requests = new java.util.concurrent.atomic.AtomicLong();

  /** Credentials that "refresh" to the same test token, as service-account credentials refresh. */
  static final class RefreshingCredentials extends GoogleCredentials {
    private static final long serialVersionUID = 1L;

    RefreshingCredentials() {
      super(token());
    }

    private static AccessToken token() {
      return new AccessToken(ACCESS_TOKEN, new Date(System.currentTimeMillis() + 3_600_000));
    }

    @Override
    public AccessToken refreshAccessToken() {
      return token();
    }
  }

  @Override
  public void close() {
    server.close().await();
  }
}
