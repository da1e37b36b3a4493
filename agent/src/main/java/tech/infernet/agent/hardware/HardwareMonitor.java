package tech.infernet.agent.hardware;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The agent's view of its hardware: takes the picture in the background at start (agent start
 * never waits for it), then samples GPU telemetry periodically, keeps the latest readings and
 * the recent limit events, and renders both for /status and Prometheus. No Vert.x here.
 */
public final class HardwareMonitor implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HardwareMonitor.class.getName());
  private static final int EVENTS_KEPT = 50;

  /** Settings; {@link #fromEnv} reads INFERNET_JCUDA, INFERNET_TELEMETRY_SECONDS, INFERNET_GPU_TEMP_LIMIT_C. */
  public record Options(boolean useJCuda, Duration telemetryPeriod, TelemetryRules.Limits limits) {
    public static Options fromEnv(Map<String, String> env) {
      boolean jcuda = !"0".equals(env.get("INFERNET_JCUDA")) && !"false".equalsIgnoreCase(env.get("INFERNET_JCUDA"));
      long secs = parse(env.get("INFERNET_TELEMETRY_SECONDS"), 15);
      double temp = parse(env.get("INFERNET_GPU_TEMP_LIMIT_C"), 85);
      TelemetryRules.Limits d = TelemetryRules.Limits.defaults();
      return new Options(jcuda, Duration.ofSeconds(Math.max(1, secs)),
          new TelemetryRules.Limits(temp, d.maxPowerFraction(), d.hysteresisC()));
    }

    private static long parse(String s, long dflt) {
      try {
        return s == null ? dflt : Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        return dflt;
      }
    }
  }

  private final Host host;
  private final Path stateDir;
  private final Options options;
  private final CompletableFuture<HardwarePicture> picture;
  private final TelemetryRules rules;
  private final ScheduledExecutorService sampler;
  private final ArrayDeque<LimitEvent> events = new ArrayDeque<>();
  private final Map<String, AtomicLong> eventCounts = new ConcurrentHashMap<>();
  private final Consumer<LimitEvent> sink;
  private volatile List<GpuSample> latest = List.of();
  private volatile String telemetryReason = "waiting for the hardware picture";

  private volatile HardwarePicture probed;

  private HardwareMonitor(Host host, Path stateDir, Options options, Consumer<LimitEvent> sink) {
    this.host = host;
    this.stateDir = stateDir;
    this.options = options;
    this.sink = sink;
    this.rules = new TelemetryRules(options.limits());
    this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "infernet-gpu-telemetry");
      t.setDaemon(true);
      return t;
    });
    // The stage handed out completes after the callback has run, so readers see its effects.
    this.picture = HardwareProbe.probeAsync(host, options.useJCuda()).whenComplete((p, err) -> {
      probed = p; // the first sample may run before the stage below completes
      if (p != null) {
        LOG.info("hardware: " + summary(p) + " (probed in " + p.tookMillis() + " ms)");
        if (p.gpus().isOk()) {
          sampler.scheduleWithFixedDelay(this::sampleSafely, 0, options.telemetryPeriod().toMillis(),
              TimeUnit.MILLISECONDS);
        } else {
          telemetryReason = "no GPU: " + p.gpus().reason();
        }
      }
    });
  }

  /** Starts probing in the background; {@code sink} also receives each limit event. */
  public static HardwareMonitor start(Host host, Path stateDir, Options options, Consumer<LimitEvent> sink) {
    return new HardwareMonitor(host, stateDir, options, sink == null ? e -> { } : sink);
  }

  public static HardwareMonitor start(Path stateDir) {
    return start(Host.local(stateDir), stateDir, Options.fromEnv(System.getenv()), null);
  }

  /** The picture once taken, else null. */
  public HardwarePicture picture() {
    return picture.getNow(null);
  }

  public CompletableFuture<HardwarePicture> pictureFuture() {
    return picture;
  }

  public List<GpuSample> latest() {
    return latest;
  }

  public synchronized List<LimitEvent> recentEvents() {
    return new ArrayList<>(events);
  }

  void sampleSafely() {
    try {
      sampleOnce();
    } catch (RuntimeException e) {
      telemetryReason = "sampling failed: " + e;
    }
  }

  /** One telemetry round: nvidia-smi on discrete GPUs, devfreq/thermal sysfs on a Jetson. */
  void sampleOnce() {
    HardwarePicture p = probed != null ? probed : picture();
    if (p == null || !p.gpus().isOk()) {
      return;
    }
    Probed<List<GpuSample>> s = sample(host, p);
    if (!s.isOk()) {
      telemetryReason = s.reason();
      latest = List.of();
      return;
    }
    telemetryReason = null;
    List<LimitEvent> fired = rules.evaluate(s.orNull(), System.currentTimeMillis());
    for (LimitEvent e : fired) {
      synchronized (this) {
        events.addLast(e);
        while (events.size() > EVENTS_KEPT) {
          events.removeFirst();
        }
      }
      eventCounts.computeIfAbsent(e.type(), k -> new AtomicLong()).incrementAndGet();
      LOG.warning("hardware event " + e.type() + ": " + e.message());
      sink.accept(e);
    }
    latest = s.orNull(); // after the events, so a reader that sees the sample sees its events too
  }

  static Probed<List<GpuSample>> sample(Host host, HardwarePicture p) {
    if (p.gpus().orNull().source().equals("jetson")) {
      Jetson j = Jetson.probe(host).orNull();
      if (j == null) {
        return Probed.unavailable("Jetson files unreadable");
      }
      Double gpuTemp = j.thermalC().entrySet().stream().filter(e -> e.getKey().toLowerCase(Locale.ROOT).startsWith("gpu"))
          .map(Map.Entry::getValue).findFirst().orElse(null);
      Memory m = Memory.probe(host).orNull();
      Long total = m == null ? null : m.totalBytes() >> 20;
      Long used = m == null ? null : (m.totalBytes() - m.availableBytes()) >> 20;
      boolean throttled = j.gpuFreqHz() != null && j.gpuMaxFreqHz() != null && j.gpuLoadPct() != null
          && j.gpuLoadPct() > 50 && j.gpuFreqHz() < j.gpuMaxFreqHz();
      return Probed.ok(List.of(new GpuSample(0, j.gpuLoadPct() == null ? null : j.gpuLoadPct().doubleValue(), used,
          total, gpuTemp, null, null, j.gpuFreqHz() == null ? null : (int) (j.gpuFreqHz() / 1_000_000),
          j.gpuMaxFreqHz() == null ? null : (int) (j.gpuMaxFreqHz() / 1_000_000),
          throttled ? List.of("below_max_freq_under_load") : List.of())));
    }
    Probed<String> out = host.commands().run(host.commandTimeout(), NvidiaSmi.argv(NvidiaSmi.TELEMETRY));
    if (out.isOk()) {
      return NvidiaSmi.samples(NvidiaSmi.TELEMETRY, out.orNull());
    }
    if (out.reason().contains("not a valid field")) {
      Probed<String> table = host.run("nvidia-smi");
      if (table.isOk()) {
        return Probed.ok(NvidiaSmi.tableSamples(table.orNull()));
      }
    }
    return Probed.unavailable(out.reason());
  }

  /** Re-runs the GPU benchmark now (one at a time) and returns its view; the cache is refreshed. */
  public synchronized Map<String, Object> rerunBenchmark() {
    HardwarePicture p = picture();
    if (p == null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("available", false);
      m.put("reason", "the hardware picture is still being taken");
      return m;
    }
    return HardwareCommand.benchView(GpuBenchmark.run(p, stateDir, true));
  }

  /** JSON-ready status: the picture (or "probing"), cached benchmark, latest telemetry, events. */
  public Map<String, Object> statusView() {
    HardwarePicture p = picture();
    Map<String, Object> m = new LinkedHashMap<>();
    if (p == null) {
      m.put("state", "probing");
      return m;
    }
    m.put("state", "ready");
    m.putAll(HardwareViews.picture(p));
    List<GpuBenchResult> bench = GpuBenchmark.cached(stateDir, p.gpuList());
    Map<String, Object> b = new LinkedHashMap<>();
    if (bench.isEmpty()) {
      b.put("available", false);
      b.put("reason", p.gpus().isOk() ? "not run yet on this GPU and driver (infernet-agent hardware --bench)"
          : "skipped: no GPU");
    } else {
      b.put("available", true);
      List<Object> l = new ArrayList<>();
      bench.forEach(r -> l.add(GpuBenchmark.toMap(r)));
      b.put("results", l);
    }
    m.put("gpuBenchmark", b);
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("available", telemetryReason == null);
    if (telemetryReason != null) {
      t.put("reason", telemetryReason);
    }
    List<Object> samples = new ArrayList<>();
    latest.forEach(s -> samples.add(sampleView(s)));
    t.put("samples", samples);
    List<Object> ev = new ArrayList<>();
    recentEvents().forEach(e -> ev.add(Map.of("type", e.type(), "gpu", e.gpu(), "value", e.value(),
        "limit", e.limit(), "at", e.atMillis(), "message", e.message())));
    t.put("events", ev);
    m.put("telemetry", t);
    return m;
  }

  static Map<String, Object> sampleView(GpuSample s) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("gpu", s.index());
    o.put("utilizationPct", s.utilizationPct());
    o.put("memoryUsedMiB", s.memoryUsedMiB());
    o.put("memoryTotalMiB", s.memoryTotalMiB());
    o.put("temperatureC", s.temperatureC());
    o.put("powerW", s.powerW());
    o.put("powerLimitW", s.powerLimitW());
    o.put("smClockMHz", s.smClockMHz());
    o.put("smClockMaxMHz", s.smClockMaxMHz());
    o.put("throttleReasons", s.throttleReasons());
    o.put("throttled", s.throttled());
    return o;
  }

  /** Prometheus text exposition of the GPU readings and event counters. */
  public String prometheus() {
    StringBuilder b = new StringBuilder();
    HardwarePicture p = picture();
    b.append("# HELP infernet_gpus NVIDIA GPUs found on this machine.\n# TYPE infernet_gpus gauge\n")
        .append("infernet_gpus ").append(p == null ? 0 : p.gpuList().size()).append('\n');
    List<GpuSample> s = latest;
    gauge(b, s, "infernet_gpu_utilization_percent", "GPU busy time in the last sample period.", GpuSample::utilizationPct);
    gauge(b, s, "infernet_gpu_memory_used_bytes", "GPU memory in use (system RAM on a Jetson).",
        x -> x.memoryUsedMiB() == null ? null : x.memoryUsedMiB() * 1048576.0);
    gauge(b, s, "infernet_gpu_memory_total_bytes", "GPU memory size (system RAM on a Jetson).",
        x -> x.memoryTotalMiB() == null ? null : x.memoryTotalMiB() * 1048576.0);
    gauge(b, s, "infernet_gpu_temperature_celsius", "GPU temperature.", GpuSample::temperatureC);
    gauge(b, s, "infernet_gpu_power_watts", "GPU board power draw.", GpuSample::powerW);
    gauge(b, s, "infernet_gpu_power_limit_watts", "GPU board power limit.", GpuSample::powerLimitW);
    gauge(b, s, "infernet_gpu_sm_clock_mhz", "GPU SM clock.", x -> x.smClockMHz() == null ? null : x.smClockMHz().doubleValue());
    gauge(b, s, "infernet_gpu_throttled", "1 when clocks are held down by power, thermal or slowdown reasons.",
        x -> x.throttled() ? 1.0 : 0.0);
    b.append("# HELP infernet_gpu_limit_events_total Telemetry limit events by type.\n")
        .append("# TYPE infernet_gpu_limit_events_total counter\n");
    eventCounts.forEach((k, v) -> b.append("infernet_gpu_limit_events_total{type=\"").append(k).append("\"} ")
        .append(v.get()).append('\n'));
    return b.toString();
  }

  private static void gauge(StringBuilder b, List<GpuSample> samples, String name, String help,
                            java.util.function.Function<GpuSample, Double> f) {
    b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n");
    for (GpuSample s : samples) {
      Double v = f.apply(s);
      if (v != null) {
        b.append(name).append("{gpu=\"").append(s.index()).append("\"} ").append(v).append('\n');
      }
    }
  }

  static String summary(HardwarePicture p) {
    Cpu c = p.cpu().orNull();
    String cpu = c == null ? "cpu ?" : c.model() + " " + c.cores() + "c/" + c.threads() + "t";
    String gpu = p.gpus().isOk() ? p.gpus().orNull().gpus().size() + " GPU(s) via " + p.gpus().orNull().source()
        : "no GPU";
    return cpu + ", " + gpu;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
