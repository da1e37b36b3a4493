package tech.infernet.agent.runner;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command (argv, no shell) to completion and captures its output. */
final class Proc {
  record Result(int exit, String out, String err) {
    boolean ok() {
      return exit == 0;
    }
  }

  private Proc() {}

  static Result run(List<String> argv, Duration timeout) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    StringBuilder err = new StringBuilder();
    Thread errPump = daemon("infernet-proc-stderr", () -> {
      String s = readAll(p.getErrorStream());
      synchronized (err) {
        err.append(s);
      }
    });
    String out = readAll(p.getInputStream());
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out after " + timeout + ": " + argv);
    }
    errPump.join();
    synchronized (err) {
      return new Result(p.exitValue(), out, err.toString());
    }
  }

  static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String readAll(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
