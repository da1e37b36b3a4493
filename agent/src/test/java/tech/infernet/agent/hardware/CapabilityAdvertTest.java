package tech.infernet.agent.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.infernet.agent.jobs.Json;

class CapabilityAdvertTest {

  @Test
  void summarisesTheMachineWithoutIdentifiersUnlessAskedTo() {
    HardwarePicture p = HardwareProbe.probe(Fixtures.machine("h100-device", "x86_64"), false);
    GpuBenchResult b = new GpuBenchResult(0, "NVIDIA H100 80GB HBM3", "GPU-45fe05ec-d7bf-5f3b-9027-7cb7c929bdfb",
        "580.159.04", "13.0", 4096, 29.47, true, 8192, 181.06, true, 268435456L, 54.72, 54.65, 1493.86, "k", 1, 5L, 6L);
    CapabilityAdvert a = CapabilityAdvert.of(p, List.of(b), "0.1.0", "ab".repeat(32), Map.of("container", "available"),
        List.of("container"), Map.of("maxConcurrent", 2), false, 1234L);
    String json = Json.write(a.toMap());
    assertFalse(json.contains("GPU-45fe05ec"), json);
    assertFalse(json.toLowerCase(java.util.Locale.ROOT).contains("serial"), json);
    assertTrue(json.contains("\"name\":\"NVIDIA H100 80GB HBM3\""), json);
    assertTrue(json.contains("\"fp16Tflops\":181.06"), json);
    assertTrue(json.startsWith("{\"schema\":1,\"agentVersion\":\"0.1.0\""), json);
    assertEquals("nvidia-smi", a.hardware().get("gpuSource"));
    String withIds = Json.write(CapabilityAdvert.of(p, List.of(), "0.1.0", null, Map.of(), List.of(), Map.of(), true, 1L)
        .toMap());
    assertTrue(withIds.contains("GPU-45fe05ec-d7bf-5f3b-9027-7cb7c929bdfb"), withIds);
  }

  @Test
  void jetsonAdvertSaysMemoryIsShared() {
    HardwarePicture p = HardwareProbe.probe(Fixtures.machine("orin-nx-jp5", "aarch64"), false);
    CapabilityAdvert a = CapabilityAdvert.of(p, List.of(), "0.1.0", null, Map.of(), List.of(), Map.of(), false, 1L);
    @SuppressWarnings("unchecked")
    Map<String, Object> jetson = (Map<String, Object>) a.hardware().get("jetson");
    assertEquals("5.1", jetson.get("jetpack"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> gpus = (List<Map<String, Object>>) a.hardware().get("gpus");
    assertEquals(true, gpus.get(0).get("memorySharedWithCpu"));
  }
}
