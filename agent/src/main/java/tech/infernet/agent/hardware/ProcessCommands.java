package tech.infernet.agent.hardware;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs programs found on an explicit search path with a hard timeout. Output is read on a worker
 * thread and capped; a program that outlives its timeout is killed with its descendants and
 * reported as "timed out". Never blocks the caller longer than the timeout plus a short grace.
 */
public final class ProcessCommands implements Commands {
  static final int MAX_OUTPUT = 256 * 1024;
  private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "infernet-probe-io");
    t.setDaemon(true);
    return t;
  });
  private final List<Path> searchPath;

  public ProcessCommands(List<Path> searchPath) {
    this.searchPath = List.copyOf(searchPath);
  }

  /** Search path from a PATH-style string plus the usual system directories. */
  public static ProcessCommands fromPath(String path) {
    List<Path> dirs = new ArrayList<>();
    if (path != null) {
      for (String p : path.split(":")) {
        if (!p.isBlank()) {
          dirs.add(Path.of(p));
        }
      }
    }
    for (String p : List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      if (!dirs.contains(Path.of(p))) {
        dirs.add(Path.of(p));
      }
    }
    return new ProcessCommands(dirs);
  }

  public static ProcessCommands system() {
    return fromPath(System.getenv("PATH"));
  }

  Path resolve(String program) {
    if (program.contains("/")) {
      Path p = Path.of(program);
      return Files.isExecutable(p) ? p : null;
    }
    for (Path dir : searchPath) {
      Path p = dir.resolve(program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  @Override
  public boolean exists(String program) {
    return resolve(program) != null;
  }

  @Override
  public Probed<String> run(Duration timeout, List<String> argv) {
    String name = argv.get(0);
    Path exe = resolve(name);
    if (exe == null) {
      return Probed.unavailable(name + " not found on PATH");
    }
    List<String> cmd = new ArrayList<>(argv);
    cmd.set(0, exe.toString());
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      return Probed.unavailable(name + " could not be started: " + e.getMessage());
    }
    Future<byte[]> out = READERS.submit(() -> readCapped(p.getInputStream()));
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(p);
        return Probed.unavailable(name + " timed out after " + timeout.toMillis() + " ms");
      }
      long left = Math.max(50_000_000L, deadline - System.nanoTime());
      byte[] bytes = out.get(left, TimeUnit.NANOSECONDS);
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        return Probed.unavailable(name + " exited with " + p.exitValue() + firstLine(text));
      }
      return Probed.ok(text);
    } catch (InterruptedException e) {
      kill(p);
      Thread.currentThread().interrupt();
      return Probed.unavailable(name + " interrupted");
    } catch (TimeoutException e) {
      // The program exited but left a child holding its stdout open.
      kill(p);
      return Probed.unavailable(name + " timed out after " + timeout.toMillis() + " ms (output never closed)");
    } catch (ExecutionException e) {
      return Probed.unavailable(name + " output unreadable: " + e.getCause());
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private static String firstLine(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return "";
    }
    int nl = t.indexOf('\n');
    String line = nl < 0 ? t : t.substring(0, nl);
    return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
  }

  private static byte[] readCapped(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (b.size() < MAX_OUTPUT) {
        b.write(buf, 0, Math.min(n, MAX_OUTPUT - b.size()));
      }
    }
    return b.toByteArray();
  }
}
