package tech.infernet.mobile;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.logging.Logger;
import tech.infernet.mobile.agents.AgentLinks;
import tech.infernet.mobile.auth.Challenges;
import tech.infernet.mobile.auth.Revocations;
import tech.infernet.mobile.auth.TokenService;
import tech.infernet.mobile.events.EventFanout;
import tech.infernet.mobile.events.EventLog;
import tech.infernet.mobile.events.StoredEvent;
import tech.infernet.mobile.mqtt.MqttEndpointServer;
import tech.infernet.mobile.mqtt.MqttOptions;
import tech.infernet.mobile.push.LiveChannels;
import tech.infernet.mobile.push.PushDispatcher;
import tech.infernet.mobile.push.PushSender;
import tech.infernet.mobile.push.PushTokens;
import tech.infernet.mobile.rest.EnvelopeForwarder;
import tech.infernet.mobile.rest.RestApi;
import tech.infernet.mobile.store.Database;

/**
 * The mobile API as one piece, for the relay to host: opens the SQLite file, wires auth, the
 * event log, push, REST and MQTT, and starts the listeners. The relay feeds agent events in with
 * {@link #ingest} and implements {@link EnvelopeForwarder} to carry phones' envelopes to agents.
 */
public final class MobileApi implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MobileApi.class.getName());

  /** Everything configurable; {@link #defaults} gives working values. */
  public record Options(Path database, String relayId, byte[] secret, String host, int httpPort,
      Duration accessTtl, Duration refreshTtl, Duration eventRetention, int maxEnvelopeBytes,
      RestApi.Options rest, MqttOptions mqtt, PushDispatcher.Options push, Duration pushTokenStaleAfter,
      Duration maintenanceEvery) {
    public static Options defaults(Path database, String relayId, byte[] secret) {
      return new Options(database, relayId, secret, "127.0.0.1", 0, Duration.ofMinutes(15), Duration.ofDays(30),
          Duration.ofDays(7), 256 * 1024, RestApi.Options.defaults(), MqttOptions.defaults(),
          PushDispatcher.Options.defaults(), Duration.ofDays(30), Duration.ofHours(1));
    }

    public Options withPorts(String host, int httpPort, int mqttPort, int mqttWsPort) {
      return new Options(database, relayId, secret, host, httpPort, accessTtl, refreshTtl, eventRetention,
          maxEnvelopeBytes, rest, mqtt.withPorts(host, mqttPort, mqttWsPort), push, pushTokenStaleAfter,
          maintenanceEvery);
    }
  }

  private final Vertx vertx;
  private final Database db;
  private final Challenges challenges;
  private final TokenService tokens;
  private final Revocations revocations;
  private final EventLog events;
  private final PushTokens pushTokens;
  private final AgentLinks agentLinks;
  private final PushDispatcher push;
  private final LiveChannels live = new LiveChannels();
  private final Options options;
  private HttpServer http;
  private MqttEndpointServer mqtt;
  private long maintenanceTimer = -1;

  private MobileApi(Vertx vertx, Options o, PushSender sender, Consumer<String> operatorAlert) throws SQLException {
    this.vertx = vertx;
    this.options = o;
    Clock clock = Clock.systemUTC();
    this.db = Database.open(o.database());
    this.challenges = new Challenges(o.relayId(), o.secret(), clock, Duration.ofMinutes(2), 100_000);
    this.revocations = Revocations.open(db, clock);
    this.tokens = new TokenService(o.secret(), clock, o.accessTtl(), o.refreshTtl(), revocations);
    this.events = EventLog.open(db, clock, o.eventRetention(), o.maxEnvelopeBytes());
    this.pushTokens = PushTokens.open(db, clock, 8);
    this.agentLinks = AgentLinks.open(db, clock, 32);
    if (sender != null) {
      this.push = new PushDispatcher(pushTokens, sender, live, o.push(), operatorAlert);
      events.subscribeStatusChanges(push::onEvent);
    } else {
      this.push = null;
      LOG.warning("push is off: no FCM credentials configured; phones get events over SSE and MQTT only");
    }
  }

  /**
   * Opens the database and starts REST and MQTT. {@code pushSender} may be null: push is then
   * off (and the log says so).
   */
  public static Future<MobileApi> start(Vertx vertx, Options o, EnvelopeForwarder forwarder, PushSender pushSender,
      Consumer<String> operatorAlert) {
    MobileApi api;
    try {
      api = new MobileApi(vertx, o, pushSender, operatorAlert);
    } catch (SQLException e) {
      return Future.failedFuture(e);
    }
    EventFanout fanout = EventFanout.attach(api.events);
    RestApi rest = new RestApi(vertx, o.rest(), Clock.systemUTC(), api.challenges, api.tokens, api.events, fanout,
        api.pushTokens, api.push, api.live, api.agentLinks, forwarder);
    HttpServerOptions ho = new HttpServerOptions().setHost(o.host()).setPort(o.httpPort())
        .setMaxHeaderSize(8192).setMaxInitialLineLength(8192).setIdleTimeout(0);
    api.mqtt = new MqttEndpointServer(vertx, o.mqtt(), api.tokens, api.events, fanout, api.live, api.push);
    api.maintenanceTimer = vertx.setPeriodic(o.maintenanceEvery().toMillis(), id -> api.maintain());
    return vertx.createHttpServer(ho).requestHandler(rest.router()).listen()
        .compose(s -> {
          api.http = s;
          return api.mqtt.start();
        })
        .map(v -> api)
        .onFailure(t -> api.closeAsync());
  }

  /** An agent's event for the phone {@code keyId}: stored, then sent live (MQTT, SSE) and pushed as needed. */
  public CompletableFuture<StoredEvent> ingest(String keyId, String jobId, String status, byte[] sealedEnvelope) {
    return events.append(keyId, jobId, status, sealedEnvelope);
  }

  public int httpPort() {
    return http.actualPort();
  }

  public int mqttPort() {
    return mqtt.tcpPort();
  }

  public int mqttWebSocketPort() {
    return mqtt.webSocketPort();
  }

  public EventLog events() {
    return events;
  }

  /** The agents each phone linked, with their reachability (the relay records what it sees). */
  public AgentLinks agentLinks() {
    return agentLinks;
  }

  /**
   * Like {@link #ingest(String, String, String, byte[])}, stored once per {@code origin} (an
   * agent's re-sent event: agent key, job id and sequence).
   */
  public CompletableFuture<StoredEvent> ingest(String keyId, String jobId, String status, byte[] sealedEnvelope,
      String origin) {
    return events.append(keyId, jobId, status, sealedEnvelope, origin);
  }

  public PushTokens pushTokens() {
    return pushTokens;
  }

  /** Null when push is off. */
  public PushDispatcher push() {
    return push;
  }

  public TokenService tokens() {
    return tokens;
  }

  public MqttEndpointServer mqtt() {
    return mqtt;
  }

  /** Prunes old events, expired revocations and stale push tokens. */
  public CompletableFuture<Void> maintain() {
    return CompletableFuture.allOf(events.prune(), revocations.purge(),
        pushTokens.pruneStale(options.pushTokenStaleAfter()));
  }

  /** Reads a 32-byte secret from {@code file}, creating it (mode 600) on first use. */
  public static byte[] loadOrCreateSecret(Path file) throws IOException {
    if (Files.exists(file)) {
      byte[] b = Files.readAllBytes(file);
      if (b.length != 32) {
        throw new IOException(file + ": expected 32 bytes, found " + b.length);
      }
      return b;
    }
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, b, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return b;
  }

  /** Stops the listeners, then push and the database. */
  public Future<Void> closeAsync() {
    if (maintenanceTimer >= 0) {
      vertx.cancelTimer(maintenanceTimer);
    }
    Future<Void> h = http == null ? Future.succeededFuture() : http.close();
    Future<Void> m = mqtt == null ? Future.succeededFuture() : mqtt.close();
    return Future.join(h, m).<Void>mapEmpty().eventually(() -> vertx.executeBlocking(() -> {
      if (push != null) {
        push.close();
      }
      db.close();
      return null;
    }));
  }

  /** Blocks until closed; not from an event loop. */
  @Override
  public void close() {
    closeAsync().await();
  }
}
