package tech.infernet.agent.hardware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.infernet.agent.jobs.Json;

/**
 * Runs the GPU benchmark through JCuda on every GPU found, caches the figures in the state dir
 * keyed by GPU uuid, driver version and benchmark version, and re-runs only on demand or when the
 * key changes. Without a GPU (or without JCuda) it skips and says why.
 */
public final class GpuBenchmark {
  private GpuBenchmark() {}

  /** Matrix sizes and copy size for a GPU with this much memory (all three buffers must fit). */
  static int[] sizes(Gpu g) {
    long mib = g.memoryFreeMiB() != null ? g.memoryFreeMiB() : g.memoryTotalMiB() == null ? 0 : g.memoryTotalMiB();
    if (mib >= 8 * 1024) {
      return new int[] {4096, 8192, 256};
    }
    if (mib >= 2 * 1024) {
      return new int[] {2048, 4096, 128};
    }
    return new int[] {1024, 2048, 32};
  }

  public static Path cacheFile(Path stateDir) {
    return stateDir.resolve("hardware").resolve("gpu-benchmark.json");
  }

  /** Cached results still valid for these GPUs, or an empty list. */
  public static List<GpuBenchResult> cached(Path stateDir, List<Gpu> gpus) {
    List<GpuBenchResult> out = new ArrayList<>();
    try {
      Object tree = Json.parse(Files.readString(cacheFile(stateDir)), 16);
      if (!(tree instanceof Map<?, ?> m) || !(m.get("results") instanceof List<?> list)) {
        return out;
      }
      for (Object o : list) {
        GpuBenchResult r = fromMap((Map<?, ?>) o);
        boolean current = r.benchVersion() == JCudaBench.VERSION && gpus.stream().anyMatch(g ->
            g.index() == r.index() && java.util.Objects.equals(g.uuid(), r.uuid())
                && java.util.Objects.equals(g.driverVersion(), r.driverVersion()));
        if (current) {
          out.add(r);
        }
      }
    } catch (IOException | RuntimeException | tech.infernet.agent.jobs.SpecException e) {
      return List.of();
    }
    return out;
  }

  /** Cached figures when valid and not forced; else measures (the picture must come from JCuda). */
  public static Probed<List<GpuBenchResult>> run(HardwarePicture picture, Path stateDir, boolean force) {
    GpuSet set = picture.gpus().orNull();
    if (set == null) {
      return Probed.unavailable("skipped: " + picture.gpus().reason());
    }
    if (!force) {
      List<GpuBenchResult> c = cached(stateDir, set.gpus());
      if (!c.isEmpty() && c.size() == set.gpus().size()) {
        return Probed.ok(c);
      }
    }
    String off = JCudaProbe.usable();
    if (off != null) {
      return Probed.unavailable("skipped: " + off);
    }
    if (!set.source().equals("jcuda")) {
      return Probed.unavailable("skipped: GPUs were found by " + set.source() + ", not through JCuda ("
          + String.join("; ", set.attempts()) + ")");
    }
    List<GpuBenchResult> results = new ArrayList<>();
    for (Gpu g : set.gpus()) {
      int[] s = sizes(g);
      try {
        results.add(JCudaBench.run(g.index(), g.driverVersion(), s[0], s[1], (long) s[2] << 20));
      } catch (LinkageError e) {
        JCudaProbe.linkageFailed(e);
        return Probed.unavailable("skipped: " + JCudaProbe.disabledReason());
      } catch (IOException | RuntimeException e) {
        return Probed.unavailable("benchmark failed on GPU " + g.index() + ": " + e.getMessage());
      }
    }
    save(stateDir, results);
    return Probed.ok(results);
  }

  static void save(Path stateDir, List<GpuBenchResult> results) {
    List<Object> list = new ArrayList<>();
    results.forEach(r -> list.add(toMap(r)));
    Path f = cacheFile(stateDir);
    try {
      Files.createDirectories(f.getParent());
      Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
      Files.writeString(tmp, Json.write(Map.of("results", list)));
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // cache is an optimisation: the figures are still returned
    }
  }

  public static Map<String, Object> toMap(GpuBenchResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", r.index());
    m.put("name", r.name());
    m.put("uuid", r.uuid());
    m.put("driverVersion", r.driverVersion());
    m.put("cudaVersion", r.cudaVersion());
    m.put("fp32N", r.fp32N());
    m.put("fp32Tflops", r.fp32Tflops());
    m.put("fp32Verified", r.fp32Verified());
    m.put("fp16N", r.fp16N());
    m.put("fp16Tflops", r.fp16Tflops());
    m.put("fp16Verified", r.fp16Verified());
    m.put("copyBytes", r.copyBytes());
    m.put("h2dGBs", r.h2dGBs());
    m.put("d2hGBs", r.d2hGBs());
    m.put("d2dGBs", r.d2dGBs());
    m.put("kernels", r.kernels());
    m.put("benchVersion", r.benchVersion());
    m.put("measuredAt", r.measuredAtMillis());
    m.put("tookMs", r.tookMillis());
    return m;
  }

  static GpuBenchResult fromMap(Map<?, ?> m) {
    return new GpuBenchResult(num(m, "index").intValue(), (String) m.get("name"), (String) m.get("uuid"),
        (String) m.get("driverVersion"), (String) m.get("cudaVersion"), num(m, "fp32N").intValue(),
        num(m, "fp32Tflops").doubleValue(), Boolean.TRUE.equals(m.get("fp32Verified")), num(m, "fp16N").intValue(),
        num(m, "fp16Tflops").doubleValue(), Boolean.TRUE.equals(m.get("fp16Verified")), num(m, "copyBytes").longValue(),
        num(m, "h2dGBs").doubleValue(), num(m, "d2hGBs").doubleValue(), num(m, "d2dGBs").doubleValue(),
        (String) m.get("kernels"), num(m, "benchVersion").intValue(), num(m, "measuredAt").longValue(),
        num(m, "tookMs").longValue());
  }

  private static Number num(Map<?, ?> m, String k) {
    Object v = m.get(k);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("cache field " + k + " missing");
    }
    return n;
  }
}
