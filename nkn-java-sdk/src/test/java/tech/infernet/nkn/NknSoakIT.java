package tech.infernet.nkn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;

/**
 * Runs {@link NknSoak} in a separate JVM with the recommended process settings (no libjsig,
 * Go's async preemption off) so that a crash shows as a failed exit, not as a dead
 * test JVM. Length: -Dnkn.soak.seconds (60 in CI).
 */
@ExtendWith(NknDevnetExtension.class)
class NknSoakIT {

  @Test
  @Timeout(value = 60, unit = TimeUnit.MINUTES)
  void sustainedTrafficUnderGcAndJitChurnDoesNotCrashTheJvm(NknDevnet devnet) throws Exception {
    long seconds = Long.getLong("nkn.soak.seconds", 60);
    Path workDir = Files.createTempDirectory("nkn-soak");
    String javaHome = System.getProperty("java.home");
    List<String> command = new ArrayList<>(List.of(
        Path.of(javaHome, "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseG1GC",
        "-XX:ErrorFile=" + workDir.resolve("hs_err_%p.log"),
        "-cp", System.getProperty("java.class.path"),
        NknSoak.class.getName(), devnet.seedRpcAddress(), Long.toString(seconds)));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(workDir.resolve("soak.log").toFile());
    builder.environment().remove("LD_PRELOAD");
    builder.environment().put("GODEBUG", "asyncpreemptoff=1");

    Process soak = builder.start();
    boolean ended = soak.waitFor(seconds + 180, TimeUnit.SECONDS);
    if (!ended) {
      soak.destroyForcibly();
    }

    String log = Files.readString(workDir.resolve("soak.log"));
    String summary = log.lines().filter(line -> line.startsWith("soak")).reduce("", (a, b) -> a + b + "\n");
    System.out.println(summary);
    File[] crashes = workDir.toFile().listFiles((dir, name) -> name.startsWith("hs_err"));
    assertTrue(ended, "soak did not end in time\n" + summary);
    assertTrue(crashes == null || crashes.length == 0, "the JVM crashed, see " + workDir);
    assertEquals(0, soak.exitValue(), "soak failed; log in " + workDir + "\n" + summary);
    assertTrue(log.contains("SOAK PASSED"), summary);
  }
}
