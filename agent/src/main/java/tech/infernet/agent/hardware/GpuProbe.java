package tech.infernet.agent.hardware;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds NVIDIA GPUs, taking the first source that answers: JCuda (CUDA driver API), then
 * {@code nvidia-smi} (CSV query, the query without compute_cap for old drivers, then the plain
 * table), then the Jetson files. Each source's answer is kept in {@link GpuSet#attempts()}.
 */
final class GpuProbe {
  private static final ExecutorService CUDA = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "infernet-jcuda-probe");
    t.setDaemon(true);
    return t;
  });
  private static final Pattern NVRM = Pattern.compile("Kernel Module(?: for \\S+)?\\s+(\\d+\\.\\d+(?:\\.\\d+)?)");

  private GpuProbe() {}

  static Probed<GpuSet> probe(Host host, Probed<Jetson> jetson, Probed<Memory> memory, boolean useJCuda,
                              Duration jcudaTimeout) {
    List<String> attempts = new ArrayList<>();
    if (useJCuda) {
      Probed<List<Gpu>> j = jcuda(jcudaTimeout);
      if (j.isOk()) {
        String driver = driverVersion(host);
        List<Gpu> gpus = new ArrayList<>();
        for (Gpu g : j.orNull()) {
          gpus.add(new Gpu(g.index(), g.name(), g.uuid(), g.memoryTotalMiB(), g.memoryFreeMiB(),
              g.computeCapability(), g.multiprocessors(), driver, g.cudaVersion(), g.memorySharedWithCpu()));
        }
        attempts.add("jcuda: " + gpus.size() + " GPU(s)");
        return Probed.ok(new GpuSet("jcuda", gpus, attempts));
      }
      attempts.add("jcuda: unavailable, because " + j.reason());
    } else {
      attempts.add("jcuda: unavailable, because disabled by configuration");
    }
    if (jetson.isOk()) {
      attempts.add("nvidia-smi: skipped, because NVML per-metric queries are not supported on Jetson");
    } else {
      Probed<List<Gpu>> s = nvidiaSmi(host);
      if (s.isOk()) {
        attempts.add("nvidia-smi: " + s.orNull().size() + " GPU(s)");
        return Probed.ok(new GpuSet("nvidia-smi", s.orNull(), attempts));
      }
      attempts.add("nvidia-smi: unavailable, because " + s.reason());
    }
    if (jetson.isOk()) {
      Jetson js = jetson.orNull();
      Memory m = memory.orNull();
      Gpu g = new Gpu(0, (js.model() == null ? "Jetson" : js.model()) + " integrated GPU", null,
          m == null ? null : m.totalBytes() / (1024 * 1024), m == null ? null : m.availableBytes() / (1024 * 1024),
          null, null, null, null, true);
      attempts.add("jetson: L4T " + js.l4t() + ", JetPack " + js.jetpack());
      return Probed.ok(new GpuSet("jetson", List.of(g), attempts));
    }
    attempts.add("jetson: unavailable, because " + jetson.reason());
    return Probed.unavailable("no NVIDIA GPU found (" + String.join("; ", attempts) + ")");
  }

  static Probed<List<Gpu>> jcuda(Duration timeout) {
    String off = JCudaProbe.usable();
    if (off != null) {
      return Probed.unavailable(off);
    }
    Future<Probed<List<Gpu>>> f = CUDA.submit(JCudaProbe::gpus);
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return Probed.unavailable("CUDA driver did not answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Probed.unavailable("interrupted");
    } catch (ExecutionException e) {
      return Probed.unavailable("JCuda failed: " + e.getCause());
    }
  }

  /** Inventory through nvidia-smi; a timeout is final (no retries that would add up timeouts). */
  static Probed<List<Gpu>> nvidiaSmi(Host host) {
    Probed<String> out = host.commands().run(host.commandTimeout(), NvidiaSmi.argv(NvidiaSmi.INVENTORY));
    if (out.isOk()) {
      return NvidiaSmi.gpus(NvidiaSmi.INVENTORY, out.orNull());
    }
    if (out.reason().contains("not found") || out.reason().contains("timed out")) {
      return Probed.unavailable(out.reason());
    }
    if (out.reason().contains("not a valid field")) {
      Probed<String> old = host.commands().run(host.commandTimeout(), NvidiaSmi.argv(NvidiaSmi.INVENTORY_OLD));
      if (old.isOk()) {
        return NvidiaSmi.gpus(NvidiaSmi.INVENTORY_OLD, old.orNull());
      }
      Probed<String> table = host.run("nvidia-smi");
      if (table.isOk()) {
        return NvidiaSmi.table(table.orNull());
      }
      return Probed.unavailable(table.reason());
    }
    return Probed.unavailable(out.reason());
  }

  /** Driver version from /proc/driver/nvidia/version ("Kernel Module  580.82.07"), else null. */
  static String driverVersion(Host host) {
    String v = host.read("/proc/driver/nvidia/version");
    if (v == null) {
      return null;
    }
    Matcher m = NVRM.matcher(v);
    return m.find() ? m.group(1) : null;
  }
}
