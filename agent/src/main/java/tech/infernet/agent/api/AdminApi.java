package tech.infernet.agent.api;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.jobs.IllegalTransitionException;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.SpecException;
import tech.infernet.agent.runner.InferenceRunner;
import tech.infernet.agent.store.JobEvent;

/**
 * The local admin API (bound to loopback by default): health, status, jobs, live events as
 * Server-Sent Events with replay from Last-Event-ID, ACL, and Prometheus metrics. Store reads and
 * engine calls that may block run on worker threads, never on the event loop.
 */
public final class AdminApi {
  /** What /status reports besides the engine's numbers. */
  public record StatusInfo(String publicKey, String version, Map<String, String> runners) {}

  private static final int MAX_BODY = 512 * 1024;
  private final Vertx vertx;
  private final JobEngine engine;
  private final StatusInfo info;
  private final EventHub hub = new EventHub();
  private final long startedAt = System.currentTimeMillis();
  private volatile java.util.function.Supplier<Map<String, Object>> hardwareStatus;
  private volatile java.util.function.Supplier<String> hardwareMetrics;
  private volatile java.util.function.Supplier<Map<String, Object>> hardwareBenchmark;
  private volatile InferenceRunner inference;
  private volatile java.util.function.Supplier<Map<String, Object>> nknStatus;
  private volatile Pairer pairer;

  /** Makes one-time pairing links (the NKN face). */
  public interface Pairer {
    tech.infernet.protocol.message.PairingUri pair(tech.infernet.protocol.message.Role role, java.time.Duration ttl)
        throws java.io.IOException;
  }

  /** Adds the agent's NKN state to /status and serves {@code POST /pairings} (role, ttlSeconds). */
  public AdminApi withNkn(java.util.function.Supplier<Map<String, Object>> status, Pairer pairer) {
    this.nknStatus = status;
    this.pairer = pairer;
    return this;
  }

  public AdminApi(Vertx vertx, JobEngine engine, StatusInfo info) {
    this.vertx = vertx;
    this.engine = engine;
    this.info = info;
    engine.store().onEvent(hub);
  }

  /** Serves {@code GET /inference/models} and reports the backend's health live in /status. */
  public AdminApi withInference(InferenceRunner runner) {
    this.inference = runner;
    return this;
  }

  /** Adds the hardware picture to /status and GPU telemetry to /metrics (tech.infernet.agent.hardware). */
  public AdminApi withHardware(java.util.function.Supplier<Map<String, Object>> status,
                               java.util.function.Supplier<String> metrics) {
    this.hardwareStatus = status;
    this.hardwareMetrics = metrics;
    return this;
  }

  /** Serves {@code POST /hardware/benchmark}: re-runs the GPU benchmark now (seconds; on a worker thread). */
  public AdminApi withHardwareBenchmark(java.util.function.Supplier<Map<String, Object>> rerun) {
    this.hardwareBenchmark = rerun;
    return this;
  }

  public Future<HttpServer> listen(String host, int port) {
    return vertx.createHttpServer().requestHandler(router()).listen(port, host);
  }

  Router router() {
    Router r = Router.router(vertx);
    r.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
    r.get("/health").handler(rc -> json(rc, 200, new JsonObject().put("status", "ok")));
    r.get("/status").handler(this::status);
    r.post("/hardware/benchmark").handler(this::hardwareBenchmark);
    r.post("/pairings").handler(this::pair);
    r.get("/metrics").handler(rc -> blocking(rc, () -> MetricsText.render(engine, startedAt) + hardwareMetrics())
        .onSuccess(t -> rc.response().putHeader("content-type", "text/plain; version=0.0.4").end(t)));
    r.get("/jobs").handler(this::list);
    r.post("/jobs").handler(this::submit);
    r.get("/jobs/:id").handler(rc -> withJob(rc, j -> json(rc, 200, Views.job(j))));
    r.post("/jobs/:id/cancel").handler(this::cancel);
    r.get("/jobs/:id/events").handler(this::jobEvents);
    r.get("/jobs/:id/result").handler(this::result);
    r.get("/events").handler(this::allEvents);
    r.get("/inference/models").handler(this::models);
    r.get("/acl").handler(rc -> blocking(rc, () -> {
      JsonArray a = new JsonArray();
      engine.store().acl().forEach(e -> a.add(new JsonObject().put("publicKey", e.publicKey())
          .put("role", e.role()).put("addedAt", e.addedAt())));
      return a;
    }).onSuccess(a -> json(rc, 200, new JsonObject().put("acl", a))));
    r.put("/acl/:key").handler(this::aclPut);
    r.delete("/acl/:key").handler(rc -> {
      String key = rc.pathParam("key");
      Future.fromCompletionStage(engine.store().aclRemove(key), rc.vertx().getOrCreateContext())
          .onSuccess(b -> json(rc, b ? 200 : 404, new JsonObject().put("removed", b)))
          .onFailure(rc::fail);
    });
    r.route().last().handler(rc -> error(rc, 404, "NOT_FOUND", "", "no such endpoint"));
    r.route().failureHandler(rc -> {
      if (rc.statusCode() == 413) {
        error(rc, 413, "SPEC_TOO_LARGE", "", "body larger than " + MAX_BODY + " bytes");
      } else if (!rc.response().ended()) {
        Throwable t = rc.failure();
        error(rc, rc.statusCode() > 0 ? rc.statusCode() : 500, "INTERNAL",
            "", t == null ? "error" : String.valueOf(t.getMessage()));
      }
    });
    return r;
  }

  private void pair(RoutingContext rc) {
    Pairer p = pairer;
    if (p == null) {
      error(rc, 404, "NKN_DISABLED", "", "the agent is not on NKN (nkn.enabled is false)");
      return;
    }
    JsonObject body;
    try {
      body = rc.body().isEmpty() ? new JsonObject() : rc.body().asJsonObject();
    } catch (RuntimeException e) {
      error(rc, 400, "MALFORMED_JSON", "", "body must be JSON like {\"role\":\"submitter\",\"ttlSeconds\":600}");
      return;
    }
    var role = tech.infernet.protocol.message.Role.fromWire(String.valueOf(body.getValue("role", "submitter")));
    Object ttlValue = body.getValue("ttlSeconds", 600);
    if (role.isEmpty() || !(ttlValue instanceof Number ttl) || ttl.longValue() < 1 || ttl.longValue() > 7 * 86400) {
      error(rc, 400, "BAD_PAIRING", "role", "role must be owner, submitter, viewer or carrier; ttlSeconds 1..604800");
      return;
    }
    rc.vertx().getOrCreateContext().executeBlocking(() -> p.pair(role.get(), java.time.Duration.ofSeconds(ttl.longValue())), false)
        .onSuccess(uri -> json(rc, 201, new JsonObject().put("uri", uri.toString()).put("role", role.get().wireName())
            .put("expiresMs", uri.expiresMs())))
        .onFailure(t -> error(rc, 503, "NKN_UNAVAILABLE", "", String.valueOf(t.getMessage())));
  }

  private void models(RoutingContext rc) {
    InferenceRunner r = inference;
    if (r == null) {
      error(rc, 404, "RUNNER_DISABLED", "", "the inference runner is not configured (inference.url)");
      return;
    }
    rc.vertx().getOrCreateContext().executeBlocking(() -> new JsonArray(r.models()), false)
        .onSuccess(a -> json(rc, 200, new JsonObject().put("backend", r.config().baseUrl().toString())
            .put("models", a)))
        .onFailure(t -> error(rc, 503, "BACKEND_UNAVAILABLE", "", "inference backend "
            + r.config().baseUrl() + ": " + t.getMessage()));
  }

  private void status(RoutingContext rc) {
    blocking(rc, () -> new JsonObject()
        .put("publicKey", info.publicKey())
        .put("version", info.version())
        .put("uptimeSeconds", (System.currentTimeMillis() - startedAt) / 1000)
        .put("runners", runners())
        .put("queued", engine.queued())
        .put("running", engine.running())).onSuccess(s -> json(rc, 200, addHardware(s)));
  }

  /** Runner availability; the inference backend's health is checked now (worker thread). */
  private JsonObject runners() {
    JsonObject o = new JsonObject(new java.util.LinkedHashMap<>(info.runners()));
    InferenceRunner r = inference;
    if (r != null) {
      String why = r.unavailableReason();
      o.put("inference", why == null ? "available (" + r.config().baseUrl() + ")" : "unavailable: " + why);
    }
    return o;
  }

  private void hardwareBenchmark(RoutingContext rc) {
    java.util.function.Supplier<Map<String, Object>> b = hardwareBenchmark;
    if (b == null) {
      error(rc, 404, "NOT_FOUND", "", "no hardware monitor in this agent");
      return;
    }
    blocking(rc, () -> new JsonObject(b.get())).onSuccess(j -> json(rc, 200, j));
  }

  private JsonObject addHardware(JsonObject status) {
    java.util.function.Supplier<Map<String, Object>> h = hardwareStatus;
    java.util.function.Supplier<Map<String, Object>> n = nknStatus;
    if (n != null) {
      status.put("nkn", new JsonObject(n.get()));
    }
    return h == null ? status : status.put("hardware", new JsonObject(h.get()));
  }

  private String hardwareMetrics() {
    java.util.function.Supplier<String> m = hardwareMetrics;
    return m == null ? "" : m.get();
  }

  private void list(RoutingContext rc) {
    List<JobState> states = new ArrayList<>();
    String st = rc.queryParams().get("state");
    int limit;
    try {
      if (st != null) {
        for (String s : st.split(",")) {
          states.add(JobState.valueOf(s.strip().toUpperCase(java.util.Locale.ROOT)));
        }
      }
      limit = Integer.parseInt(rc.queryParams().get("limit") == null ? "100" : rc.queryParams().get("limit"));
    } catch (IllegalArgumentException e) {
      error(rc, 400, "BAD_QUERY", "state", "state must be job states, limit a number");
      return;
    }
    int lim = Math.max(1, Math.min(limit, 10_000));
    blocking(rc, () -> {
      JsonArray a = new JsonArray();
      engine.store().jobs(states, lim).forEach(j -> a.add(Views.job(j)));
      return a;
    }).onSuccess(a -> json(rc, 200, new JsonObject().put("jobs", a)));
  }

  private void submit(RoutingContext rc) {
    String owner = rc.request().getHeader("X-Infernet-Owner");
    String body = rc.body().asString();
    Future.fromCompletionStage(engine.submit(owner == null ? "local" : owner, body),
            rc.vertx().getOrCreateContext())
        .onSuccess(j -> json(rc, j.state() == JobState.REJECTED ? 422 : 201, Views.job(j)))
        .onFailure(t -> {
          Throwable c = t instanceof CompletionException ? t.getCause() : t;
          if (c instanceof SpecException se) {
            error(rc, 400, se.code().name(), se.field(), se.getMessage());
          } else {
            rc.fail(500, c);
          }
        });
  }

  private void cancel(RoutingContext rc) {
    JobId id = jobId(rc);
    if (id == null) {
      return;
    }
    blocking(rc, () -> engine.cancel(id).join()).onSuccess(j -> json(rc, 200, Views.job(j)))
        .onFailure(t -> {
          Throwable c = t instanceof CompletionException ? t.getCause() : t;
          if (c instanceof IllegalArgumentException) {
            error(rc, 404, "NO_SUCH_JOB", "id", c.getMessage());
          } else if (c instanceof IllegalTransitionException) {
            error(rc, 409, "CONFLICT", "id", c.getMessage());
          } else {
            rc.fail(500, c);
          }
        });
  }

  private void result(RoutingContext rc) {
    JobId id = jobId(rc);
    if (id == null) {
      return;
    }
    blocking(rc, () -> engine.store().result(id)).onSuccess(r -> {
      if (r.isEmpty()) {
        error(rc, 404, "NO_RESULT", "id", "job has no result");
      } else if (r.get().inline() != null) {
        rc.response().putHeader("content-type", "application/octet-stream")
            .putHeader("x-sha256", r.get().sha256()).end(io.vertx.core.buffer.Buffer.buffer(r.get().inline()));
      } else {
        rc.response().putHeader("x-sha256", r.get().sha256()).sendFile(r.get().path());
      }
    });
  }

  private void jobEvents(RoutingContext rc) {
    JobId id = jobId(rc);
    if (id == null) {
      return;
    }
    long after = lastEventId(rc);
    blocking(rc, () -> engine.store().job(id)).onSuccess(j -> {
      if (j.isEmpty()) {
        error(rc, 404, "NO_SUCH_JOB", "id", "no such job " + id);
        return;
      }
      new SseStream(rc, after, e -> e.jobId().equals(id), JobEvent::seq,
          from -> engine.store().events(id, from, 500),
          () -> engine.store().job(id).map(x -> x.state().isTerminal()).orElse(true)).start(hub);
    });
  }

  private void allEvents(RoutingContext rc) {
    long after = lastEventId(rc);
    new SseStream(rc, after, e -> true, JobEvent::id, from -> engine.store().eventsAfter(from, 500),
        null).start(hub);
  }

  private void aclPut(RoutingContext rc) {
    String key = rc.pathParam("key");
    JsonObject body;
    try {
      body = rc.body().asJsonObject();
    } catch (RuntimeException e) {
      error(rc, 400, "MALFORMED_JSON", "", "body must be JSON like {\"role\":\"user\"}");
      return;
    }
    String role = body == null ? null : body.getString("role");
    if (!key.matches("[0-9a-fA-F]{64}") || role == null || !role.matches("[a-z]{1,32}")) {
      error(rc, 400, "BAD_ACL_ENTRY", "publicKey", "key must be 64 hex digits, role lowercase letters");
      return;
    }
    Future.fromCompletionStage(engine.store().aclPut(key.toLowerCase(java.util.Locale.ROOT), role),
            rc.vertx().getOrCreateContext())
        .onSuccess(v -> json(rc, 200, new JsonObject().put("publicKey", key).put("role", role)))
        .onFailure(rc::fail);
  }

  private static long lastEventId(RoutingContext rc) {
    String h = rc.request().getHeader("Last-Event-ID");
    if (h == null) {
      h = rc.queryParams().get("after");
    }
    try {
      return h == null ? 0 : Math.max(0, Long.parseLong(h.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void withJob(RoutingContext rc, java.util.function.Consumer<Job> then) {
    JobId id = jobId(rc);
    if (id == null) {
      return;
    }
    blocking(rc, () -> engine.store().job(id)).onSuccess(j -> {
      if (j.isEmpty()) {
        error(rc, 404, "NO_SUCH_JOB", "id", "no such job " + id);
      } else {
        then.accept(j.get());
      }
    });
  }

  private static JobId jobId(RoutingContext rc) {
    String s = rc.pathParam("id");
    if (!JobId.isValid(s)) {
      error(rc, 400, "BAD_JOB_ID", "id", "not a job id");
      return null;
    }
    return new JobId(s);
  }

  private static <T> Future<T> blocking(RoutingContext rc, Callable<T> c) {
    Context ctx = rc.vertx().getOrCreateContext();
    Future<T> f = ctx.executeBlocking(c, false);
    return f.onFailure(t -> {
      if (!rc.response().ended()) {
        rc.fail(500, t);
      }
    });
  }

  static void json(RoutingContext rc, int status, JsonObject body) {
    HttpServerResponse r = rc.response();
    if (!r.ended()) {
      r.setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
  }

  static void error(RoutingContext rc, int status, String code, String field, String message) {
    json(rc, status, new JsonObject().put("error", new JsonObject().put("code", code)
        .put("field", field).put("message", message)));
  }
}
