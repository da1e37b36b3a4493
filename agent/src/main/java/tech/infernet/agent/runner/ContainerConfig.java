package tech.infernet.agent.runner;

import java.util.List;

/**
 * How the container runner calls the engine.
 *
 * @param engine podman or docker
 * @param binary path or name of the engine's CLI
 * @param runtime OCI runtime to ask for (e.g. runc), or empty for the engine's default
 * @param gpuMode none, cdi (Podman: --device nvidia.com/gpu=N), docker (--gpus device=N) or
 *     jetson (--runtime nvidia)
 * @param ulimits --ulimit values, kept below the host's hard limits
 * @param pullPolicy missing (pull when absent), always, or never
 * @param tmpfsMb size of the writable /tmp tmpfs
 * @param instance which agent the containers belong to (label {@code infernet.agent}); an agent
 *     recovers and reaps only its own containers, so two agents (or test runs) on one host leave
 *     each other's alone
 */
public record ContainerConfig(
    String engine,
    String binary,
    String runtime,
    String gpuMode,
    List<String> ulimits,
    String pullPolicy,
    int tmpfsMb,
    String instance) {

  public ContainerConfig {
    ulimits = List.copyOf(ulimits);
    if (!instance.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("bad instance label: " + instance);
    }
  }

  public ContainerConfig(String engine, String binary, String runtime, String gpuMode,
      List<String> ulimits, String pullPolicy, int tmpfsMb) {
    this(engine, binary, runtime, gpuMode, ulimits, pullPolicy, tmpfsMb, "default");
  }

  public static ContainerConfig podmanDefaults() {
    return podmanDefaults("default");
  }

  public static ContainerConfig podmanDefaults(String instance) {
    return new ContainerConfig("podman", "podman", "runc", "none",
        List.of("nofile=1024:1024", "nproc=4096:4096"), "missing", 64, instance);
  }

  boolean isPodman() {
    return engine.equals("podman");
  }
}
