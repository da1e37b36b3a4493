package tech.infernet.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import tech.infernet.agent.app.Agent;
import tech.infernet.agent.config.AgentConfig;
import tech.infernet.agent.config.ConfigLoader;
import tech.infernet.agent.config.Identity;
import tech.infernet.mobile.auth.KeyIds;
import tech.infernet.mobile.push.FcmPushSender;
import tech.infernet.mobile.push.LocalFcmServer;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.protocol.message.JobAccepted;
import tech.infernet.protocol.message.JobSubmit;
import tech.infernet.protocol.message.PairRequest;
import tech.infernet.protocol.message.PairResult;
import tech.infernet.protocol.message.PairingUri;
import tech.infernet.protocol.message.Role;
import tech.infernet.protocol.spec.ContainerJob;
import tech.infernet.protocol.spec.Resources;
import tech.infernet.relay.Relay;
import tech.infernet.relay.RelayConfig;

/**
 * The whole system on one machine, every part real: a relay (push through firebase-admin to a
 * local FCM v1 server), and an agent on the test devnet that names the relay in nkn.relays and
 * runs jobs in Podman. Phones are {@link Phone}s pointed at the relay.
 */
final class Stack implements AutoCloseable {
  static final String IMAGE = "localhost/infernet-busybox:1";
  final Path dir;
  final Vertx vertx = Vertx.vertx();
  final LocalFcmServer fcm = new LocalFcmServer(vertx, true);
  private final RelayConfig relayConfig;
  private final FcmPushSender push = new FcmPushSender(fcm.app("e2e-" + UUID.randomUUID()), Duration.ofHours(1));
  volatile Relay relay;
  final Agent agent;
  final int agentApiPort;

  Stack(NknDevnet devnet, Path dir) throws Exception {
    this.dir = dir;
    Path repo = Path.of(System.getProperty("infernet.repo.dir", ".")).toAbsolutePath();
    while (!Files.exists(repo.resolve("scripts/lib/demo-image.sh"))) {
      repo = repo.getParent(); // run from a module directory, Maven names that as the project dir
    }
    Process image = new ProcessBuilder(repo.resolve("scripts/lib/demo-image.sh").toString()).inheritIO().start();
    assertEquals(0, image.waitFor(), "building the demo image");
    relayConfig = new RelayConfig(dir.resolve("relay"), List.of(devnet.seedRpcAddress()), "relay", "127.0.0.1", 0, 0, -1,
        null, Duration.ofSeconds(2));
    relay = Relay.start(vertx, relayConfig, push);
    agentApiPort = freePort();
    AgentConfig cfg = ConfigLoader.load(null, dir.resolve("agent"), Map.of(
        "INFERNET_AGENT_NKN_SEED_RPC", devnet.seedRpcAddress(),
        "INFERNET_AGENT_NKN_RELAYS", relay.address(),
        "INFERNET_AGENT_API_PORT", Integer.toString(agentApiPort)));
    agent = Agent.start(cfg, Identity.create(cfg.identityFile()));
    awaitOnNkn();
  }

  /** Waits until both the relay and the agent have joined NKN. */
  void awaitOnNkn() throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!(relay.onNkn() && agentStatus().contains("\"connected\":true"))) {
      assertTrue(System.nanoTime() < end, "relay and agent join NKN within 90 s");
      Thread.sleep(250);
    }
  }

  /** Stops the relay process's parts, as a crash or a restart would. */
  void stopRelay() {
    relay.close();
  }

  /** Starts the relay again on the same state (key, secret, database): same NKN address, new ports. */
  void startRelay() throws Exception {
    relay = Relay.start(vertx, relayConfig, push);
    awaitOnNkn();
  }

  String relayBase() {
    return "http://127.0.0.1:" + relay.httpPort();
  }

  /** A phone that logged in, linked the agent and paired with it (role submitter) through the relay. */
  PairedPhone pairedPhone() throws Exception {
    Phone phone = new Phone(relayBase());
    phone.login();
    PairingUri pairing = PairingUri.parse(new JsonObject(agentApi("POST", "/pairings",
        "{\"role\":\"submitter\",\"ttlSeconds\":600}")).getString("uri"));
    byte[] agentKey = HexFormat.of().parseHex(pairing.agentPublicKeyHex());
    String path = "/v1/agents/" + KeyIds.of(agentKey);
    HttpResponse<String> linked = phone.send("PUT", path, new JsonObject().put("address", pairing.agentAddress()).encode());
    assertEquals(200, linked.statusCode(), linked.body());
    PairResult paired = assertInstanceOf(PairResult.class,
        phone.request(path + "/requests", agentKey, new PairRequest("pair-" + UUID.randomUUID(), pairing.secret(), "phone")));
    assertEquals(Role.SUBMITTER, paired.role());
    return new PairedPhone(phone, agentKey, path);
  }

  record PairedPhone(Phone phone, byte[] agentKey, String agentPath) {
    /** Submits a container job running {@code sh -c script}; returns its job id. */
    String submit(String script) throws Exception {
      ContainerJob job = new ContainerJob(IMAGE, List.of("sh", "-c", script), Map.of(), Resources.DEFAULT, 60, false);
      return assertInstanceOf(JobAccepted.class,
          phone.request("/v1/jobs", agentKey, new JobSubmit("submit-" + UUID.randomUUID(), job))).jobId();
    }
  }

  String agentStatus() {
    try {
      return agentApi("GET", "/status", null);
    } catch (Exception e) {
      return "";
    }
  }

  String agentApi(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agentApiPort + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    agent.close();
    relay.close();
    fcm.close();
    vertx.close().await();
  }
}
