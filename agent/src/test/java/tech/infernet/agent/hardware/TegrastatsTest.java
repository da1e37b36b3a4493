package tech.infernet.agent.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class TegrastatsTest {

  private static Tegrastats first(String file) {
    return Tegrastats.parse(Fixtures.text("tegrastats/" + file).split("\n")[0]).orNull();
  }

  @Test
  void orinOnJetPack6() {
    Tegrastats t = first("orin-agx-r36.4.4-jp6.txt");
    assertEquals(18207, t.ramUsedMiB());
    assertEquals(62841, t.ramTotalMiB());
    assertEquals(0, t.gpuLoadPct());
    assertEquals(List.of(0, 0), t.gpuFreqMHz());
    assertEquals(52.562, t.temperaturesC().get("tj"));
    assertEquals(2412, t.powerMilliwatts().get("VDD_GPU_SOC"));
    assertEquals(4707, t.powerMilliwatts().get("VIN_SYS_5V0"));
  }

  @Test
  void thorOnJetPack7HasNoLoadFigure() {
    Tegrastats t = first("thor-r38.4.0-jp7.txt");
    assertNull(t.gpuLoadPct());
    assertEquals(List.of(0, 0, 0), t.gpuFreqMHz());
    assertEquals(125773, t.ramTotalMiB());
    assertEquals(0, t.powerMilliwatts().get("VDD_GPU"));
    assertEquals(34.5, t.temperaturesC().get("tj"));
  }

  @Test
  void orinOnJetPack7ReportsLoadAndPerGpcFrequencies() {
    Tegrastats t = first("orin-agx-r39.2-jp7.txt");
    assertEquals(12, t.gpuLoadPct());
    assertEquals(List.of(1300, 1300), t.gpuFreqMHz());
    assertEquals(47.625, t.temperaturesC().get("gpu"));
    assertEquals(5139, t.powerMilliwatts().get("VDD_GPU_SOC"));
  }

  @Test
  void absentSensorsAreDropped() {
    Tegrastats t = first("orin-agx-64gb-jetson-exporter-14.txt");
    assertNull(t.temperaturesC().get("GPU")); // GPU@-256C: sensor off
    assertNull(t.temperaturesC().get("CV0"));
    assertEquals(44.343, t.temperaturesC().get("tj"));
    assertEquals(2340, t.powerMilliwatts().get("VDD_GPU_SOC"));
    assertEquals(List.of(0, 0), t.gpuFreqMHz());
  }

  @Test
  void nanoOnJetPack4WithUnitlessRails() {
    Tegrastats t = first("nano-jetson-stats.txt");
    assertEquals(1180, t.ramUsedMiB());
    assertEquals(0, t.gpuLoadPct());
    assertEquals(List.of(76), t.gpuFreqMHz());
    assertEquals(59.0, t.temperaturesC().get("GPU"));
    assertEquals(4520, t.powerMilliwatts().get("POM_5V_IN"));
    assertEquals(0, t.powerMilliwatts().get("POM_5V_GPU"));
  }

  @Test
  void notATegrastatsLine() {
    assertFalse(Tegrastats.parse("NVIDIA-SMI has failed").isOk());
  }
}
