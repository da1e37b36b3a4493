package tech.infernet.protocol;

import java.nio.file.Path;

/** Child JVM of ReplayCacheCrashTest: records nonces forever, printing each one once it is FRESH. */
public final class ReplayCacheCrashChild {
  private ReplayCacheCrashChild() {}

  public static void main(String[] args) throws Exception {
    FileReplayCache c = FileReplayCache.open(Path.of(args[0]), 1_000_000, true, Fixtures.T0);
    byte[] sender = Fixtures.key(1).publicKey();
    for (int i = 0; ; i++) {
      if (c.checkAndRecord(sender, ReplayCacheCrashTest.nonce(i), Fixtures.T0 + 120_000, Fixtures.T0)
          != ReplayCache.Result.FRESH) {
        throw new IllegalStateException("nonce " + i + " not fresh");
      }
      System.out.println(i);
      System.out.flush();
    }
  }
}
