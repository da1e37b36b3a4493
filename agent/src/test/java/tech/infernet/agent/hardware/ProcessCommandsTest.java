package tech.infernet.agent.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our timeout handling against misbehaving programs: fake {@code nvidia-smi} scripts on a private
 * PATH that hang, print garbage, or exit while a child keeps their output open.
 */
class ProcessCommandsTest {
  private static final Duration TIMEOUT = Duration.ofMillis(1000);

  private static ProcessCommands fake(Path dir, String script) throws Exception {
    Path p = dir.resolve("nvidia-smi");
    Files.writeString(p, "#!/bin/sh\n" + script + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new ProcessCommands(List.of(dir));
  }

  private static Host host(ProcessCommands c) {
    Path root = Fixtures.dir("machines/no-gpu-devbox/root");
    return new Host(root, c, "x86_64", TIMEOUT, List.of(root));
  }

  @Test
  @Timeout(10)
  void hangingNvidiaSmiCostsAtMostItsTimeout(@TempDir Path dir) throws Exception {
    ProcessCommands c = fake(dir, "sleep 30");
    long t0 = System.nanoTime();
    HardwarePicture p = HardwareProbe.probe(host(c), false);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < TIMEOUT.toMillis() + 1500, "probe took " + ms + " ms");
    assertFalse(p.gpus().isOk());
    assertTrue(p.gpus().reason().contains("nvidia-smi timed out after 1000 ms"), p.gpus().reason());
    assertTrue(p.cpu().isOk());
  }

  @Test
  @Timeout(10)
  void childHoldingTheOutputOpenDoesNotHangTheProbe(@TempDir Path dir) throws Exception {
    ProcessCommands c = fake(dir, "sleep 30 &\necho 0, x");
    long t0 = System.nanoTime();
    Probed<String> r = c.run(TIMEOUT, List.of("nvidia-smi"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    // The JDK drains and closes the pipe when the program exits, so what it printed comes back.
    assertTrue(ms < TIMEOUT.toMillis() + 1500, "took " + ms + " ms");
    assertTrue(r.isOk() ? r.orNull().contains("0, x") : r.reason().contains("timed out"), String.valueOf(r));
  }

  @Test
  @Timeout(10)
  void garbagePrintingNvidiaSmiDegradesToUnavailable(@TempDir Path dir) throws Exception {
    ProcessCommands c = fake(dir, "head -c 3000 /dev/urandom | tr -d '\\000'; echo; echo 'Segmentation fault, core'");
    HardwarePicture p = HardwareProbe.probe(host(c), false);
    assertFalse(p.gpus().isOk());
    assertTrue(p.gpus().reason().contains("nvidia-smi: unavailable, because unexpected nvidia-smi output"),
        p.gpus().reason());
  }

  @Test
  void failingProgramReportsItsExitStatusAndFirstLine(@TempDir Path dir) throws Exception {
    ProcessCommands c = fake(dir, "echo \"" + Fixtures.text("nvidia-smi/driver-not-loaded.txt").strip() + "\"; exit 9");
    Probed<String> r = c.run(TIMEOUT, List.of("nvidia-smi", "-L"));
    assertEquals("nvidia-smi exited with 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA "
        + "driver. Make sure that the latest NVIDIA driver is installed and running.", r.reason());
  }

  @Test
  void missingProgram(@TempDir Path dir) {
    ProcessCommands c = new ProcessCommands(List.of(dir));
    assertEquals("nvidia-smi not found on PATH", c.run(TIMEOUT, List.of("nvidia-smi")).reason());
    assertFalse(c.exists("nvidia-smi"));
  }

  @Test
  void oldDriverRetriesWithoutComputeCapability(@TempDir Path dir) throws Exception {
    String invalid = Fixtures.text("nvidia-smi/h100-device-invalid-field.txt").strip().replace("no_such_field", "compute_cap");
    String old = Fixtures.text("nvidia-smi/h100-device-inventory-old.csv").strip();
    ProcessCommands c = fake(dir, "case \"$1\" in *compute_cap*) echo '" + invalid + "'; exit 2;; esac\necho '" + old + "'");
    GpuSet s = HardwareProbe.probe(host(c), false).gpus().orNull();
    assertEquals("nvidia-smi", s.source());
    assertEquals("NVIDIA H100 80GB HBM3", s.gpus().get(0).name());
  }
}
