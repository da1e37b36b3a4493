package tech.infernet.mobile.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttAuth;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import tech.infernet.mobile.auth.AuthException;
import tech.infernet.mobile.auth.Token;
import tech.infernet.mobile.auth.TokenService;
import tech.infernet.mobile.events.EventFanout;
import tech.infernet.mobile.events.EventLog;
import tech.infernet.mobile.events.StoredEvent;
import tech.infernet.mobile.push.LiveChannels;
import tech.infernet.mobile.push.PushDispatcher;

/**
 * The relay's own MQTT endpoint (vertx-mqtt, over TCP and WebSocket), read-only for phones:
 * username = key id, password = access token; a phone subscribes to its own
 * {@code u/{keyId}/jobs/...} topics only, at QoS 0 or 1; its publishes are refused. Persistent
 * sessions keep QoS 1 messages (bounded) while the phone is away and until their expiry; a new
 * connection with the same client id takes the session over; a SUBSCRIBE gets each job's latest
 * event as a retained message, from the event log.
 *
 * <p>vertx-mqtt is a protocol server, not a broker: routing, ACL, QoS 1 state, sessions and
 * retained messages are here. All of that state lives on one context (the one that started the
 * listeners, which then handles every connection), so none of it needs locks.
 */
public final class MqttEndpointServer {
  private static final Logger LOG = Logger.getLogger(MqttEndpointServer.class.getName());

  /** Counters since start. */
  public record Stats(long connections, long refusedConnections, long refusedSubscriptions, long refusedPublishes,
      long delivered, long queuedDropped, long takeovers, int sessions) {}

  private final Vertx vertx;
  private final MqttOptions options;
  private final TokenService tokens;
  private final EventLog events;
  private final EventFanout fanout;
  private final LiveChannels live;
  private final PushDispatcher push;
  private final Context ctx;
  private final Map<String, Session> sessions = new HashMap<>();
  private final Map<String, List<Session>> byKey = new HashMap<>();
  private final Map<String, Runnable> fanoutSubs = new HashMap<>();
  private final List<MqttServer> servers = new ArrayList<>();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong refusedConnections = new AtomicLong();
  private final AtomicLong refusedSubscriptions = new AtomicLong();
  private final AtomicLong refusedPublishes = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong takeovers = new AtomicLong();
  private final AtomicLong queuedDropped = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger sessionCount = new java.util.concurrent.atomic.AtomicInteger();
  private long sweepTimer = -1;
  private int tcpPort = -1;
  private int wsPort = -1;

  public MqttEndpointServer(Vertx vertx, MqttOptions options, TokenService tokens, EventLog events,
      EventFanout fanout, LiveChannels live, PushDispatcher push) {
    this.vertx = vertx;
    this.options = options;
    this.tokens = tokens;
    this.events = events;
    this.fanout = fanout;
    this.live = live;
    this.push = push;
    this.ctx = vertx.getOrCreateContext();
  }

  /** Starts the TCP listener and, unless its port is -1, the WebSocket one. */
  public Future<Void> start() {
    Promise<Void> p = Promise.promise();
    ctx.runOnContext(v -> {
      Future<MqttServer> tcp = listen(false, options.tcpPort()).onSuccess(s -> tcpPort = s.actualPort());
      Future<?> ws = options.webSocketPort() < 0 ? Future.succeededFuture()
          : listen(true, options.webSocketPort()).onSuccess(s -> wsPort = s.actualPort());
      sweepTimer = vertx.setPeriodic(60_000, id -> sweep());
      Future.all(tcp, ws).<Void>mapEmpty().onComplete(p);
    });
    return p.future();
  }

  private Future<MqttServer> listen(boolean webSocket, int port) {
    MqttServerOptions o = new MqttServerOptions().setHost(options.host()).setPort(port)
        .setMaxMessageSize(options.maxMessageSize()).setMaxClientIdLength(128).setTimeoutOnConnect(10)
        .setUseWebSocket(webSocket);
    // vertx-mqtt closes a connection silent for 1.5 x its keepalive (its own "idle" handler, so
    // no NetServerOptions idle timeout here: the two would clash).
    MqttServer s = MqttServer.create(vertx, o);
    servers.add(s);
    s.endpointHandler(this::connect).exceptionHandler(t -> LOG.log(Level.FINE, "mqtt connection error", t));
    return s.listen();
  }

  public int tcpPort() {
    return tcpPort;
  }

  public int webSocketPort() {
    return wsPort;
  }

  /** Counters; safe from any thread. */
  public Stats stats() {
    return new Stats(connections.get(), refusedConnections.get(), refusedSubscriptions.get(),
        refusedPublishes.get(), delivered.get(), queuedDropped.get(), takeovers.get(), sessionCount.get());
  }

  // ---- connection

  private void connect(MqttEndpoint ep) {
    boolean v5 = ep.protocolVersion() == 5;
    MqttAuth auth = ep.auth();
    Token t;
    try {
      if (auth == null || auth.getUsername() == null || auth.getPassword() == null) {
        refuse(ep, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
            : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
        return;
      }
      t = tokens.verifyAccess(auth.getPassword());
    } catch (AuthException e) {
      refuse(ep, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
          : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
      return;
    }
    if (!t.keyId().equals(auth.getUsername())) {
      refuse(ep, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
          : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
      return;
    }
    String clientId = ep.clientIdentifier();
    if (clientId == null || clientId.isEmpty()) {
      if (!ep.isCleanSession()) {
        refuse(ep, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
            : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        return;
      }
      clientId = "auto-" + Long.toHexString(System.nanoTime());
    }
    long expiryMs = sessionExpiryMs(ep, v5);
    String sid = t.keyId() + "/" + clientId;
    Session s = sessions.get(sid);
    if (s != null && s.connected()) {
      takeovers.incrementAndGet();
      MqttEndpoint old = s.endpoint;
      detach(s);
      closeQuietly(old, true);
    }
    boolean present = s != null && !ep.isCleanSession();
    if (!present) {
      if (s != null) {
        remove(s);
      }
      if (sessions.size() >= options.maxSessions()) {
        refuse(ep, v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
            : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
        return;
      }
      s = new Session(t.keyId(), clientId);
      sessions.put(sid, s);
      sessionCount.set(sessions.size());
      byKey.computeIfAbsent(t.keyId(), k -> new ArrayList<>()).add(s);
      fanoutSubs.computeIfAbsent(t.keyId(), k -> fanout.subscribe(k, e -> ctx.runOnContext(v -> deliver(e))));
    }
    s.persistent = expiryMs > 0;
    s.expiryMs = expiryMs;
    s.endpoint = ep;
    connections.incrementAndGet();

    MqttProperties props = new MqttProperties();
    int keepAlive = ep.keepAliveTimeSeconds();
    long max = options.maxKeepAlive().toSeconds();
    if (v5 && (keepAlive == 0 || keepAlive > max)) {
      props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.SERVER_KEEP_ALIVE.value(), (int) max));
    }
    if (v5) {
      props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.MAXIMUM_QOS.value(), 1));
      props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
      props.add(new MqttProperties.IntegerProperty(
          MqttProperties.MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
      if (!ep.clientIdentifier().equals(clientId)) {
        props.add(new MqttProperties.StringProperty(
            MqttProperties.MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), clientId));
      }
    }
    Session session = s;
    ep.publishAutoAck(false);
    ep.subscribeHandler(m -> subscribe(session, ep, m));
    ep.unsubscribeHandler(m -> {
      if (session.endpoint != ep) {
        return;
      }
      m.topics().forEach(session.subscriptions::remove);
      updateLive(session);
      ep.unsubscribeAcknowledge(m.messageId());
    });
    ep.publishHandler(m -> refusePublish(ep, m));
    ep.publishReleaseHandler(ep::publishComplete);
    ep.publishAcknowledgeHandler(id -> acked(session, ep, id));
    // On DISCONNECT vertx-mqtt closes the connection itself (closing it here too would throw).
    ep.disconnectHandler(v -> { });
    ep.exceptionHandler(x -> {
      LOG.log(Level.FINE, "mqtt: closing connection after a protocol error", x);
      closeQuietly(ep, false);
    });
    ep.closeHandler(v -> closed(session, ep));
    ep.accept(present, props);
    updateLive(s);
    if (present) {
      // Unacknowledged messages again, with DUP and their ids, then what queued while away.
      for (Map.Entry<Integer, Session.Pending> e : session.inflight.entrySet()) {
        publish(ep, e.getValue().topic(), e.getValue().payload(), MqttQoS.AT_LEAST_ONCE, true, false, e.getKey());
      }
      drain(session);
    }
  }

  private static void closeQuietly(MqttEndpoint ep, boolean takenOver) {
    try {
      if (takenOver && ep.protocolVersion() == 5 && ep.isConnected()) {
        ep.disconnect(MqttDisconnectReasonCode.SESSION_TAKEN_OVER, MqttProperties.NO_PROPERTIES);
      }
      ep.close();
    } catch (IllegalStateException | IllegalArgumentException alreadyClosed) {
      // closed by the peer or by vertx-mqtt meanwhile
    }
  }

  private long sessionExpiryMs(MqttEndpoint ep, boolean v5) {
    long max = options.sessionExpiry().toMillis();
    if (!v5) {
      return ep.isCleanSession() ? 0 : max;
    }
    MqttProperties.MqttProperty<?> p = ep.connectProperties() == null ? null
        : ep.connectProperties().getProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
    long secs = p != null && p.value() instanceof Integer i ? Integer.toUnsignedLong(i) : 0;
    return Math.min(max, secs * 1000);
  }

  private void refuse(MqttEndpoint ep, MqttConnectReturnCode code) {
    refusedConnections.incrementAndGet();
    ep.reject(code);
  }

  private void closed(Session s, MqttEndpoint ep) {
    if (s.endpoint != ep) {
      return;
    }
    detach(s);
    if (!s.persistent) {
      remove(s);
    } else {
      s.offlineSinceMs = System.currentTimeMillis();
    }
  }

  private void detach(Session s) {
    s.endpoint = null;
    s.liveClose.run();
    s.liveClose = () -> { };
  }

  private void remove(Session s) {
    sessions.remove(s.id());
    sessionCount.set(sessions.size());
    List<Session> l = byKey.get(s.keyId);
    if (l != null) {
      l.remove(s);
      if (l.isEmpty()) {
        byKey.remove(s.keyId);
        Runnable unsub = fanoutSubs.remove(s.keyId);
        if (unsub != null) {
          unsub.run();
        }
      }
    }
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    List<Session> expired = new ArrayList<>();
    for (Session s : sessions.values()) {
      if (!s.connected() && now - s.offlineSinceMs > s.expiryMs) {
        expired.add(s);
      }
    }
    expired.forEach(this::remove);
  }

  /** Removes sessions offline for longer than their expiry now (tests; otherwise every minute). */
  public Future<Void> sweepNow() {
    Promise<Void> p = Promise.promise();
    ctx.runOnContext(v -> {
      sweep();
      p.complete();
    });
    return p.future();
  }

  private void updateLive(Session s) {
    s.liveClose.run();
    s.liveClose = s.connected() && s.hasQos1() ? live.open(s.keyId) : () -> { };
  }

  // ---- subscribe / publish

  private void subscribe(Session s, MqttEndpoint ep, MqttSubscribeMessage m) {
    if (s.endpoint != ep) {
      return;
    }
    boolean v5 = ep.protocolVersion() == 5;
    List<MqttSubAckReasonCode> codes = new ArrayList<>();
    List<String> accepted = new ArrayList<>();
    for (MqttTopicSubscription sub : m.topicSubscriptions()) {
      if (!Topics.allowed(s.keyId, sub.topicName())) {
        refusedSubscriptions.incrementAndGet();
        codes.add(v5 ? MqttSubAckReasonCode.NOT_AUTHORIZED : MqttSubAckReasonCode.UNSPECIFIED_ERROR);
        continue;
      }
      MqttQoS granted = sub.qualityOfService() == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE;
      s.subscriptions.put(sub.topicName(), granted);
      accepted.add(sub.topicName());
      codes.add(granted == MqttQoS.AT_MOST_ONCE ? MqttSubAckReasonCode.GRANTED_QOS0 : MqttSubAckReasonCode.GRANTED_QOS1);
    }
    ep.subscribeAcknowledge(m.messageId(), codes, MqttProperties.NO_PROPERTIES);
    updateLive(s);
    if (accepted.isEmpty()) {
      return;
    }
    String keyId = s.keyId;
    ctx.<List<StoredEvent>>executeBlocking(() -> events.latestPerJob(keyId, options.maxRetainedOnSubscribe()), false)
        .onSuccess(latest -> {
          if (s.endpoint != ep) {
            return;
          }
          for (StoredEvent e : latest) {
            MqttQoS q = null;
            for (String f : accepted) {
              if (Topics.matches(f, keyId, e.jobId())) {
                MqttQoS g = s.subscriptions.get(f);
                q = q == null || (g != null && g.value() > q.value()) ? g : q;
              }
            }
            if (q != null) {
              publish(ep, Topics.jobTopic(keyId, e.jobId()), payload(e), MqttQoS.AT_MOST_ONCE, false, true, -1);
            }
          }
        })
        .onFailure(x -> LOG.log(Level.WARNING, "mqtt: retained messages unavailable", x));
  }

  private void refusePublish(MqttEndpoint ep, MqttPublishMessage m) {
    refusedPublishes.incrementAndGet();
    boolean v5 = ep.protocolVersion() == 5;
    if (m.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
      if (v5) {
        ep.publishAcknowledge(m.messageId(), MqttPubAckReasonCode.NOT_AUTHORIZED, MqttProperties.NO_PROPERTIES);
      } else {
        // MQTT 3.1.1 has no negative PUBACK: acknowledge and drop, as the spec allows (3.3.5).
        ep.publishAcknowledge(m.messageId());
      }
    } else if (m.qosLevel() == MqttQoS.EXACTLY_ONCE) {
      if (v5) {
        ep.publishReceived(m.messageId(), MqttPubRecReasonCode.NOT_AUTHORIZED, MqttProperties.NO_PROPERTIES);
      } else {
        ep.publishReceived(m.messageId());
      }
    }
  }

  private void deliver(StoredEvent e) {
    List<Session> l = byKey.get(e.keyId());
    if (l == null) {
      return;
    }
    String topic = Topics.jobTopic(e.keyId(), e.jobId());
    Buffer payload = payload(e);
    for (Session s : l) {
      MqttQoS q = s.qosFor(e.jobId());
      if (q == null) {
        continue;
      }
      if (q == MqttQoS.AT_MOST_ONCE) {
        if (s.connected()) {
          if (publish(s.endpoint, topic, payload, MqttQoS.AT_MOST_ONCE, false, false, -1)) {
            delivered.incrementAndGet();
          }
        }
        continue;
      }
      queuedDropped.addAndGet(s.enqueue(new Session.Pending(topic, payload, e.eventId()), options.maxQueued()));
      drain(s);
    }
  }

  private void drain(Session s) {
    while (s.connected() && !s.queue.isEmpty() && s.inflight.size() < options.maxInflight()) {
      Session.Pending p = s.queue.removeFirst();
      int id = s.nextMessageId();
      s.inflight.put(id, p);
      // If the connection is already gone, the message stays in flight and is resent on reconnect.
      if (!publish(s.endpoint, p.topic(), p.payload(), MqttQoS.AT_LEAST_ONCE, false, false, id)) {
        return;
      }
    }
  }

  /**
   * Publishes unless the connection closed under us (its close handler has not run yet); returns
   * whether it was written.
   */
  private static boolean publish(MqttEndpoint ep, String topic, Buffer payload, MqttQoS qos, boolean dup,
      boolean retain, int messageId) {
    if (!ep.isConnected()) {
      return false;
    }
    try {
      if (messageId < 0) {
        ep.publish(topic, payload, qos, dup, retain);
      } else {
        ep.publish(topic, payload, qos, dup, retain, messageId);
      }
      return true;
    } catch (IllegalStateException | IllegalArgumentException closed) {
      return false;
    }
  }

  private void acked(Session s, MqttEndpoint ep, int messageId) {
    if (s.endpoint != ep) {
      return;
    }
    Session.Pending p = s.inflight.remove(messageId);
    if (p == null) {
      return;
    }
    delivered.incrementAndGet();
    if (push != null) {
      push.acknowledged(s.keyId, p.eventId());
    }
    drain(s);
  }

  private static Buffer payload(StoredEvent e) {
    return Buffer.buffer(e.toJson().getBytes(StandardCharsets.UTF_8));
  }

  public Future<Void> close() {
    Promise<Void> p = Promise.promise();
    ctx.runOnContext(v -> {
      if (sweepTimer >= 0) {
        vertx.cancelTimer(sweepTimer);
      }
      fanoutSubs.values().forEach(Runnable::run);
      fanoutSubs.clear();
      List<Future<Void>> fs = new ArrayList<>();
      for (Iterator<MqttServer> it = servers.iterator(); it.hasNext();) {
        fs.add(it.next().close());
        it.remove();
      }
      Future.all(fs).<Void>mapEmpty().onComplete(p);
    });
    return p.future();
  }
}
