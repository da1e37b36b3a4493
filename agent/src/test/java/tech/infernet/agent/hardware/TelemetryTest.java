package tech.infernet.agent.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryTest {
  private static final List<GpuSample> IDLE = NvidiaSmi.samples(NvidiaSmi.TELEMETRY,
      Fixtures.text("nvidia-smi/h100-device-telemetry-idle.csv")).orNull();          // 34 C, 114.34 W
  private static final List<GpuSample> AFTER = NvidiaSmi.samples(NvidiaSmi.TELEMETRY,
      Fixtures.text("nvidia-smi/h100-device-telemetry-after-bench.csv")).orNull();   // 35 C, 124.19 W

  @Test
  void eventsAreEdgeTriggeredWithHysteresis() {
    TelemetryRules r = new TelemetryRules(new TelemetryRules.Limits(34.5, 0.98, 1));
    assertEquals(List.of(), r.evaluate(IDLE, 1));
    List<LimitEvent> up = r.evaluate(AFTER, 2);
    assertEquals(1, up.size());
    assertEquals("gpu.temperature.high", up.get(0).type());
    assertEquals("GPU 0 temperature high: 35 C (limit 34.5 C)", up.get(0).message());
    assertEquals(List.of(), r.evaluate(AFTER, 3)); // still over: no repeat
    assertEquals(List.of(), r.evaluate(IDLE, 4));  // 34 C is not 1 C under the limit yet
    TelemetryRules r2 = new TelemetryRules(new TelemetryRules.Limits(34.5, 0.98, 0.5));
    r2.evaluate(AFTER, 1);
    assertEquals("gpu.temperature.normal", r2.evaluate(IDLE, 2).get(0).type());
  }

  @Test
  void throttlingForPowerIsAnEventIdlingIsNot() {
    TelemetryRules r = new TelemetryRules(TelemetryRules.Limits.defaults());
    GpuSample capped = new GpuSample(0, 100.0, 1139L, 81559L, 58.0, 593.95, 700.0, 1365, 1980, List.of("sw_power_cap"));
    assertEquals(List.of(), r.evaluate(IDLE, 1)); // gpu_idle is not throttling
    List<LimitEvent> e = r.evaluate(List.of(capped), 2);
    assertEquals("GPU 0 throttled (sw_power_cap)", e.get(0).message());
    assertEquals("GPU 0 no longer throttled", r.evaluate(AFTER, 3).get(0).message());
  }

  @Test
  void powerOverAFractionOfTheBoardLimit() {
    TelemetryRules r = new TelemetryRules(new TelemetryRules.Limits(90, 0.17, 5)); // 0.17 * 700 W = 119 W
    assertEquals(List.of(), r.evaluate(IDLE, 1));
    assertEquals("gpu.power.high", r.evaluate(AFTER, 2).get(0).type());
  }

  @Test
  void monitorProbesInTheBackgroundSamplesAndRendersMetrics(@TempDir Path state) throws Exception {
    Host host = Fixtures.machine("h100-device", "x86_64");
    List<LimitEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    HardwareMonitor m = HardwareMonitor.start(host, state, new HardwareMonitor.Options(false, Duration.ofSeconds(60),
        new TelemetryRules.Limits(30, 0.98, 5)), seen::add);
    try {
      m.pictureFuture().get(10, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (m.latest().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(1, m.latest().size());
      assertEquals("gpu.temperature.high", seen.get(0).type());
      String prom = m.prometheus();
      assertTrue(prom.contains("infernet_gpus 1\n"), prom);
      assertTrue(prom.contains("infernet_gpu_temperature_celsius{gpu=\"0\"} 34.0\n"), prom);
      assertTrue(prom.contains("infernet_gpu_memory_total_bytes{gpu=\"0\"} 8.5520809984E10\n"), prom);
      assertTrue(prom.contains("infernet_gpu_limit_events_total{type=\"gpu.temperature.high\"} 1\n"), prom);
      Map<String, Object> v = m.statusView();
      assertEquals("ready", v.get("state"));
      @SuppressWarnings("unchecked")
      Map<String, Object> bench = (Map<String, Object>) v.get("gpuBenchmark");
      assertEquals(false, bench.get("available"));
    } finally {
      m.close();
    }
  }

  @Test
  void noGpuMachineHasNoTelemetryAndSaysWhy(@TempDir Path state) throws Exception {
    HardwareMonitor m = HardwareMonitor.start(Fixtures.machine("no-gpu-devbox", "x86_64"), state,
        new HardwareMonitor.Options(false, Duration.ofSeconds(60), TelemetryRules.Limits.defaults()), null);
    try {
      m.pictureFuture().get(10, TimeUnit.SECONDS);
      @SuppressWarnings("unchecked")
      Map<String, Object> t = (Map<String, Object>) m.statusView().get("telemetry");
      assertEquals(false, t.get("available"));
      assertTrue(String.valueOf(t.get("reason")).startsWith("no GPU: no NVIDIA GPU found"), String.valueOf(t.get("reason")));
      assertTrue(m.prometheus().contains("infernet_gpus 0\n"));
      Map<String, Object> bench = m.rerunBenchmark(); // what POST /hardware/benchmark answers here
      assertEquals(false, bench.get("available"));
      assertTrue(String.valueOf(bench.get("reason")).startsWith("skipped: no NVIDIA GPU found"), String.valueOf(bench));
    } finally {
      m.close();
    }
  }
}
