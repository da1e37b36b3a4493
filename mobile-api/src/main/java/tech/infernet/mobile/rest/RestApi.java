package tech.infernet.mobile.rest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import tech.infernet.mobile.agents.AgentLinks;
import tech.infernet.mobile.auth.AuthError;
import tech.infernet.mobile.auth.AuthException;
import tech.infernet.mobile.auth.Challenge;
import tech.infernet.mobile.auth.Challenges;
import tech.infernet.mobile.auth.KeyIds;
import tech.infernet.mobile.auth.Token;
import tech.infernet.mobile.auth.TokenPair;
import tech.infernet.mobile.auth.TokenService;
import tech.infernet.mobile.events.EventFanout;
import tech.infernet.mobile.events.EventLog;
import tech.infernet.mobile.events.JobSummary;
import tech.infernet.mobile.push.LiveChannels;
import tech.infernet.mobile.push.PushDispatcher;
import tech.infernet.mobile.push.PushTokens;
import tech.infernet.protocol.Envelope;
import tech.infernet.protocol.EnvelopeCodec;
import tech.infernet.protocol.InMemoryReplayCache;
import tech.infernet.protocol.MessageType;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.ReplayCache;
import tech.infernet.protocol.internal.Base64Url;

/**
 * The phone-facing REST API (described by {@code /openapi.json}): login, tokens, push
 * registration, jobs, job events as SSE, live acknowledgements, and envelope submission. Every
 * refusal has a stable code; client input never produces a 5xx. Blocking work (SQLite reads) runs
 * on worker threads.
 */
public final class RestApi {
  private static final Logger LOG = Logger.getLogger(RestApi.class.getName());
  private static final String TOKEN_KEY = "infernet.token";

  /** Limits and timings. */
  public record Options(int maxJsonBody, int maxEnvelopeBytes, RateLimiter.Rate perIp,
      RateLimiter.Rate perKey, RateLimiter.Rate loginPerIp, Duration envelopeSkew, Duration forwardTimeout,
      Duration sseHeartbeat) {
    public static Options defaults() {
      return new Options(16 * 1024, 256 * 1024, new RateLimiter.Rate(20, 60), new RateLimiter.Rate(10, 40),
          new RateLimiter.Rate(1, 10), Duration.ofMinutes(5), Duration.ofSeconds(15), Duration.ofSeconds(25));
    }
  }

  private final Vertx vertx;
  private final Options options;
  private final Challenges challenges;
  private final TokenService tokens;
  private final EventLog events;
  private final EventFanout fanout;
  private final PushTokens pushTokens;
  private final PushDispatcher push;
  private final LiveChannels live;
  private final CarryRoutes carry;
  private final Clock clock;
  private final RateLimiter ipLimiter;
  private final RateLimiter keyLimiter;
  private final RateLimiter loginLimiter;
  private final byte[] openApi;

  public RestApi(Vertx vertx, Options options, Clock clock, Challenges challenges, TokenService tokens,
      EventLog events, EventFanout fanout, PushTokens pushTokens, PushDispatcher push, LiveChannels live,
      AgentLinks links, EnvelopeForwarder forwarder) {
    this.vertx = vertx;
    this.options = options;
    this.clock = clock;
    this.challenges = challenges;
    this.tokens = tokens;
    this.events = events;
    this.fanout = fanout;
    this.pushTokens = pushTokens;
    this.push = push;
    this.live = live;
    this.carry = new CarryRoutes(vertx, options, clock, events, links, forwarder);
    this.ipLimiter = new RateLimiter(options.perIp(), 100_000);
    this.keyLimiter = new RateLimiter(options.perKey(), 100_000);
    this.loginLimiter = new RateLimiter(options.loginPerIp(), 100_000);
    this.openApi = loadOpenApi();
  }

  /** The OpenAPI 3.1 document served at {@code /openapi.json}. */
  public static byte[] loadOpenApi() {
    try (InputStream in = RestApi.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.route().handler(this::limitIp);
    r.get("/openapi.json").handler(rc -> rc.response().putHeader("content-type", "application/json")
        .end(io.vertx.core.buffer.Buffer.buffer(openApi)));
    r.get("/health").handler(rc -> json(rc, 200, new JsonObject().put("status", "ok")));

    // Vert.x Web runs body handlers before user handlers on a route; the per-IP limit above still
    // comes first, and the body limits are small.
    BodyHandler small = BodyHandler.create(false).setBodyLimit(options.maxJsonBody());
    BodyHandler envelope = BodyHandler.create(false)
        .setBodyLimit(EnvelopeCodec.maxJsonChars(options.maxEnvelopeBytes()));
    r.post("/v1/auth/challenge").handler(this::limitLogin).handler(this::challenge);
    r.post("/v1/auth/login").handler(small).handler(this::limitLogin).handler(this::login);
    r.post("/v1/auth/refresh").handler(small).handler(this::limitLogin).handler(this::refresh);
    r.post("/v1/auth/logout").handler(this::authenticate).handler(this::logout);
    r.put("/v1/push-tokens/:token").handler(small).handler(this::authenticate).handler(this::registerToken);
    r.delete("/v1/push-tokens/:token").handler(this::authenticate).handler(this::unregisterToken);
    r.get("/v1/jobs").handler(this::authenticate).handler(this::listJobs);
    r.get("/v1/jobs/:jobId").handler(this::authenticate).handler(this::getJob);
    carry.register(r, this::authenticate, small, envelope);
    r.get("/v1/jobs/:jobId/events").handler(this::authenticate).handler(rc -> events(rc, rc.pathParam("jobId")));
    r.get("/v1/events").handler(this::authenticate).handler(rc -> events(rc, null));
    r.post("/v1/acks").handler(small).handler(this::authenticate).handler(this::ack);

    r.errorHandler(404, rc -> error(rc, ApiError.NOT_FOUND, "no such endpoint"));
    List<java.util.Map.Entry<java.util.regex.Pattern, String>> allow = allowed(r);
    r.errorHandler(405, rc -> {
      String path = rc.request().path();
      allow.stream().filter(e -> e.getKey().matcher(path == null ? "" : path).matches()).findFirst()
          .ifPresent(e -> rc.response().putHeader("allow", e.getValue()));
      error(rc, ApiError.METHOD_NOT_ALLOWED, "method not allowed here");
    });
    r.errorHandler(413, rc -> error(rc, ApiError.BODY_TOO_LARGE, "body too large"));
    r.errorHandler(415, rc -> error(rc, ApiError.UNSUPPORTED_MEDIA_TYPE, "unsupported media type"));
    r.errorHandler(400, rc -> error(rc, ApiError.MALFORMED_JSON, "bad request"));
    r.errorHandler(500, rc -> {
      LOG.log(Level.WARNING, "internal error on " + rc.request().path(), rc.failure());
      error(rc, ApiError.INTERNAL, "internal error");
    });
    return r;
  }

  // ---- limits and auth

  private void limitIp(RoutingContext rc) {
    if (rateLimited(rc, ipLimiter, clientIp(rc))) {
      return;
    }
    rc.next();
  }

  private void limitLogin(RoutingContext rc) {
    if (rateLimited(rc, loginLimiter, clientIp(rc))) {
      return;
    }
    rc.next();
  }

  private static String clientIp(RoutingContext rc) {
    return rc.request().remoteAddress() == null ? "?" : rc.request().remoteAddress().hostAddress();
  }

  private boolean rateLimited(RoutingContext rc, RateLimiter l, String key) {
    long waitMs = l.acquire(key);
    if (waitMs == 0) {
      return false;
    }
    rc.response().putHeader("retry-after", Long.toString(Math.max(1, (waitMs + 999) / 1000)));
    error(rc, ApiError.RATE_LIMITED, "too many requests; retry later");
    return true;
  }

  private void authenticate(RoutingContext rc) {
    String h = rc.request().getHeader("authorization");
    Token t;
    try {
      if (h == null) {
        throw new AuthException(AuthError.MISSING_TOKEN, "Authorization: Bearer <token> required");
      }
      if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw new AuthException(AuthError.MISSING_TOKEN, "Authorization must use the Bearer scheme");
      }
      t = tokens.verifyAccess(h.substring(7).strip());
    } catch (AuthException e) {
      authError(rc, e);
      return;
    }
    if (rateLimited(rc, keyLimiter, t.keyId())) {
      return;
    }
    rc.put(TOKEN_KEY, t);
    rc.next();
  }

  static Token token(RoutingContext rc) {
    return rc.get(TOKEN_KEY);
  }

  // ---- auth endpoints

  private void challenge(RoutingContext rc) {
    Challenge c = challenges.issue();
    json(rc, 200, new JsonObject().put("challenge", c.value()).put("relayId", c.relayId())
        .put("expiresAt", c.expiresAtMs()));
  }

  private void login(RoutingContext rc) {
    JsonObject b = body(rc);
    if (b == null) {
      return;
    }
    String keyId = string(rc, b, "keyId", 64);
    String challenge = keyId == null ? null : string(rc, b, "challenge", 256);
    String signature = challenge == null ? null : string(rc, b, "signature", 256);
    if (signature == null) {
      return;
    }
    try {
      byte[] pk = challenges.verify(challenge, keyId, signature);
      json(rc, 200, tokensJson(tokens.issue(pk)));
    } catch (AuthException e) {
      authError(rc, e);
    }
  }

  private void refresh(RoutingContext rc) {
    JsonObject b = body(rc);
    String refresh = b == null ? null : string(rc, b, "refreshToken", 1024);
    if (refresh == null) {
      return;
    }
    answer(rc, tokens.refresh(refresh), p -> json(rc, 200, tokensJson(p)));
  }

  private void logout(RoutingContext rc) {
    answer(rc, tokens.logout(token(rc)), v -> rc.response().setStatusCode(204).end());
  }

  private static JsonObject tokensJson(TokenPair p) {
    return new JsonObject().put("keyId", p.keyId()).put("tokenType", "Bearer")
        .put("accessToken", p.accessToken()).put("expiresAt", p.accessExpiresAtMs())
        .put("refreshToken", p.refreshToken()).put("refreshExpiresAt", p.refreshExpiresAtMs());
  }

  // ---- push tokens

  private void registerToken(RoutingContext rc) {
    String fcm = rc.pathParam("token");
    if (!PushTokens.validToken(fcm)) {
      error(rc, ApiError.INVALID_FIELD, "token: 16-4096 characters of A-Z a-z 0-9 _ : - .", "token");
      return;
    }
    JsonObject b = body(rc);
    String platform = b == null ? null : string(rc, b, "platform", 16);
    if (platform == null) {
      return;
    }
    if (!PushTokens.validPlatform(platform)) {
      error(rc, ApiError.INVALID_FIELD, "platform: android, ios or web", "platform");
      return;
    }
    answer(rc, pushTokens.register(token(rc).keyId(), fcm, platform), reg -> json(rc, 200,
        new JsonObject().put("registered", true).put("platform", reg.platform()).put("lastSeen", reg.lastSeenMs())));
  }

  private void unregisterToken(RoutingContext rc) {
    String fcm = rc.pathParam("token");
    if (!PushTokens.validToken(fcm)) {
      error(rc, ApiError.INVALID_FIELD, "token: 16-4096 characters of A-Z a-z 0-9 _ : - .", "token");
      return;
    }
    answer(rc, pushTokens.unregister(token(rc).keyId(), fcm), removed -> {
      if (removed) {
        rc.response().setStatusCode(204).end();
      } else {
        error(rc, ApiError.NOT_FOUND, "no such token for this key");
      }
    });
  }

  // ---- jobs and events

  private void listJobs(RoutingContext rc) {
    Long limit = queryLong(rc, "limit", 50, 1, EventLog.MAX_PAGE);
    Long before = limit == null ? null : queryLong(rc, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
    if (before == null) {
      return;
    }
    String keyId = token(rc).keyId();
    blocking(rc, () -> events.jobs(keyId, before, limit.intValue())).onSuccess(jobs -> {
      JsonArray a = new JsonArray();
      jobs.forEach(j -> a.add(new JsonObject(j.toJson())));
      JsonObject out = new JsonObject().put("jobs", a);
      if (jobs.size() == limit) {
        out.put("nextBefore", jobs.get(jobs.size() - 1).updatedMs());
      }
      json(rc, 200, out);
    });
  }

  private void getJob(RoutingContext rc) {
    String jobId = rc.pathParam("jobId");
    if (!EventLog.validJobId(jobId)) {
      error(rc, ApiError.INVALID_FIELD, "jobId: 1-64 of A-Z a-z 0-9 . _ : -", "jobId");
      return;
    }
    String keyId = token(rc).keyId();
    blocking(rc, () -> events.job(keyId, jobId)).onSuccess(j -> {
      if (j.isEmpty()) {
        error(rc, ApiError.NOT_FOUND, "no such job for this key");
      } else {
        json(rc, 200, new JsonObject(j.get().toJson()));
      }
    });
  }

  private void events(RoutingContext rc, String jobId) {
    if (jobId != null && !EventLog.validJobId(jobId)) {
      error(rc, ApiError.INVALID_FIELD, "jobId: 1-64 of A-Z a-z 0-9 . _ : -", "jobId");
      return;
    }
    long after;
    String lastId = rc.request().getHeader("last-event-id");
    if (lastId != null) {
      after = parseLong(lastId.strip(), -1);
      if (after < 0) {
        error(rc, ApiError.INVALID_HEADER, "Last-Event-ID must be a non-negative integer", "Last-Event-ID");
        return;
      }
    } else {
      Long since = queryLong(rc, "since", 0, 0, Long.MAX_VALUE);
      if (since == null) {
        return;
      }
      after = since;
    }
    String keyId = token(rc).keyId();
    SseStream s = new SseStream(vertx, rc.response(), jobId, after,
        from -> jobId == null ? events.after(keyId, from, EventLog.MAX_PAGE)
            : events.after(keyId, jobId, from, EventLog.MAX_PAGE));
    s.start(fanout, keyId, live.open(keyId), options.sseHeartbeat().toMillis());
  }

  private void ack(RoutingContext rc) {
    JsonObject b = body(rc);
    if (b == null) {
      return;
    }
    Object v = b.getValue("eventId");
    if (!(v instanceof Number n) || n.longValue() < 1 || n.doubleValue() != n.longValue()) {
      error(rc, ApiError.INVALID_FIELD, "eventId: a positive integer", "eventId");
      return;
    }
    if (push != null) {
      push.acknowledged(token(rc).keyId(), n.longValue());
    }
    rc.response().setStatusCode(204).end();
  }

  // ---- helpers

  private <T> Future<T> blocking(RoutingContext rc, Callable<T> work) {
    return vertx.<T>executeBlocking(work, false).onFailure(t -> {
      LOG.log(Level.WARNING, "store failure", t);
      error(rc, ApiError.UNAVAILABLE, "storage unavailable");
    });
  }

  private <T> void answer(RoutingContext rc, CompletableFuture<T> f, java.util.function.Consumer<T> ok) {
    Future.fromCompletionStage(f, vertx.getOrCreateContext()).onComplete(ar -> {
      if (ar.succeeded()) {
        ok.accept(ar.result());
        return;
      }
      Throwable c = ar.cause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : ar.cause();
      if (c instanceof AuthException ae) {
        authError(rc, ae);
      } else if (c instanceof IllegalArgumentException ie) {
        error(rc, ApiError.INVALID_FIELD, ie.getMessage());
      } else {
        LOG.log(Level.WARNING, "store failure", c);
        error(rc, ApiError.UNAVAILABLE, "storage unavailable");
      }
    });
  }

  /** The body as a JSON object, or null after answering 400. */
  static JsonObject body(RoutingContext rc) {
    if (rc.body() == null || rc.body().buffer() == null || rc.body().length() == 0) {
      error(rc, ApiError.MALFORMED_JSON, "a JSON object body is required");
      return null;
    }
    try {
      Object v = io.vertx.core.json.Json.decodeValue(rc.body().buffer());
      if (v instanceof JsonObject o) {
        return o;
      }
    } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
      // answered below
    }
    error(rc, ApiError.MALFORMED_JSON, "body is not a JSON object");
    return null;
  }

  static String string(RoutingContext rc, JsonObject b, String field, int max) {
    Object v = b.getValue(field);
    // Lengths in code points, as JSON Schema's maxLength counts them.
    if (!(v instanceof String s) || s.isEmpty() || s.codePointCount(0, s.length()) > max) {
      error(rc, ApiError.INVALID_FIELD, field + ": a string of 1-" + max + " characters", field);
      return null;
    }
    return s;
  }

  private static Long queryLong(RoutingContext rc, String name, long dflt, long min, long max) {
    List<String> vs = rc.queryParam(name);
    if (vs.isEmpty()) {
      return dflt;
    }
    long v = vs.size() == 1 ? parseLong(vs.get(0), Long.MIN_VALUE) : Long.MIN_VALUE;
    if (v < min || v > max) {
      error(rc, ApiError.INVALID_QUERY, name + ": an integer in " + min + ".." + max, name);
      return null;
    }
    return v;
  }

  private static long parseLong(String s, long bad) {
    if (s.isEmpty() || s.length() > 19) {
      return bad;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return bad;
      }
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return bad;
    }
  }

  static void json(RoutingContext rc, int status, JsonObject body) {
    if (rc.response().ended()) {
      return;
    }
    rc.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store").end(body.encode());
  }

  private static void authError(RoutingContext rc, AuthException e) {
    HttpServerResponse r = rc.response();
    if (!r.ended()) {
      r.putHeader("www-authenticate", "Bearer error=\"invalid_token\"");
    }
    JsonObject err = new JsonObject().put("code", e.error().wireName()).put("message", e.getMessage());
    int status = e.error() == AuthError.BUSY ? 503 : e.error() == AuthError.KEY_NOT_ALLOWED ? 403 : 401;
    json(rc, status, new JsonObject().put("error", err));
  }

  static void error(RoutingContext rc, ApiError code, String message) {
    error(rc, code, message, null, null);
  }

  static void error(RoutingContext rc, ApiError code, String message, String field) {
    error(rc, code, message, field, null);
  }

  static void error(RoutingContext rc, ApiError code, String message, String field, JsonObject extra) {
    JsonObject err = new JsonObject().put("code", code.code()).put("message", printable(message));
    if (field != null) {
      err.put("field", field);
    }
    if (extra != null) {
      err.mergeIn(extra);
    }
    json(rc, code.status(), new JsonObject().put("error", err));
  }

  private static String printable(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 300; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7F ? '?' : c);
    }
    return b.toString();
  }

  /** Path pattern -> the methods it serves (for the Allow header of a 405). */
  private static List<java.util.Map.Entry<java.util.regex.Pattern, String>> allowed(Router r) {
    java.util.Map<String, java.util.Set<String>> byPath = new java.util.LinkedHashMap<>();
    for (String route : routes(r)) {
      int sp = route.indexOf(' ');
      byPath.computeIfAbsent(route.substring(sp + 1), k -> new java.util.TreeSet<>()).add(route.substring(0, sp));
    }
    List<java.util.Map.Entry<java.util.regex.Pattern, String>> out = new java.util.ArrayList<>();
    byPath.forEach((path, methods) -> out.add(java.util.Map.entry(
        java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(path).replaceAll(":[A-Za-z]+", "\\\\E[^/]+\\\\Q")),
        String.join(", ", methods))));
    return out;
  }

  /** For tests and the openapi check: method and path of every route. */
  static List<String> routes(Router r) {
    return r.getRoutes().stream().filter(x -> x.getPath() != null && x.methods() != null)
        .flatMap(x -> x.methods().stream().map(m -> m.name() + " " + x.getPath())).distinct().toList();
  }
}
