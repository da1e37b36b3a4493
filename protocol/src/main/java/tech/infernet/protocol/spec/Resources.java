package tech.infernet.protocol.spec;

/**
 * What a job asks for. Zero means "the agent's default" for memory, CPUs and timeout, and "none"
 * for GPUs and GPU memory.
 *
 * @param memoryMb memory limit in MiB
 * @param cpus CPU limit (fractions allowed)
 * @param gpus GPUs the job needs
 * @param vramMb smallest GPU memory per GPU the job needs, in MiB
 */
public record Resources(int memoryMb, double cpus, int gpus, int vramMb) {
  public static final Resources DEFAULT = new Resources(0, 0, 0, 0);

  public Resources {
    if (memoryMb < 0 || !(cpus >= 0) || gpus < 0 || vramMb < 0) {
      throw new IllegalArgumentException("resources must not be negative");
    }
  }
}
