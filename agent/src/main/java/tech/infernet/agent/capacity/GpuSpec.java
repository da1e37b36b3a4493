package tech.infernet.agent.capacity;

/** One GPU as the planner sees it: its name and the memory CUDA reports as total, in bytes. */
public record GpuSpec(String name, long memoryBytes) {
  public GpuSpec {
    if (memoryBytes <= 0) {
      throw new IllegalArgumentException("GPU memory must be positive");
    }
  }

  public static GpuSpec ofMiB(String name, long mib) {
    return new GpuSpec(name, mib << 20);
  }
}
