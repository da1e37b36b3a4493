package tech.infernet.agent.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuBenchmarkTest {

  @Test
  void skipsCleanlyWithoutAGpu(@TempDir Path state) {
    HardwarePicture p = HardwareProbe.probe(Fixtures.machine("no-gpu-devbox", "x86_64"), false);
    Probed<List<GpuBenchResult>> r = GpuBenchmark.run(p, state, true);
    assertFalse(r.isOk());
    assertTrue(r.reason().startsWith("skipped: no NVIDIA GPU found"), r.reason());
  }

  @Test
  void skipsWhenGpusWereNotFoundThroughJCuda(@TempDir Path state) {
    HardwarePicture p = HardwareProbe.probe(Fixtures.machine("h100-device", "x86_64"), false);
    Probed<List<GpuBenchResult>> r = GpuBenchmark.run(p, state, true);
    assertFalse(r.isOk());
    assertTrue(r.reason().startsWith("skipped: "), r.reason());
  }

  @Test
  void cacheIsKeyedByUuidAndDriver(@TempDir Path state) {
    Gpu g = new Gpu(0, "NVIDIA H100 80GB HBM3", "GPU-45fe05ec-d7bf-5f3b-9027-7cb7c929bdfb", 81079L, 80552L, "9.0", 132,
        "580.159.04", "13.0", false);
    GpuBenchResult r = new GpuBenchResult(0, g.name(), g.uuid(), "580.159.04", "13.0", 4096, 29.47, true, 8192, 181.06,
        true, 268435456L, 54.72, 54.65, 1493.86, "k", JCudaBench.VERSION, 1L, 2149L);
    GpuBenchmark.save(state, List.of(r));
    assertEquals(List.of(r), GpuBenchmark.cached(state, List.of(g)));
    Gpu newDriver = new Gpu(0, g.name(), g.uuid(), 81079L, 80552L, "9.0", 132, "590.10", "13.1", false);
    assertEquals(List.of(), GpuBenchmark.cached(state, List.of(newDriver)));
    HardwarePicture p = new HardwarePicture(Probed.unavailable("x"), Probed.unavailable("x"), Probed.unavailable("x"),
        Probed.unavailable("x"), Probed.unavailable("x"), Probed.ok(new GpuSet("jcuda", List.of(g), List.of())),
        Probed.unavailable("x"), 0, 0);
    assertEquals(List.of(r), GpuBenchmark.run(p, state, false).orNull()); // valid cache: no GPU touched
  }

  @Test
  void inputsAreExactInHalfPrecision() {
    for (int i = 0; i < 1000; i++) {
      float v = JCudaBench.value(1, i, i * 7);
      assertTrue(v >= -1 && v <= 1);
      assertEquals(v, Math.round(v * 16) / 16f);
    }
  }
}
