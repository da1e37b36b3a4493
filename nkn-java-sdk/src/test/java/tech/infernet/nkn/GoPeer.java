package tech.infernet.nkn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The pure-Go NKN peer (go/cmd/nknpeer), built by the module build next to the library. */
final class GoPeer implements AutoCloseable {
  private final Process process;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuilder stderr = new StringBuilder();

  private GoPeer(Process process) {
    this.process = process;
    Thread out = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true), "nknpeer-out");
    Thread err = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false), "nknpeer-err");
    out.setDaemon(true);
    err.setDaemon(true);
    out.start();
    err.start();
  }

  static Path binary() {
    String dir = System.getProperty("infernet.go.bin", "target/go-bin");
    Path peer = Path.of(dir, "nknpeer");
    if (!Files.isExecutable(peer)) {
      throw new IllegalStateException("no Go peer at " + peer + "; the module build makes it (mvn -pl nkn-java-sdk verify)");
    }
    return peer;
  }

  static GoPeer start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(List.of(args));
    return new GoPeer(new ProcessBuilder(command).start());
  }

  private void pump(BufferedReader reader, boolean stdout) {
    try (reader) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (stdout) {
          lines.add(line);
        } else {
          synchronized (stderr) {
            stderr.append(line).append('\n');
          }
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** The next stdout line that starts with prefix, without the prefix. */
  String expect(String prefix, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith(prefix + " ")) {
        return line.substring(prefix.length() + 1);
      }
    }
    throw new AssertionError("nknpeer printed no '" + prefix + "' line in " + seconds + " s; stderr:\n" + stderrText());
  }

  CompletableFuture<Integer> exit() {
    return process.onExit().thenApply(Process::exitValue);
  }

  String stderrText() {
    synchronized (stderr) {
      return stderr.toString();
    }
  }

  @Override
  public void close() {
    process.destroy();
  }
}
