package tech.infernet.agent.hardware;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain maps and lists (JSON-ready, no Vert.x) of the hardware picture. An unavailable part
 * renders as {"available": false, "reason": "..."}.
 */
public final class HardwareViews {
  private HardwareViews() {}

  public static Map<String, Object> picture(HardwarePicture p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpu", part(p.cpu(), c -> {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("model", c.model());
      o.put("cores", c.cores());
      o.put("threads", c.threads());
      o.put("arch", c.arch());
      o.put("flags", summaryFlags(c.flags()));
      return o;
    }));
    m.put("memory", part(p.memory(), x -> Map.of("totalBytes", x.totalBytes(), "availableBytes", x.availableBytes(),
        "swapTotalBytes", x.swapTotalBytes())));
    m.put("disks", part(p.disks(), ds -> {
      List<Object> l = new ArrayList<>();
      ds.forEach(d -> l.add(Map.of("role", d.role(), "path", d.path(), "totalBytes", d.totalBytes(),
          "freeBytes", d.freeBytes())));
      return Map.of("list", l);
    }));
    m.put("os", part(p.os(), o -> Map.of("name", o.name(), "kernel", o.kernel(), "arch", o.arch())));
    m.put("containers", part(p.containers(), c -> {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("engines", c.engines());
      o.put("nvidiaTools", c.nvidiaTools());
      o.put("cdiSpecs", c.cdiSpecs());
      o.put("dockerNvidiaRuntime", c.dockerNvidiaRuntime());
      o.put("podmanNvidiaRuntime", c.podmanNvidiaRuntime());
      o.put("gpuPassthrough", c.gpuPassthrough());
      return o;
    }));
    m.put("gpus", part(p.gpus(), s -> {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("source", s.source());
      List<Object> l = new ArrayList<>();
      s.gpus().forEach(g -> l.add(gpu(g)));
      o.put("list", l);
      o.put("attempts", s.attempts());
      return o;
    }));
    m.put("jetson", part(p.jetson(), j -> {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("model", j.model());
      o.put("l4t", j.l4t());
      o.put("jetpack", j.jetpack());
      o.put("powerMode", j.powerMode());
      o.put("gpuLoadPct", j.gpuLoadPct());
      o.put("gpuFreqHz", j.gpuFreqHz());
      o.put("gpuMaxFreqHz", j.gpuMaxFreqHz());
      o.put("thermalC", j.thermalC());
      o.put("gpuMemory", "shared with the CPU (system RAM)");
      return o;
    }));
    m.put("takenAt", p.takenAtMillis());
    m.put("tookMs", p.tookMillis());
    return m;
  }

  public static Map<String, Object> gpu(Gpu g) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("index", g.index());
    o.put("name", g.name());
    o.put("uuid", g.uuid());
    o.put("memoryTotalMiB", g.memoryTotalMiB());
    o.put("memoryFreeMiB", g.memoryFreeMiB());
    o.put("computeCapability", g.computeCapability());
    o.put("multiprocessors", g.multiprocessors());
    o.put("driverVersion", g.driverVersion());
    o.put("cudaVersion", g.cudaVersion());
    o.put("memorySharedWithCpu", g.memorySharedWithCpu());
    return o;
  }

  /** The flags that matter for inference runtimes, not the whole list. */
  static List<String> summaryFlags(List<String> flags) {
    List<String> keep = new ArrayList<>();
    for (String f : List.of("avx", "avx2", "fma", "f16c", "avx512f", "avx512_bf16", "avx512_vnni", "avx_vnni",
        "amx_bf16", "amx_int8", "asimd", "asimdhp", "asimddp", "sve", "sve2", "i8mm", "bf16")) {
      if (flags.contains(f)) {
        keep.add(f);
      }
    }
    return keep;
  }

  static <T> Map<String, Object> part(Probed<T> p, java.util.function.Function<T, Map<String, Object>> f) {
    Map<String, Object> o = new LinkedHashMap<>();
    if (p instanceof Probed.Ok<T> ok) {
      o.put("available", true);
      o.putAll(f.apply(ok.value()));
    } else {
      o.put("available", false);
      o.put("reason", p.reason());
    }
    return o;
  }
}
