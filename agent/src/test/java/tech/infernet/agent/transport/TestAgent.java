package tech.infernet.agent.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tech.infernet.agent.config.AgentConfig;
import tech.infernet.agent.config.ConfigLoader;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.jobs.AdmissionPolicy;
import tech.infernet.agent.jobs.RunnerKind;
import tech.infernet.agent.jobs.SpecParser;
import tech.infernet.agent.runner.ContainerRunner;
import tech.infernet.agent.runner.InferenceRunner;
import tech.infernet.agent.runner.Runner;
import tech.infernet.agent.store.Store;
import tech.infernet.client.NknAgentClient;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.message.Role;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.protocol.message.AgentInfo;

/**
 * One agent process's worth of real parts over a state dir: SQLite store, engine with the Podman
 * runner on the default config (plus an inference runner when given one), and the NKN face on the
 * test devnet (burst 10, so the rate limit is reachable in a test). Closing stops them in order;
 * the state stays for a restart.
 */
final class TestAgent implements AutoCloseable {
  final Store store;
  final JobEngine engine;
  final NknFace face;
  private final NknDevnet devnet;
  private final List<AutoCloseable> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

  TestAgent(Path dir, NknDevnet devnet, byte[] seed) throws Exception {
    this(dir, devnet, seed, List.of());
  }

  /** An agent that works with the given relays (NKN addresses of carriers). */
  TestAgent(Path dir, NknDevnet devnet, byte[] seed, List<String> relays) throws Exception {
    this(dir, devnet, seed, relays, null);
  }

  /**
   * An agent that works with the given relays and, when {@code inference} is not null, also runs
   * inference jobs through it (the inference runner enabled in its admission policy).
   */
  TestAgent(Path dir, NknDevnet devnet, byte[] seed, List<String> relays, InferenceRunner inference)
      throws Exception {
    this.devnet = devnet;
    AgentConfig cfg = ConfigLoader.load(null, dir, Map.of());
    Map<RunnerKind, Runner> runners = new EnumMap<>(RunnerKind.class);
    runners.put(RunnerKind.CONTAINER, new ContainerRunner(cfg.containerConfig("podman")));
    if (inference != null) {
      runners.put(RunnerKind.INFERENCE, inference);
    }
    AdmissionPolicy p = cfg.policy();
    AdmissionPolicy policy = new AdmissionPolicy(p.max(), p.defaults(), p.allowedImages(), p.allowNetwork(),
        p.gpuAvailable(), runners.keySet(), p.allowedCommands());
    store = Store.open(dir.resolve("agent.db"), 2);
    engine = new JobEngine(store, policy, new SpecParser(), runners, cfg.engineConfig());
    engine.start();
    FaceConfig faceConfig = new FaceConfig(List.of(devnet.seedRpcAddress()), "agent", dir, 20, 10, 8, 1 << 20,
        Duration.ofMillis(200), relays);
    List<String> kinds = runners.keySet().stream().map(RunnerKind::wireName).toList();
    face = NknFace.start(engine, seed, faceConfig, () -> new AgentInfo("x", "test", List.of(1), kinds,
        2, 1024, List.of(), List.of(), 1 << 20, 0, 0));
  }

  /** A new agent with a fresh random identity. */
  static TestAgent fresh(Path dir, NknDevnet devnet) throws Exception {
    byte[] seed = new byte[32];
    new java.security.SecureRandom().nextBytes(seed);
    return new TestAgent(dir, devnet, seed);
  }

  /** Options for a test client on the same devnet (20 s for a reply). */
  NknClientOptions clientOptions() {
    return NknClientOptions.builder(devnet.seedRpcAddress()).replyTimeout(Duration.ofSeconds(20)).build();
  }

  /** A client with this key, which the agent lists with role (none when null); closed with the agent. */
  NknAgentClient client(KeyPair key, Role role) {
    if (role != null) {
      store.aclPut(HexFormat.of().formatHex(key.publicKey()), role.wireName()).join();
    }
    NknAgentClient client = NknAgentClient.connect(key, clientOptions());
    clients.add(client);
    return client;
  }

  /** A peer that sends hand-made envelopes and frames to this agent; closed with the agent. */
  RawPeer raw(KeyPair key) {
    RawPeer peer = new RawPeer(key, clientOptions(), face.address());
    clients.add(peer.nkn);
    return peer;
  }

  /** The agent's public key (the recipient of envelopes to it). */
  byte[] publicKey() {
    return HexFormat.of().parseHex(tech.infernet.client.SecureChannel.publicKeyOf(face.address()));
  }

  @Override
  public void close() {
    for (AutoCloseable c : clients) {
      try {
        c.close();
      } catch (Exception e) {
        // closing anyway
      }
    }
    face.close();
    engine.close();
    store.close();
  }
}
