package tech.infernet.agent.hardware;

import java.util.List;

/**
 * The GPUs of this machine and where the answer came from ("jcuda", "nvidia-smi" or "jetson"),
 * with what each source in the chain said ("jcuda: unavailable, because ...").
 */
public record GpuSet(String source, List<Gpu> gpus, List<String> attempts) {
  public GpuSet {
    gpus = List.copyOf(gpus);
    attempts = List.copyOf(attempts);
  }
}
