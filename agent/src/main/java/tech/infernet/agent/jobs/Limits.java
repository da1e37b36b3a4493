package tech.infernet.agent.jobs;

/**
 * Resource limits of a job. In a submitted spec a zero means "use the agent's default";
 * after admission every field is set.
 */
public record Limits(int memoryMb, double cpus, int pids, int timeoutSeconds) {
  public static final Limits UNSET = new Limits(0, 0, 0, 0);

  public Limits {
    if (memoryMb < 0 || cpus < 0 || pids < 0 || timeoutSeconds < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
  }

  public Limits withDefaults(Limits defaults) {
    return new Limits(
        memoryMb == 0 ? defaults.memoryMb : memoryMb,
        cpus == 0 ? defaults.cpus : cpus,
        pids == 0 ? defaults.pids : pids,
        timeoutSeconds == 0 ? defaults.timeoutSeconds : timeoutSeconds);
  }
}
