package tech.infernet.agent.app;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;
import tech.infernet.agent.api.AdminApi;
import tech.infernet.agent.config.AgentConfig;
import tech.infernet.agent.config.Identity;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.hardware.HardwareMonitor;
import tech.infernet.agent.jobs.RunnerKind;
import tech.infernet.agent.jobs.SpecParser;
import tech.infernet.agent.runner.ContainerRunner;
import tech.infernet.agent.runner.InferenceRunner;
import tech.infernet.agent.runner.ProcessRunner;
import tech.infernet.agent.runner.Runner;
import tech.infernet.agent.store.Store;
import tech.infernet.agent.transport.FaceConfig;
import tech.infernet.agent.transport.NknConnector;
import tech.infernet.protocol.message.AgentInfo;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Wires store, runners, engine and admin API together; {@link #close()} stops them in order. */
public final class Agent implements AutoCloseable {
  public static final String VERSION = "0.1.0-SNAPSHOT";
  private static final Logger LOG = Logger.getLogger(Agent.class.getName());
  private final Store store;
  private final JobEngine engine;
  private final Vertx vertx;
  private final HttpServer server;
  private final HardwareMonitor hardware;
  private final NknConnector nkn;

  private Agent(Store store, JobEngine engine, Vertx vertx, HttpServer server, HardwareMonitor hardware,
      NknConnector nkn) {
    this.nkn = nkn;
    this.store = store;
    this.engine = engine;
    this.vertx = vertx;
    this.server = server;
    this.hardware = hardware;
  }

  public static Agent start(AgentConfig cfg, Identity identity) throws Exception {
    long t0 = System.nanoTime();
    Store store = Store.open(cfg.database(), 4);
    String engineName = cfg.engine().equals("auto") ? ContainerRunner.detectEngine() : cfg.engine();
    Map<String, String> runnerStatus = new LinkedHashMap<>();
    Map<RunnerKind, Runner> runners = new LinkedHashMap<>();
    if (engineName == null) {
      runnerStatus.put("container", "unavailable: neither podman nor docker answers");
    } else {
      ContainerRunner cr = new ContainerRunner(cfg.containerConfig(engineName));
      String why = cr.unavailableReason();
      runnerStatus.put("container", why == null ? "available (" + engineName + ")" : "unavailable: " + why);
      runners.put(RunnerKind.CONTAINER, cr);
    }
    InferenceRunner inference = null;
    if (cfg.inferenceUrl().isEmpty()) {
      runnerStatus.put("inference", "disabled (inference.url not set)");
    } else {
      inference = new InferenceRunner(cfg.inferenceConfig());
      String why = inference.unavailableReason();
      runnerStatus.put("inference", why == null ? "available (" + cfg.inferenceUrl() + ")" : "unavailable: " + why);
      runners.put(RunnerKind.INFERENCE, inference);
    }
    if (cfg.processEnabled()) {
      runners.put(RunnerKind.PROCESS, new ProcessRunner(cfg.engineConfig().workRoot()));
      runnerStatus.put("process", "enabled (commands " + cfg.processAllowedCommands() + ")");
    } else {
      runnerStatus.put("process", "disabled");
    }
    JobEngine engine = new JobEngine(store, cfg.policy(), new SpecParser(), runners, cfg.engineConfig());
    engine.start();
    HardwareMonitor hardware = HardwareMonitor.start(cfg.stateDir()); // background: start never waits for probes
    Vertx vertx = Vertx.vertx();
    AdminApi api = new AdminApi(vertx, engine,
        new AdminApi.StatusInfo(identity.publicKeyHex(), VERSION, runnerStatus));
    api.withHardware(hardware::statusView, hardware::prometheus).withHardwareBenchmark(hardware::rerunBenchmark);
    if (inference != null) {
      api.withInference(inference);
    }
    NknConnector nkn = null;
    if (cfg.nkn().enabled()) {
      AgentConfig.NknSettings s = cfg.nkn();
      FaceConfig face = new FaceConfig(s.seedRpc(), s.identifier(), cfg.stateDir(), s.requestsPerSecond(), s.burst(),
          s.maxActiveJobsPerKey(), 1 << 20, Duration.ofSeconds(2), s.relays());
      nkn = NknConnector.start(engine, identity.seed(), face, () -> agentInfo(cfg, engine));
      api.withNkn(nkn::status, nkn::pair);
    }
    HttpServer server = api.listen(cfg.apiHost(), cfg.apiPort()).await();
    LOG.info("agent ready: api http://" + cfg.apiHost() + ":" + server.actualPort() + " identity "
        + identity.publicKeyHex() + " state " + cfg.stateDir() + " in "
        + (System.nanoTime() - t0) / 1_000_000 + " ms");
    return new Agent(store, engine, vertx, server, hardware, nkn);
  }

  /** What agent.info tells paired clients: nothing secret. */
  private static AgentInfo agentInfo(AgentConfig cfg, JobEngine engine) {
    List<String> runners = cfg.enabledRunners().stream().map(k -> k.name().toLowerCase(Locale.ROOT)).sorted().toList();
    long memoryMb = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getTotalMemorySize() >> 20;
    return new AgentInfo("info", VERSION, List.of(1), runners, Runtime.getRuntime().availableProcessors(), memoryMb,
        List.of(), List.of(), 1 << 20, engine.queued(), engine.running());
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    if (nkn != null) {
      nkn.close();
    }
    server.close().await();
    vertx.close().await();
    engine.close();
    hardware.close();
    store.close();
    LOG.info("agent stopped cleanly");
  }
}
