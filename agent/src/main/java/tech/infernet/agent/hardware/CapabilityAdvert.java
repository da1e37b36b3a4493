package tech.infernet.agent.hardware;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this node offers, for discovery: hardware summary, benchmark figures, runners, job kinds,
 * limits and version. A plain record: a later step signs it (protocol envelope {@code agent.info})
 * and publishes it. Nothing secret goes in; GPU UUIDs, which identify a physical card, only when
 * the owner opts in.
 */
public record CapabilityAdvert(int schema, String agentVersion, String publicKey, long issuedAtMillis,
                               Map<String, Object> hardware, List<Map<String, Object>> benchmarks,
                               Map<String, String> runners, List<String> jobKinds, Map<String, Object> limits) {
  public static final int SCHEMA = 1;

  public CapabilityAdvert {
    hardware = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hardware));
    benchmarks = List.copyOf(benchmarks);
    runners = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(runners));
    jobKinds = List.copyOf(jobKinds);
    limits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(limits));
  }

  public static CapabilityAdvert of(HardwarePicture p, List<GpuBenchResult> bench, String version, String publicKey,
                                    Map<String, String> runners, List<String> jobKinds, Map<String, Object> limits,
                                    boolean includeGpuIds, long now) {
    return new CapabilityAdvert(SCHEMA, version, publicKey, now, hardware(p, includeGpuIds), benchmarks(bench),
        runners, jobKinds, limits);
  }

  static Map<String, Object> hardware(HardwarePicture p, boolean includeGpuIds) {
    Map<String, Object> h = new LinkedHashMap<>();
    Cpu c = p.cpu().orNull();
    if (c != null) {
      h.put("cpu", Map.of("model", c.model(), "cores", c.cores(), "threads", c.threads(), "arch", c.arch(),
          "flags", HardwareViews.summaryFlags(c.flags())));
    }
    Memory m = p.memory().orNull();
    if (m != null) {
      h.put("memoryBytes", m.totalBytes());
    }
    OsInfo os = p.os().orNull();
    if (os != null) {
      h.put("os", os.name());
      h.put("kernel", os.kernel());
    }
    List<Object> gpus = new ArrayList<>();
    for (Gpu g : p.gpuList()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", g.name());
      o.put("memoryMiB", g.memoryTotalMiB());
      o.put("computeCapability", g.computeCapability());
      o.put("multiprocessors", g.multiprocessors());
      o.put("driverVersion", g.driverVersion());
      o.put("cudaVersion", g.cudaVersion());
      o.put("memorySharedWithCpu", g.memorySharedWithCpu());
      if (includeGpuIds && g.uuid() != null) {
        o.put("uuid", g.uuid());
      }
      o.values().removeIf(java.util.Objects::isNull);
      gpus.add(o);
    }
    h.put("gpus", gpus);
    h.put("gpuSource", p.gpus().isOk() ? p.gpus().orNull().source() : "none");
    Jetson j = p.jetson().orNull();
    if (j != null) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("model", j.model());
      o.put("l4t", j.l4t());
      o.put("jetpack", j.jetpack());
      o.put("powerMode", j.powerMode());
      o.values().removeIf(java.util.Objects::isNull);
      h.put("jetson", o);
    }
    Containers ct = p.containers().orNull();
    if (ct != null) {
      h.put("containerEngines", ct.engines());
      h.put("gpuPassthrough", ct.gpuPassthrough());
    }
    return h;
  }

  static List<Map<String, Object>> benchmarks(List<GpuBenchResult> bench) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (GpuBenchResult r : bench) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("gpu", r.index());
      o.put("fp32Tflops", r.fp32Tflops());
      o.put("fp16Tflops", r.fp16Tflops());
      o.put("h2dGBs", r.h2dGBs());
      o.put("d2hGBs", r.d2hGBs());
      o.put("d2dGBs", r.d2dGBs());
      o.put("driverVersion", r.driverVersion());
      o.put("benchVersion", r.benchVersion());
      o.put("measuredAt", r.measuredAtMillis());
      out.add(o);
    }
    return out;
  }

  /** JSON-ready map with a fixed key order (what a signer would serialize). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", schema);
    m.put("agentVersion", agentVersion);
    m.put("publicKey", publicKey);
    m.put("issuedAt", issuedAtMillis);
    m.put("hardware", hardware);
    m.put("benchmarks", benchmarks);
    m.put("runners", runners);
    m.put("jobKinds", jobKinds);
    m.put("limits", limits);
    return m;
  }
}
