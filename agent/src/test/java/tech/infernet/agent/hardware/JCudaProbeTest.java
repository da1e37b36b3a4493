package tech.infernet.agent.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** On a machine without a CUDA driver (CI, this dev box), JCuda fails once and is never touched again. */
class JCudaProbeTest {

  @Test
  void linkageErrorIsCaughtOnceAndRemembered() {
    Probed<?> first = GpuProbe.jcuda(Duration.ofSeconds(30));
    assumeFalse(first.isOk(), "a CUDA driver and GPU are present here");
    String reason = JCudaProbe.disabledReason();
    if (reason == null) {
      return; // driver present but no device: a CudaException, not a LinkageError; nothing to remember
    }
    assertEquals(reason, first.reason());
    long t0 = System.nanoTime();
    Probed<?> again = GpuProbe.jcuda(Duration.ofSeconds(30));
    assertEquals(reason, again.reason());
    assertNotNull(JCudaProbe.usable());
    org.junit.jupiter.api.Assertions.assertTrue((System.nanoTime() - t0) < 50_000_000L, "second call is immediate");
  }

  @Test
  void summaryKeepsTheTellingLine() {
    String msg = "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\nOperating system name: Linux\n"
        + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open "
        + "shared object file: No such file or directory\n\tat x";
    assertEquals("Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\": /tmp/libJCudaDriver-12.6.0-"
        + "linux-x86_64.so: libcuda.so.1: cannot open shared object file: No such file or directory",
        JCudaProbe.summary(msg));
  }
}
