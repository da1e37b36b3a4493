package tech.infernet.agent.hardware;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Takes the hardware picture. Each external program runs with the host's command timeout, JCuda
 * with its own, so a hanging or garbage-printing probe costs at most its timeout and degrades to
 * "unavailable". {@link #probeAsync} does it off the caller's thread so agent start never waits.
 */
public final class HardwareProbe {
  private HardwareProbe() {}

  public static HardwarePicture probe(Host host, boolean useJCuda) {
    long t0 = System.nanoTime();
    Probed<Cpu> cpu = Probed.guard("cpu probe", () -> Cpu.probe(host));
    Probed<Memory> mem = Probed.guard("memory probe", () -> Memory.probe(host));
    Probed<List<Disk>> disks = Probed.guard("disk probe", () -> Disk.probe(host));
    Probed<OsInfo> os = Probed.guard("os probe", () -> OsInfo.probe(host));
    Probed<Containers> containers = Probed.guard("container probe", () -> Containers.probe(host));
    Probed<Jetson> jetson = Probed.guard("jetson probe", () -> Jetson.probe(host));
    Probed<GpuSet> gpus = Probed.guard("gpu probe",
        () -> GpuProbe.probe(host, jetson, mem, useJCuda, Duration.ofSeconds(30)));
    return new HardwarePicture(cpu, mem, disks, os, containers, gpus, jetson, System.currentTimeMillis(),
        (System.nanoTime() - t0) / 1_000_000);
  }

  public static CompletableFuture<HardwarePicture> probeAsync(Host host, boolean useJCuda) {
    CompletableFuture<HardwarePicture> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(probe(host, useJCuda));
      } catch (RuntimeException | Error e) {
        f.completeExceptionally(e);
      }
    }, "infernet-hardware-probe");
    t.setDaemon(true);
    t.start();
    return f;
  }
}
