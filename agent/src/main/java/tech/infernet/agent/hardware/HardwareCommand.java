package tech.infernet.agent.hardware;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tech.infernet.agent.config.StatePaths;
import tech.infernet.agent.jobs.Json;

/**
 * {@code infernet-agent hardware}: probes this machine without a running agent and prints the
 * picture as JSON; {@code --bench} adds the GPU benchmark (cached; {@code --force} re-runs it).
 */
@Command(name = "hardware", description = "Probes this machine's hardware (and benchmarks its GPUs with --bench).")
public final class HardwareCommand implements Callable<Integer> {
  @Option(names = "--state-dir", description = "Where the benchmark cache lives (default: the agent's state dir)")
  Path stateDir;

  @Option(names = "--bench", description = "Run (or show the cached) GPU benchmark")
  boolean bench;

  @Option(names = "--force", description = "With --bench: measure again even if cached figures are valid")
  boolean force;

  @Option(names = "--no-jcuda", description = "Do not use JCuda (nvidia-smi and Jetson files only)")
  boolean noJcuda;

  @Option(names = "--timeout-ms", defaultValue = "5000", description = "Timeout of each external program")
  long timeoutMs;

  @Option(names = "--watch", defaultValue = "0",
      description = "Then sample GPU telemetry every second for this many seconds, one JSON line each")
  int watchSeconds;

  @Option(names = "--plan", description = "Model description (a Hugging Face config.json, or its fields plus"
      + " \"params\") to size on this node's GPUs with the capacity planner")
  Path plan;

  @Option(names = "--max-model-len", defaultValue = "0", description = "With --plan: longest sequence (default: the model's)")
  int maxModelLen;

  @Option(names = "--gpu-memory-utilization", description = "With --plan: fraction of GPU memory to use"
      + " (default 0.9; 0.6 on a Jetson, whose memory the CPU shares)")
  Double utilization;

  @Option(names = "--advert", description = "Also print the capability advert this node would publish (unsigned)")
  boolean advert;

  @SuppressWarnings("unchecked")
  private Map<String, Object> plan(HardwarePicture p) {
    Map<String, Object> m = new LinkedHashMap<>();
    try {
      Object tree = Json.parseWithComments(java.nio.file.Files.readString(plan), 32);
      tech.infernet.agent.capacity.ModelSpec model =
          tech.infernet.agent.capacity.ModelConfigs.fromConfig((Map<String, Object>) tree);
      List<tech.infernet.agent.capacity.GpuSpec> gpus = new ArrayList<>();
      boolean shared = false;
      for (Gpu g : p.gpuList()) {
        if (g.memoryTotalMiB() != null) {
          gpus.add(tech.infernet.agent.capacity.GpuSpec.ofMiB(g.name(), g.memoryTotalMiB()));
          shared |= g.memorySharedWithCpu();
        }
      }
      double util = utilization != null ? utilization : shared ? 0.6 : 0.9;
      tech.infernet.agent.capacity.PlannerOptions o = tech.infernet.agent.capacity.PlannerOptions.defaults()
          .withUtilization(util).withMaxModelLen(maxModelLen);
      m.put("model", Map.of("name", model.name(), "params", model.params(), "weights", model.weights().name(),
          "kvCache", model.kvCache().name()));
      m.put("gpuMemoryUtilization", util);
      m.putAll(tech.infernet.agent.capacity.ModelConfigs.view(tech.infernet.agent.capacity.CapacityPlanner.plan(
          model, gpus, o)));
    } catch (java.io.IOException | tech.infernet.agent.jobs.SpecException | RuntimeException e) {
      m.put("error", "cannot plan " + plan + ": " + e.getMessage());
    }
    return m;
  }

  /** Runs the command on its own (without the rest of the CLI). */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new HardwareCommand()).execute(args));
  }

  @Override
  public Integer call() {
    Path state = stateDir != null ? stateDir : StatePaths.stateDir(System.getenv());
    Host host = Host.local(state);
    host = host.withCommands(host.commands(), Duration.ofMillis(timeoutMs));
    HardwarePicture p = HardwareProbe.probe(host, !noJcuda);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("hardware", HardwareViews.picture(p));
    List<GpuBenchResult> figures = GpuBenchmark.cached(state, p.gpuList());
    if (bench) {
      Probed<List<GpuBenchResult>> r = GpuBenchmark.run(p, state, force);
      out.put("gpuBenchmark", benchView(r));
      figures = r.isOk() ? r.orNull() : figures;
    }
    if (plan != null) {
      out.put("plan", plan(p));
    }
    if (advert) {
      out.put("advert", CapabilityAdvert.of(p, figures, tech.infernet.agent.app.Agent.VERSION, null, Map.of(),
          List.of(), Map.of(), false, System.currentTimeMillis()).toMap());
    }
    System.out.println(Json.write(out));
    if (watchSeconds > 0) {
      watch(host, state, p);
    }
    return 0;
  }

  private void watch(Host host, Path state, HardwarePicture p) {
    HardwareMonitor.Options env = HardwareMonitor.Options.fromEnv(System.getenv());
    TelemetryRules rules = new TelemetryRules(env.limits());
    for (int i = 0; i < watchSeconds; i++) {
      long t0 = System.currentTimeMillis();
      Probed<List<GpuSample>> s = p.gpus().isOk() ? HardwareMonitor.sample(host, p)
          : Probed.unavailable("no GPU: " + p.gpus().reason());
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("t", t0);
      if (s.isOk()) {
        List<Object> l = new ArrayList<>();
        s.orNull().forEach(x -> l.add(HardwareMonitor.sampleView(x)));
        line.put("samples", l);
        List<Object> ev = new ArrayList<>();
        rules.evaluate(s.orNull(), t0).forEach(e -> ev.add(e.message()));
        line.put("events", ev);
      } else {
        line.put("unavailable", s.reason());
      }
      System.out.println(Json.write(line));
      try {
        Thread.sleep(Math.max(0, 1000 - (System.currentTimeMillis() - t0)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  public static Map<String, Object> benchView(Probed<List<GpuBenchResult>> r) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (r.isOk()) {
      List<Object> l = new ArrayList<>();
      r.orNull().forEach(x -> l.add(GpuBenchmark.toMap(x)));
      m.put("available", true);
      m.put("results", l);
    } else {
      m.put("available", false);
      m.put("reason", r.reason());
    }
    return m;
  }
}
