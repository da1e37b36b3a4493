package tech.infernet.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import tech.infernet.agent.engine.EngineConfig;
import tech.infernet.agent.jobs.AdmissionPolicy;
import tech.infernet.agent.jobs.Limits;
import tech.infernet.agent.jobs.RunnerKind;
import tech.infernet.agent.runner.ContainerConfig;
import tech.infernet.agent.runner.InferenceConfig;

/** The agent's validated, immutable configuration. Built by {@link ConfigLoader}. */
public record AgentConfig(
    Path stateDir,
    String apiHost,
    int apiPort,
    String engine,
    String runtime,
    String gpuMode,
    List<String> ulimits,
    String pullPolicy,
    int tmpfsMb,
    int maxConcurrent,
    int gpuCount,
    int maxPerGpu,
    int maxQueued,
    Limits maxLimits,
    Limits defaultLimits,
    List<String> allowedImages,
    boolean allowNetwork,
    long inlineResultMax,
    long resultMax,
    long logBytesPerJob,
    String inferenceUrl,
    String inferenceApiKey,
    long inferenceMaxResponseBytes,
    int tokenFlushMillis,
    boolean processEnabled,
    List<String> processAllowedCommands,
    NknSettings nkn) {

  /** The nkn.* keys. */
  public record NknSettings(boolean enabled, List<String> seedRpc, String identifier, double requestsPerSecond,
      int burst, int maxActiveJobsPerKey, List<String> relays) {
    public NknSettings {
      seedRpc = List.copyOf(seedRpc);
      relays = List.copyOf(relays);
    }
  }

  public AgentConfig {
    ulimits = List.copyOf(ulimits);
    allowedImages = List.copyOf(allowedImages);
    processAllowedCommands = List.copyOf(processAllowedCommands);
  }

  public Path database() {
    return stateDir.resolve("agent.db");
  }

  public Path identityFile() {
    return stateDir.resolve("identity.key");
  }

  public AgentConfig withApiPort(int port) {
    return new AgentConfig(stateDir, apiHost, port, engine, runtime, gpuMode, ulimits, pullPolicy,
        tmpfsMb, maxConcurrent, gpuCount, maxPerGpu, maxQueued, maxLimits, defaultLimits,
        allowedImages, allowNetwork, inlineResultMax, resultMax, logBytesPerJob, inferenceUrl,
        inferenceApiKey, inferenceMaxResponseBytes, tokenFlushMillis, processEnabled,
        processAllowedCommands, nkn);
  }

  /** The runners jobs may ask for: containers always, the others when configured. */
  public Set<RunnerKind> enabledRunners() {
    Set<RunnerKind> s = EnumSet.of(RunnerKind.CONTAINER);
    if (!inferenceUrl.isEmpty()) {
      s.add(RunnerKind.INFERENCE);
    }
    if (processEnabled) {
      s.add(RunnerKind.PROCESS);
    }
    return s;
  }

  public InferenceConfig inferenceConfig() {
    return new InferenceConfig(URI.create(inferenceUrl), inferenceApiKey, Duration.ofSeconds(5),
        Duration.ofSeconds(5), inferenceMaxResponseBytes, tokenFlushMillis);
  }

  public AdmissionPolicy policy() {
    return new AdmissionPolicy(maxLimits, defaultLimits, allowedImages, allowNetwork, gpuCount > 0,
        enabledRunners(), processAllowedCommands);
  }

  public EngineConfig engineConfig() {
    return new EngineConfig(maxConcurrent, gpuCount, maxPerGpu, maxQueued, stateDir.resolve("work"),
        stateDir.resolve("results"), inlineResultMax, resultMax, logBytesPerJob);
  }

  public ContainerConfig containerConfig(String resolvedEngine) {
    return new ContainerConfig(resolvedEngine, resolvedEngine, runtime, gpuMode, ulimits, pullPolicy,
        tmpfsMb, instance());
  }

  /** This agent's container label value: derived from its state directory (one agent per dir). */
  public String instance() {
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256")
          .digest(stateDir.toAbsolutePath().normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "sd-" + java.util.HexFormat.of().formatHex(h, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
