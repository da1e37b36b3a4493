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
 */
public record ContainerConfig(
    String engine,
    String binary,
    String runtime,
    String gpuMode,
    List<String> ulimits,
    String pullPolicy,
    int tmpfsMb) {

  public ContainerConfig {
    ulimits = List.copyOf(ulimits);
  }

  public static ContainerConfig podmanDefaults() {
    return new ContainerConfig("podman", "podman", "runc", "none",
        List.of("nofile=1024:1024", "nproc=4096:4096"), "missing", 64);
  }

  boolean isPodman() {
    return engine.equals("podman");
  }
}
