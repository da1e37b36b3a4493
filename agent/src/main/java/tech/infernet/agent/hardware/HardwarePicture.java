package tech.infernet.agent.hardware;

import java.util.List;

/** Everything the probes found on this machine, each part a value or the reason there is none. */
public record HardwarePicture(Probed<Cpu> cpu, Probed<Memory> memory, Probed<List<Disk>> disks,
                              Probed<OsInfo> os, Probed<Containers> containers, Probed<GpuSet> gpus,
                              Probed<Jetson> jetson, long takenAtMillis, long tookMillis) {

  /** GPUs found, or none. */
  public List<Gpu> gpuList() {
    GpuSet s = gpus.orNull();
    return s == null ? List.of() : s.gpus();
  }
}
