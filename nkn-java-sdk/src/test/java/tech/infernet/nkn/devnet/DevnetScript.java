package tech.infernet.nkn.devnet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code scripts/devnet.sh} on one devnet folder and port range. The script owns all the
 * logic (build, config, pid file, readiness); this class only runs it and reports failures with
 * its output, which ends with the node's log tail when the node does not come up.
 */
final class DevnetScript {
  private final Path repo;
  private final Path devnetDir;
  private final int portBase;

  DevnetScript(Path repo, Path devnetDir, int portBase) {
    this.repo = repo;
    this.devnetDir = devnetDir;
    this.portBase = portBase;
  }

  Path devnetDir() {
    return devnetDir;
  }

  /** Runs one subcommand and returns its output (stdout and stderr together). */
  String run(String command, Duration timeout) {
    Path output = null;
    try {
      output = Files.createTempFile("devnet-" + command, ".log");
      ProcessBuilder builder = new ProcessBuilder(repo.resolve(RepoRoot.DEVNET_SCRIPT).toString(), command)
          .directory(repo.toFile())
          .redirectErrorStream(true)
          // A file, not a pipe: nothing can block on a full pipe or hold it open.
          .redirectOutput(output.toFile());
      configure(builder.environment());
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw failure(command, "did not finish within " + timeout.toSeconds() + " s", output);
      }
      if (process.exitValue() != 0) {
        throw failure(command, "exited with " + process.exitValue(), output);
      }
      return read(output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + RepoRoot.DEVNET_SCRIPT + " " + command + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running devnet.sh " + command, e);
    } finally {
      deleteQuietly(output);
    }
  }

  private void configure(Map<String, String> env) {
    env.put("INFERNET_DEVNET_DIR", devnetDir.toString());
    env.put("INFERNET_DEVNET_PORT_BASE", Integer.toString(portBase));
    // The test JVM runs with these for its own Go library; nknd must not inherit them.
    env.remove("LD_PRELOAD");
    env.remove("GODEBUG");
  }

  private IllegalStateException failure(String command, String what, Path output) {
    return new IllegalStateException("devnet.sh " + command + " (devnet " + devnetDir + ") " + what
        + ". Its output:\n" + read(output));
  }

  private static String read(Path output) {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A leftover temp file is harmless.
    }
  }
}
