package tech.infernet.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-backed replay cache keeps every nonce it answered FRESH for, across a SIGKILL. */
class ReplayCacheCrashTest {
  @TempDir
  Path dir;

  static byte[] nonce(int i) {
    byte[] n = new byte[24];
    java.nio.ByteBuffer.wrap(n).putInt(i);
    return n;
  }

  @Test
  void everyNonceAnsweredFreshBeforeAKillIsAReplayAfterIt() throws Exception {
    Path file = dir.resolve("replay.bin");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ReplayCacheCrashChild.class.getName(), file.toString()).redirectErrorStream(true).start();
    int last = -1;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null && last < 300; ) {
        last = Integer.parseInt(line.strip());
      }
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    assertTrue(last >= 300, "child recorded " + last);
    byte[] sender = Fixtures.key(1).publicKey();
    try (FileReplayCache c = FileReplayCache.open(file, 1_000_000, true, Fixtures.T0)) {
      assertTrue(c.size() >= last + 1);
      for (int i = 0; i <= last; i++) {
        assertEquals(ReplayCache.Result.REPLAYED,
            c.checkAndRecord(sender, nonce(i), Fixtures.T0 + 120_000, Fixtures.T0), "nonce " + i);
      }
    }
  }
}
