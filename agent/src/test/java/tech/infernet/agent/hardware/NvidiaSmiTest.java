package tech.infernet.agent.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NvidiaSmiTest {

  @Test
  void h100InventoryRecordedOnTheDeviceMachine() {
    List<Gpu> gpus = NvidiaSmi.gpus(NvidiaSmi.INVENTORY, Fixtures.text("nvidia-smi/h100-device-inventory.csv")).orNull();
    assertEquals(1, gpus.size());
    Gpu g = gpus.get(0);
    assertEquals("NVIDIA H100 80GB HBM3", g.name());
    assertEquals("GPU-45fe05ec-d7bf-5f3b-9027-7cb7c929bdfb", g.uuid());
    assertEquals("580.159.04", g.driverVersion());
    assertEquals(81559L, g.memoryTotalMiB());
    assertEquals(81559L, g.memoryFreeMiB());
    assertEquals("9.0", g.computeCapability());
    assertFalse(g.memorySharedWithCpu());
  }

  @Test
  void oldDriverInventoryHasNoComputeCapability() {
    Gpu g = NvidiaSmi.gpus(NvidiaSmi.INVENTORY_OLD, Fixtures.text("nvidia-smi/h100-device-inventory-old.csv"))
        .orNull().get(0);
    assertEquals("NVIDIA H100 80GB HBM3", g.name());
    assertNull(g.computeCapability());
  }

  @Test
  void telemetryIdleAndAfterTheBenchmark() {
    GpuSample idle = NvidiaSmi.samples(NvidiaSmi.TELEMETRY, Fixtures.text("nvidia-smi/h100-device-telemetry-idle.csv"))
        .orNull().get(0);
    assertEquals(0.0, idle.utilizationPct());
    assertEquals(34.0, idle.temperatureC());
    assertEquals(114.34, idle.powerW());
    assertEquals(700.0, idle.powerLimitW());
    assertEquals(405, idle.smClockMHz());
    assertEquals(1980, idle.smClockMaxMHz());
    assertEquals(List.of("gpu_idle"), idle.throttleReasons());
    assertFalse(idle.throttled());
    GpuSample after = NvidiaSmi.samples(NvidiaSmi.TELEMETRY,
        Fixtures.text("nvidia-smi/h100-device-telemetry-after-bench.csv")).orNull().get(0);
    assertEquals(1980, after.smClockMHz());
    assertEquals(List.of(), after.throttleReasons());
  }

  @Test
  void headerAndUnitsAreUnderstood() {
    GpuSample s = NvidiaSmi.samples(NvidiaSmi.TELEMETRY,
        Fixtures.text("nvidia-smi/h100-device-telemetry-header-units.csv")).orNull().get(0);
    assertEquals(81559L, s.memoryTotalMiB());
    assertEquals(112.31, s.powerW());
    assertEquals(375, s.smClockMHz());
  }

  @Test
  void consumerRtx2080WithNotAvailableFields() {
    List<String> fields = Fixtures.fields("nvidia-smi/rtx2080-gpu-utils-83.fields");
    Gpu g = NvidiaSmi.gpus(fields, Fixtures.text("nvidia-smi/rtx2080-gpu-utils-83.csv")).orNull().get(0);
    assertEquals("GeForce RTX 2080", g.name());
    assertEquals("GPU-22b2c6ac-2d49-4863-197c-9c469071178a", g.uuid());
    assertEquals(7979L, g.memoryTotalMiB());
    assertEquals("440.64", g.driverVersion());
    var row = NvidiaSmi.parseCsv(fields, Fixtures.text("nvidia-smi/rtx2080-gpu-utils-83.csv")).orNull().get(0);
    assertNull(row.get("temperature.memory")); // "N/A"
    assertEquals("176.98", row.get("power.draw"));
  }

  @Test
  void consumerRtx2060CsvWithHeaderAndUnits() {
    List<String> fields = Fixtures.fields("nvidia-smi/rtx2060-smc-57.fields");
    List<Gpu> gpus = NvidiaSmi.gpus(fields, Fixtures.text("nvidia-smi/rtx2060-smc-57.csv")).orNull();
    assertEquals(1, gpus.size());
    assertEquals("GeForce RTX 2060", gpus.get(0).name());
    assertEquals(5934L, gpus.get(0).memoryTotalMiB());
    assertEquals(5252L, gpus.get(0).memoryFreeMiB());
  }

  @Test
  void defaultTableOfEightH100s() {
    List<Gpu> gpus = NvidiaSmi.table(Fixtures.text("nvidia-smi/h100x8-table.txt")).orNull();
    assertEquals(8, gpus.size());
    for (int i = 0; i < 8; i++) {
      assertEquals(i, gpus.get(i).index());
      assertEquals("NVIDIA H100 80GB HBM3", gpus.get(i).name());
      assertEquals(81559L, gpus.get(i).memoryTotalMiB());
      assertEquals("565.57.01", gpus.get(i).driverVersion());
      assertEquals("12.7", gpus.get(i).cudaVersion());
    }
    List<GpuSample> s = NvidiaSmi.tableSamples(Fixtures.text("nvidia-smi/h100x8-table.txt"));
    assertEquals(100.0, s.get(0).powerW());
    assertEquals(700.0, s.get(0).powerLimitW());
    assertEquals(28.0, s.get(4).temperatureC());
  }

  @Test
  void defaultTableOfFourA100sAndOfTheDeviceH100() {
    List<Gpu> a100 = NvidiaSmi.table(Fixtures.text("nvidia-smi/a100x4-table.txt")).orNull();
    assertEquals(4, a100.size());
    assertEquals("NVIDIA A100-SXM4-80GB", a100.get(3).name());
    assertEquals(81920L, a100.get(3).memoryTotalMiB());
    assertEquals(81919L, a100.get(3).memoryFreeMiB());
    Gpu h100 = NvidiaSmi.table(Fixtures.text("nvidia-smi/h100-device-table.txt")).orNull().get(0);
    assertEquals("13.0", h100.cudaVersion());
    assertEquals("580.159.04", h100.driverVersion());
  }

  @Test
  void garbageAndRefusalsAreUnavailableNotHalfRight() {
    assertFalse(NvidiaSmi.gpus(NvidiaSmi.INVENTORY, "\u0007\u0000%%garbage, 1\n").isOk());
    assertFalse(NvidiaSmi.gpus(NvidiaSmi.INVENTORY, Fixtures.text("nvidia-smi/driver-not-loaded.txt")).isOk());
    assertFalse(NvidiaSmi.gpus(NvidiaSmi.INVENTORY, "").isOk());
    assertTrue(NvidiaSmi.gpus(NvidiaSmi.INVENTORY, Fixtures.text("nvidia-smi/h100-device-invalid-field.txt"))
        .reason().startsWith("unexpected nvidia-smi output"));
    assertFalse(NvidiaSmi.table("no table here").isOk());
  }
}
