package tech.infernet.agent.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole picture for each recorded machine (JCuda off: these machines are replayed, not here). */
class MachinesTest {

  private static HardwarePicture probe(String machine, String arch) {
    return HardwareProbe.probe(Fixtures.machine(machine, arch), false);
  }

  @Test
  void h100DeviceMachineThroughNvidiaSmi() {
    HardwarePicture p = probe("h100-device", "x86_64");
    GpuSet s = p.gpus().orNull();
    assertEquals("nvidia-smi", s.source());
    assertEquals(1, s.gpus().size());
    assertEquals("NVIDIA H100 80GB HBM3", s.gpus().get(0).name());
    assertEquals("9.0", s.gpus().get(0).computeCapability());
    Cpu cpu = p.cpu().orNull();
    assertEquals("Intel(R) Xeon(R) Processor", cpu.model());
    assertEquals(16, cpu.threads());
    assertTrue(cpu.flags().contains("amx_bf16"));
    assertEquals("Ubuntu 24.04.3 LTS", p.os().orNull().name());
    assertEquals(135148564480L, p.memory().orNull().totalBytes());
    assertFalse(p.jetson().isOk());
    assertEquals("580.159.04", GpuProbe.driverVersion(Fixtures.machine("h100-device", "x86_64")));
  }

  @Test
  void noGpuMachineSaysWhy() {
    HardwarePicture p = probe("no-gpu-devbox", "x86_64");
    assertFalse(p.gpus().isOk());
    String why = p.gpus().reason();
    assertTrue(why.contains("jcuda: unavailable, because disabled"), why);
    assertTrue(why.contains("nvidia-smi: unavailable, because nvidia-smi not found on PATH"), why);
    assertTrue(why.contains("jetson: unavailable, because not a Jetson"), why);
    assertEquals(2, p.cpu().orNull().threads());
    Map<String, Object> view = HardwareViews.picture(p);
    @SuppressWarnings("unchecked")
    Map<String, Object> gpus = (Map<String, Object>) view.get("gpus");
    assertEquals(false, gpus.get("available"));
    assertEquals(why, gpus.get("reason"));
  }

  @Test
  void driverNotLoaded() {
    HardwarePicture p = probe("driver-not-loaded", "x86_64");
    assertTrue(p.gpus().reason().contains("couldn't communicate with the NVIDIA driver"), p.gpus().reason());
  }

  @Test
  void orinOnJetPack6IsAJetsonWithSharedMemory() {
    HardwarePicture p = probe("orin-agx-jp6", "aarch64");
    Jetson j = p.jetson().orNull();
    assertEquals("36.4.4", j.l4t());
    assertEquals("6.x", j.jetpack());
    GpuSet s = p.gpus().orNull();
    assertEquals("jetson", s.source());
    assertTrue(s.gpus().get(0).memorySharedWithCpu());
    assertTrue(s.attempts().stream().anyMatch(a -> a.startsWith("nvidia-smi: skipped")), s.attempts().toString());
  }

  @Test
  void orinNxOnJetPack5() {
    HardwarePicture p = probe("orin-nx-jp5", "aarch64");
    assertEquals("5.1", p.jetson().orNull().jetpack());
    assertEquals("5.10.104-tegra", p.os().orNull().kernel());
    assertEquals("jetson", p.gpus().orNull().source());
  }

  @Test
  void thorOnJetPack7() {
    assertEquals("7.x", probe("thor-jp7", "aarch64").jetson().orNull().jetpack());
  }
}
