package tech.infernet.agent.config;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import tech.infernet.agent.engine.EngineConfig;
import tech.infernet.agent.jobs.AdmissionPolicy;
import tech.infernet.agent.jobs.Limits;
import tech.infernet.agent.jobs.RunnerKind;
import tech.infernet.agent.runner.ContainerConfig;

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
    long logBytesPerJob) {

  public AgentConfig {
    ulimits = List.copyOf(ulimits);
    allowedImages = List.copyOf(allowedImages);
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
        allowedImages, allowNetwork, inlineResultMax, resultMax, logBytesPerJob);
  }

  public AdmissionPolicy policy() {
    return new AdmissionPolicy(maxLimits, defaultLimits, allowedImages, allowNetwork, gpuCount > 0,
        EnumSet.of(RunnerKind.CONTAINER));
  }

  public EngineConfig engineConfig() {
    return new EngineConfig(maxConcurrent, gpuCount, maxPerGpu, maxQueued, stateDir.resolve("work"),
        stateDir.resolve("results"), inlineResultMax, resultMax, logBytesPerJob);
  }

  public ContainerConfig containerConfig(String resolvedEngine) {
    return new ContainerConfig(resolvedEngine, resolvedEngine, runtime, gpuMode, ulimits, pullPolicy, tmpfsMb);
  }
}
