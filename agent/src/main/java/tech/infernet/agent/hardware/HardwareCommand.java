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

  @Option(names = "--advert", description = "Also print the capability advert this node would publish (unsigned)")
  boolean advert;

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
