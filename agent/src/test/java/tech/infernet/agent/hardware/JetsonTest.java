package tech.infernet.agent.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JetsonTest {

  @Test
  void l4tReleaseAndJetPack() {
    assertEquals("36.4.4", Jetson.l4t(Fixtures.text("machines/orin-agx-jp6/root/etc/nv_tegra_release")));
    assertEquals("35.2.1", Jetson.l4t(Fixtures.text("machines/orin-nx-jp5/root/etc/nv_tegra_release")));
    assertEquals("38.4.0", Jetson.l4t(Fixtures.text("machines/thor-jp7/root/etc/nv_tegra_release")));
    assertEquals("5.1", Jetson.jetpack("35.2.1"));
    assertEquals("6.2", Jetson.jetpack("36.4.3"));
    assertEquals("5.1.2", Jetson.jetpack("35.4.1"));
    assertEquals("6.x", Jetson.jetpack("36.4.4")); // not in the cited table: family only, not a guess
    assertEquals("7.x", Jetson.jetpack("38.4.0"));
    assertNull(Jetson.l4t("garbage"));
  }

  /** Constructed sysfs tree (paths as jetson-stats reads them; values chosen here, not recorded). */
  @Test
  void devfreqGpuLoadAndThermalZonesFromAConstructedTree(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/nv_tegra_release"),
        Fixtures.text("machines/orin-agx-jp6/root/etc/nv_tegra_release"));
    Path cpu = root.resolve("sys/class/devfreq/cpu-dummy/device/of_node");
    Files.createDirectories(cpu);
    Files.writeString(cpu.resolve("name"), "emc\u0000");
    Path gpu = root.resolve("sys/class/devfreq/17000000.gpu");
    Files.createDirectories(gpu.resolve("device/of_node"));
    Files.writeString(gpu.resolve("device/of_node/name"), "gpu\u0000");
    Files.writeString(gpu.resolve("device/load"), "503\n");
    Files.writeString(gpu.resolve("cur_freq"), "306000000\n");
    Files.writeString(gpu.resolve("max_freq"), "1300500000\n");
    Path z0 = root.resolve("sys/class/thermal/thermal_zone0");
    Files.createDirectories(z0);
    Files.writeString(z0.resolve("type"), "gpu-thermal\n");
    Files.writeString(z0.resolve("temp"), "47625\n");
    Path z1 = root.resolve("sys/class/thermal/thermal_zone1");
    Files.createDirectories(z1);
    Files.writeString(z1.resolve("type"), "cv0-thermal\n");
    Files.writeString(z1.resolve("temp"), "-256000\n");
    Host host = new Host(root, new Fixtures.RecordedCommands(root.resolve("none")), "aarch64", Duration.ofSeconds(1),
        List.of(root));
    Jetson j = Jetson.probe(host).orNull();
    assertEquals(50, j.gpuLoadPct());
    assertEquals(306000000L, j.gpuFreqHz());
    assertEquals(1300500000L, j.gpuMaxFreqHz());
    assertEquals(47.625, j.thermalC().get("gpu-thermal"));
    assertNull(j.thermalC().get("cv0-thermal"));
    assertEquals("6.x", j.jetpack());
    assertNull(j.powerMode()); // no nvpmodel recorded
  }
}
