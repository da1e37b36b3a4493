package tech.infernet.agent.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tech.infernet.agent.config.AgentConfig;
import tech.infernet.agent.config.ConfigLoader;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.jobs.RunnerKind;
import tech.infernet.agent.jobs.SpecParser;
import tech.infernet.agent.runner.ContainerRunner;
import tech.infernet.agent.store.Store;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.protocol.message.AgentInfo;

/**
 * One agent process's worth of real parts over a state dir: SQLite store, engine with the Podman
 * runner on the default config, and the NKN face on the test devnet (burst 10, so the rate limit
 * is reachable in a test). Closing stops them in order; the state stays for a restart.
 */
final class TestAgent implements AutoCloseable {
  final Store store;
  final JobEngine engine;
  final NknFace face;

  TestAgent(Path dir, NknDevnet devnet, byte[] seed) throws Exception {
    this(dir, devnet, seed, List.of());
  }

  /** An agent that works with the given relays (NKN addresses of carriers). */
  TestAgent(Path dir, NknDevnet devnet, byte[] seed, List<String> relays) throws Exception {
    AgentConfig cfg = ConfigLoader.load(null, dir, Map.of());
    store = Store.open(dir.resolve("agent.db"), 2);
    engine = new JobEngine(store, cfg.policy(), new SpecParser(),
        Map.of(RunnerKind.CONTAINER, new ContainerRunner(cfg.containerConfig("podman"))), cfg.engineConfig());
    engine.start();
    FaceConfig faceConfig = new FaceConfig(List.of(devnet.seedRpcAddress()), "agent", dir, 20, 10, 8, 1 << 20,
        Duration.ofMillis(200), relays);
    face = NknFace.start(engine, seed, faceConfig, () -> new AgentInfo("x", "test", List.of(1), List.of("container"),
        2, 1024, List.of(), List.of(), 1 << 20, 0, 0));
  }

  @Override
  public void close() {
    face.close();
    engine.close();
    store.close();
  }
}
