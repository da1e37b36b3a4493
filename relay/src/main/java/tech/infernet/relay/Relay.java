package tech.infernet.relay;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;
import tech.infernet.client.SecureChannel;
import tech.infernet.mobile.MobileApi;
import tech.infernet.mobile.push.FcmPushSender;
import tech.infernet.mobile.push.PushSender;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.protocol.FileReplayCache;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.Receiver;
import tech.infernet.relay.transport.AgentProbe;
import tech.infernet.relay.transport.CarriedEvents;
import tech.infernet.relay.transport.NknCarrier;
import tech.infernet.relay.transport.NknLink;

/**
 * One relay: the mobile API for phones (REST, SSE, MQTT, push) and, behind it, an NKN client
 * with the relay's own key that carries phones' envelopes to their agents, takes the events
 * agents hand back, and probes linked agents. Its state (key, token secret, SQLite database,
 * replay cache) lives in the state directory.
 */
public final class Relay implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Relay.class.getName());
  private static final int MAX_ENVELOPE_BYTES = 1 << 20;

  private final Vertx vertx;
  private final MobileApi api;
  private final NknLink nkn;
  private final CarriedEvents events;
  private final AgentProbe probe;
  private final FileReplayCache replays;
  private boolean ownsVertx;

  private Relay(Vertx vertx, MobileApi api, NknLink nkn, CarriedEvents events, AgentProbe probe,
      FileReplayCache replays) {
    this.vertx = vertx;
    this.api = api;
    this.nkn = nkn;
    this.events = events;
    this.probe = probe;
    this.replays = replays;
  }

  /** The relay's NKN address (what agents name in {@code nkn.relays}), from the key in stateDir. */
  public static String address(RelayConfig cfg) throws IOException {
    return new NknLink(identitySeed(cfg), nknOptions(cfg)).address();
  }

  /** Starts with push from the config (off without FCM credentials). */
  public static Relay start(RelayConfig cfg) throws IOException {
    PushSender push = pushFromConfig(cfg);
    Vertx vertx = Vertx.vertx();
    try {
      Relay relay = start(vertx, cfg, push);
      relay.ownsVertx = true;
      return relay;
    } catch (IOException | RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /**
   * Starts the relay: REST and MQTT listen at once; NKN joins in the background (phones' requests
   * are answered 503 until it has). {@code push} may be null: push off, and the log says so.
   */
  public static Relay start(Vertx vertx, RelayConfig cfg, PushSender push) throws IOException {
    Files.createDirectories(cfg.stateDir());
    byte[] seed = identitySeed(cfg);
    KeyPair identity = KeyPair.fromSeed(seed);
    NknLink nkn = new NknLink(seed, nknOptions(cfg));
    byte[] secret = MobileApi.loadOrCreateSecret(cfg.stateDir().resolve("mobile.secret"));
    MobileApi.Options options = MobileApi.Options.defaults(cfg.stateDir().resolve("relay.db"), nkn.address(), secret)
        .withPorts(cfg.host(), cfg.httpPort(), cfg.mqttPort(), cfg.mqttWsPort());
    FileReplayCache replays = FileReplayCache.open(cfg.stateDir().resolve("replays.bin"), 100_000);
    NknCarrier carrier = new NknCarrier(nkn);
    MobileApi api;
    try {
      api = MobileApi.start(vertx, options, carrier, push, alert -> LOG.severe("operator: " + alert)).await();
    } catch (RuntimeException e) {
      replays.close();
      throw e;
    }
    carrier.attach(api.agentLinks());
    SecureChannel channel = new SecureChannel(identity, replays, Clock.systemUTC(),
        new Receiver.Options(Duration.ofSeconds(120), MAX_ENVELOPE_BYTES));
    CarriedEvents events = new CarriedEvents(channel, api, MAX_ENVELOPE_BYTES);
    nkn.onMessage(events::accept);
    nkn.start();
    AgentProbe probe = new AgentProbe(nkn, channel, api.agentLinks());
    probe.start(cfg.probeInterval());
    LOG.info("relay ready: REST http://" + cfg.host() + ":" + api.httpPort()
        + (api.mqttPort() > 0 ? ", MQTT tcp://" + cfg.host() + ":" + api.mqttPort() : "")
        + (api.mqttWebSocketPort() > 0 ? ", MQTT ws://" + cfg.host() + ":" + api.mqttWebSocketPort() + "/mqtt" : "")
        + ", NKN address " + nkn.address() + (push == null ? ", push off (no FCM credentials configured)" : ", push on"));
    return new Relay(vertx, api, nkn, events, probe, replays);
  }

  private static byte[] identitySeed(RelayConfig cfg) throws IOException {
    // 32 random bytes, mode 600, created on first start: the relay's Ed25519 seed (its NKN identity).
    return MobileApi.loadOrCreateSecret(cfg.stateDir().resolve("relay.key"));
  }

  private static NknClientOptions nknOptions(RelayConfig cfg) {
    return NknClientOptions.builder(cfg.seedRpc()).identifier(cfg.identifier()).build();
  }

  private static PushSender pushFromConfig(RelayConfig cfg) throws IOException {
    if (cfg.fcmCredentials() == null) {
      return null;
    }
    try (InputStream in = Files.newInputStream(cfg.fcmCredentials())) {
      FirebaseOptions options = FirebaseOptions.builder().setCredentials(GoogleCredentials.fromStream(in)).build();
      return new FcmPushSender(FirebaseApp.initializeApp(options, "infernet-relay"), Duration.ofHours(1));
    } catch (IOException | RuntimeException e) {
      throw new IOException("--fcm-credentials " + cfg.fcmCredentials() + ": not a Firebase service-account key ("
          + e.getMessage() + ")", e);
    }
  }

  public String address() {
    return nkn.address();
  }

  /** True once the relay has joined NKN. */
  public boolean onNkn() {
    return nkn.client().isPresent();
  }

  public int httpPort() {
    return api.httpPort();
  }

  public int mqttPort() {
    return api.mqttPort();
  }

  public MobileApi api() {
    return api;
  }

  @Override
  public void close() {
    probe.close();
    api.close();
    events.close();
    nkn.close();
    try {
      replays.close();
    } catch (IOException e) {
      LOG.warning("replay cache close: " + e.getMessage());
    }
    if (ownsVertx) {
      vertx.close().await();
    }
  }
}
