package tech.infernet.mobile.rest;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import tech.infernet.mobile.agents.AgentLinks;
import tech.infernet.mobile.auth.KeyIds;
import tech.infernet.mobile.auth.Token;
import tech.infernet.mobile.events.EventLog;
import tech.infernet.protocol.Envelope;
import tech.infernet.protocol.EnvelopeCodec;
import tech.infernet.protocol.InMemoryReplayCache;
import tech.infernet.protocol.MessageType;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.ReplayCache;
import tech.infernet.protocol.internal.Base64Url;

/**
 * The routes that carry a phone's envelopes to its agents: linking agents (by NKN address),
 * listing them with their reachability, and forwarding sealed requests (submit, cancel, get,
 * list, info, pair) to a linked agent, answering with the agent's sealed reply. The relay checks
 * what it can without reading the payload: shape, signer = caller, type, clock, replay, link.
 */
final class CarryRoutes {
  private static final Logger LOG = Logger.getLogger(CarryRoutes.class.getName());
  /** What a phone may send to an agent through {@code /v1/agents/{agentKeyId}/requests}. */
  private static final Set<MessageType> REQUESTS = EnumSet.of(MessageType.JOB_SUBMIT, MessageType.JOB_CANCEL,
      MessageType.JOB_GET, MessageType.JOB_LIST, MessageType.JOB_RESULT, MessageType.AGENT_INFO, MessageType.PAIR_REQUEST);

  private final Vertx vertx;
  private final RestApi.Options options;
  private final Clock clock;
  private final EventLog events;
  private final AgentLinks links;
  private final EnvelopeForwarder forwarder;
  private final ReplayCache replays = new InMemoryReplayCache();

  CarryRoutes(Vertx vertx, RestApi.Options options, Clock clock, EventLog events, AgentLinks links,
      EnvelopeForwarder forwarder) {
    this.vertx = vertx;
    this.options = options;
    this.clock = clock;
    this.events = events;
    this.links = links;
    this.forwarder = forwarder;
  }

  void register(Router r, Handler<RoutingContext> authenticate, Handler<RoutingContext> smallBody,
      Handler<RoutingContext> envelopeBody) {
    r.get("/v1/agents").handler(authenticate).handler(this::listAgents);
    r.put("/v1/agents/:agentKeyId").handler(smallBody).handler(authenticate).handler(this::link);
    r.delete("/v1/agents/:agentKeyId").handler(authenticate).handler(this::unlink);
    r.post("/v1/agents/:agentKeyId/requests").handler(envelopeBody).handler(authenticate)
        .handler(rc -> carry(rc, REQUESTS, rc.pathParam("agentKeyId"), null));
    r.post("/v1/jobs").handler(envelopeBody).handler(authenticate)
        .handler(rc -> carry(rc, EnumSet.of(MessageType.JOB_SUBMIT), null, null));
    r.post("/v1/jobs/:jobId/cancel").handler(envelopeBody).handler(authenticate)
        .handler(rc -> carry(rc, EnumSet.of(MessageType.JOB_CANCEL), null, rc.pathParam("jobId")));
  }

  // ---- agents

  private void listAgents(RoutingContext rc) {
    String keyId = RestApi.token(rc).keyId();
    blocking(rc, () -> links.list(keyId)).onSuccess(list -> {
      JsonArray a = new JsonArray();
      list.forEach(l -> a.add(agentJson(l)));
      RestApi.json(rc, 200, new JsonObject().put("agents", a));
    });
  }

  private void link(RoutingContext rc) {
    String agentKeyId = agentKeyId(rc);
    JsonObject b = agentKeyId == null ? null : RestApi.body(rc);
    String address = b == null ? null : RestApi.string(rc, b, "address", 129);
    if (address == null) {
      return;
    }
    if (b.size() != 1) {
      RestApi.error(rc, ApiError.INVALID_FIELD, "only the field address is allowed", "address");
      return;
    }
    Optional<String> named = AgentLinks.agentKeyIdOf(address);
    if (named.isEmpty() || !named.get().equals(agentKeyId)) {
      RestApi.error(rc, ApiError.INVALID_FIELD,
          "address: the agent's NKN address, [identifier.]<hex of the public key in the path>", "address");
      return;
    }
    String keyId = RestApi.token(rc).keyId();
    Future.fromCompletionStage(links.link(keyId, address), vertx.getOrCreateContext()).onComplete(ar -> {
      if (ar.succeeded()) {
        RestApi.json(rc, 200, agentJson(ar.result()));
      } else if (ar.cause() instanceof IllegalArgumentException e) {
        RestApi.error(rc, ApiError.INVALID_FIELD, e.getMessage(), "address");
      } else {
        LOG.log(Level.WARNING, "store failure", ar.cause());
        RestApi.error(rc, ApiError.UNAVAILABLE, "storage unavailable");
      }
    });
  }

  private void unlink(RoutingContext rc) {
    String agentKeyId = agentKeyId(rc);
    if (agentKeyId == null) {
      return;
    }
    String keyId = RestApi.token(rc).keyId();
    Future.fromCompletionStage(links.unlink(keyId, agentKeyId), vertx.getOrCreateContext()).onComplete(ar -> {
      if (ar.failed()) {
        RestApi.error(rc, ApiError.UNAVAILABLE, "storage unavailable");
      } else if (ar.result()) {
        rc.response().setStatusCode(204).end();
      } else {
        RestApi.error(rc, ApiError.NOT_FOUND, "no such agent for this key");
      }
    });
  }

  private static JsonObject agentJson(AgentLinks.AgentLink l) {
    return new JsonObject().put("agentKeyId", l.agentKeyId()).put("address", l.address()).put("linkedMs", l.linkedMs())
        .put("online", l.online()).put("lastSeenMs", l.lastSeenMs());
  }

  private static String agentKeyId(RoutingContext rc) {
    String id = rc.pathParam("agentKeyId");
    if (KeyIds.parse(id) == null) {
      RestApi.error(rc, ApiError.INVALID_FIELD, "agentKeyId: the agent's key id (43 base64url characters)",
          "agentKeyId");
      return null;
    }
    return id;
  }

  // ---- envelopes

  private void carry(RoutingContext rc, Set<MessageType> allowed, String pathAgent, String cancelJobId) {
    if (pathAgent != null && agentKeyId(rc) == null) {
      return;
    }
    if (cancelJobId != null && !EventLog.validJobId(cancelJobId)) {
      RestApi.error(rc, ApiError.INVALID_FIELD, "jobId: 1-64 of A-Z a-z 0-9 . _ : -", "jobId");
      return;
    }
    Envelope env = checkedEnvelope(rc, allowed);
    if (env == null) {
      return;
    }
    String agent = KeyIds.of(env.recipient());
    if (pathAgent != null && !pathAgent.equals(agent)) {
      RestApi.error(rc, ApiError.INVALID_ENVELOPE, "the envelope is addressed to another agent than the path names",
          null, new JsonObject().put("detail", "wrong_recipient"));
      return;
    }
    String keyId = RestApi.token(rc).keyId();
    blocking(rc, () -> new Target(links.find(keyId, agent),
        cancelJobId == null ? Optional.empty() : events.job(keyId, cancelJobId).map(j -> j.jobId())))
        .onSuccess(target -> {
          if (target.link().isEmpty()) {
            RestApi.error(rc, ApiError.AGENT_NOT_LINKED,
                "link the agent first: PUT /v1/agents/" + agent + " with its NKN address");
          } else if (cancelJobId != null && target.jobId().isEmpty()) {
            RestApi.error(rc, ApiError.NOT_FOUND, "no such job for this key");
          } else {
            forward(rc, keyId, env, target.link().get().address(), target.jobId().orElse(null));
          }
        });
  }

  private record Target(Optional<AgentLinks.AgentLink> link, Optional<String> jobId) {}

  /** The body as an envelope that passed every check the relay can make, or null after answering. */
  private Envelope checkedEnvelope(RoutingContext rc, Set<MessageType> allowed) {
    Envelope env;
    try {
      env = EnvelopeCodec.fromJson(rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes(),
          options.maxEnvelopeBytes());
    } catch (ProtocolException e) {
      RestApi.error(rc, ApiError.INVALID_ENVELOPE, e.getMessage(), null,
          new JsonObject().put("detail", e.code().wireName()));
      return null;
    }
    Token t = RestApi.token(rc);
    if (!KeyIds.of(env.sender()).equals(t.keyId())) {
      RestApi.error(rc, ApiError.SENDER_MISMATCH, "the envelope must be signed by the caller's key");
      return null;
    }
    if (!allowed.contains(env.type())) {
      RestApi.error(rc, ApiError.WRONG_MESSAGE_TYPE, "expected " + (allowed.size() == 1 ? "a " : "one of ")
          + String.join(", ", allowed.stream().map(MessageType::wireName).toList()) + " envelope, got "
          + env.type().wireName());
      return null;
    }
    long now = clock.millis();
    long skew = options.envelopeSkew().toMillis();
    if (Math.abs(env.timestampMs() - now) > skew) {
      RestApi.error(rc, ApiError.CLOCK_SKEW, "envelope timestamp more than " + skew / 1000 + " s from the relay's clock");
      return null;
    }
    if (!env.verifySignature()) {
      RestApi.error(rc, ApiError.BAD_SIGNATURE, "the envelope's signature does not verify");
      return null;
    }
    try {
      ReplayCache.Result res = replays.checkAndRecord(env.sender(), env.nonce(), env.timestampMs() + skew, now);
      if (res == ReplayCache.Result.REPLAYED) {
        RestApi.error(rc, ApiError.REPLAYED, "this envelope was already forwarded");
        return null;
      }
      if (res == ReplayCache.Result.FULL) {
        rc.response().putHeader("retry-after", "5");
        RestApi.error(rc, ApiError.UNAVAILABLE, "busy; retry shortly");
        return null;
      }
    } catch (IOException e) {
      RestApi.error(rc, ApiError.UNAVAILABLE, "replay cache unavailable");
      return null;
    }
    return env;
  }

  private void forward(RoutingContext rc, String keyId, Envelope env, String address, String jobId) {
    CompletableFuture<byte[]> f;
    try {
      f = forwarder.forward(keyId, address, env).orTimeout(options.forwardTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    Future.fromCompletionStage(f, vertx.getOrCreateContext()).onComplete(ar -> {
      if (ar.succeeded()) {
        JsonObject out = new JsonObject().put("forwarded", true).put("to", Base64Url.encode(env.recipient()))
            .put("type", env.type().wireName());
        if (jobId != null) {
          out.put("jobId", jobId);
        }
        reply(ar.result()).ifPresent(r -> out.put("reply", r));
        RestApi.json(rc, 202, out);
        return;
      }
      Throwable c = ar.cause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : ar.cause();
      if (c instanceof TimeoutException) {
        RestApi.error(rc, ApiError.FORWARD_TIMEOUT, "the recipient could not be reached in time");
      } else if (c instanceof EnvelopeForwarder.ForwardException fe) {
        if (fe.retryable()) {
          rc.response().putHeader("retry-after", "5");
        }
        RestApi.error(rc, ApiError.UNAVAILABLE, "not forwarded: " + fe.getMessage());
      } else {
        LOG.log(Level.WARNING, "forwarder failed", c);
        RestApi.error(rc, ApiError.UNAVAILABLE, "not forwarded");
      }
    });
  }

  /** The agent's sealed answer in the JSON envelope form; one that does not decode is left out. */
  private Optional<JsonObject> reply(byte[] binary) {
    if (binary == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new JsonObject(EnvelopeCodec.toJson(EnvelopeCodec.fromBinary(binary, options.maxEnvelopeBytes()))));
    } catch (ProtocolException e) {
      LOG.fine("an agent's reply did not decode: " + e.getMessage());
      return Optional.empty();
    }
  }

  private <T> Future<T> blocking(RoutingContext rc, Callable<T> work) {
    return vertx.<T>executeBlocking(work, false).onFailure(t -> {
      LOG.log(Level.WARNING, "store failure", t);
      RestApi.error(rc, ApiError.UNAVAILABLE, "storage unavailable");
    });
  }
}
