package tech.infernet.agent.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.RunnerKind;

/**
 * Runs container jobs with Podman or Docker. A job's container is named after the job and
 * labelled {@code infernet.job=<id>} and {@code infernet.agent=<instance>} (only this agent's
 * containers are listed as leftovers); it is created during PREPARING and started only after
 * RUNNING is stored, so a container in the "created" state has never run.
 */
public final class ContainerRunner implements Runner {
  private static final Logger LOG = Logger.getLogger(ContainerRunner.class.getName());
  private static final Duration CMD = Duration.ofMinutes(2);
  private static final Duration PULL = Duration.ofMinutes(30);
  private static final int MAX_PULL_EVENTS = 200;
  /** Exit status of podman/docker themselves failing (not the container's). */
  private static final int ENGINE_ERROR = 125;
  private final ContainerConfig cfg;

  public ContainerRunner(ContainerConfig cfg) {
    this.cfg = cfg;
  }

  /**
   * Picks podman when its CLI answers, else docker when its daemon answers, else null.
   * {@code version} answers that (docker's fails without a reachable daemon) in ~70 ms here,
   * {@code info} took ~470 ms of the agent's start.
   */
  public static String detectEngine() {
    for (String e : List.of("podman", "docker")) {
      try {
        if (Proc.run(List.of(e, "version"), Duration.ofSeconds(20)).ok()) {
          return e;
        }
      } catch (IOException | InterruptedException ignored) {
        // try the next one
      }
    }
    return null;
  }

  @Override
  public RunnerKind kind() {
    return RunnerKind.CONTAINER;
  }

  @Override
  public String unavailableReason() {
    try {
      Proc.Result r = Proc.run(List.of(cfg.binary(), "version"), Duration.ofSeconds(20));
      return r.ok() ? null : cfg.binary() + " version failed: " + r.err().strip();
    } catch (IOException | InterruptedException e) {
      return cfg.binary() + " not usable: " + e.getMessage();
    }
  }

  /**
   * Creates the job's container without starting it. The common case costs one engine call: no
   * "image exists" probe and no removal beforehand; a create that fails because the image is
   * missing pulls (policy "missing") and tries again, and one that fails because a container of
   * that name exists (a create from an attempt the agent was killed in, never started) removes it
   * and tries again.
   */
  @Override
  public void prepare(Job job, Path workDir, OptionalInt gpu, RunSink sink) throws Exception {
    String image = job.spec().image();
    boolean pulled = false;
    if (cfg.pullPolicy().equals("always")) {
      pull(image, sink);
      pulled = true;
    }
    List<String> create = ContainerArgs.create(cfg, job, workDir, gpu);
    Proc.Result r = Proc.run(create, CMD);
    for (int attempt = 0; !r.ok() && attempt < 2; attempt++) {
      String err = r.err();
      if (nameInUse(err)) {
        run("rm", "--force", ContainerArgs.name(job.id()));
      } else if (imageMissing(err) && !pulled && cfg.pullPolicy().equals("missing")) {
        pull(image, sink);
        pulled = true;
      } else if (imageMissing(err) && cfg.pullPolicy().equals("never")) {
        throw new RunnerException("image " + image + " is not present and pulls are disabled");
      } else {
        break;
      }
      r = Proc.run(create, CMD);
    }
    if (!r.ok()) {
      throw new RunnerException("container create failed: " + r.err().strip());
    }
    if (!pulled) {
      sink.progress(Map.of("image", image, "status", "present"));
    }
  }

  private static boolean nameInUse(String err) {
    return err.contains("already in use");
  }

  private static boolean imageMissing(String err) {
    String e = err.toLowerCase(java.util.Locale.ROOT);
    return e.contains("image not known") || e.contains("no such image") || e.contains("unable to find image");
  }

  private void pull(String image, RunSink sink) throws Exception {
    List<String> argv = new ArrayList<>(ContainerArgs.base(cfg));
    argv.add("pull");
    argv.add(image);
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    int[] n = {0};
    pump(p.getInputStream(), line -> {
      if (n[0]++ < MAX_PULL_EVENTS) {
        sink.progress(Map.of("image", image, "status", line));
      }
    });
    if (!p.waitFor(PULL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new RunnerException("pull of " + image + " took longer than " + PULL);
    }
    if (p.exitValue() != 0) {
      throw new RunnerException("pull of " + image + " failed (exit " + p.exitValue() + ")");
    }
    sink.progress(Map.of("image", image, "status", "pulled"));
  }

  @Override
  public Execution start(Job job, RunSink sink) throws Exception {
    List<String> argv = new ArrayList<>(ContainerArgs.base(cfg));
    argv.addAll(List.of("start", "--attach", ContainerArgs.name(job.id())));
    return follow(job.id(), argv, sink, true);
  }

  @Override
  public Recovery recover(Job job, long logsSinceMillis, RunSink sink) throws Exception {
    String name = ContainerArgs.name(job.id());
    Proc.Result r = run("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name);
    if (!r.ok()) {
      return new Recovery.Lost("container " + name + " not found");
    }
    String[] st = r.out().strip().split(" ");
    switch (st[0]) {
      case "created", "configured", "initialized" -> {
        return new Recovery.Reattached(start(job, sink));
      }
      case "running", "paused", "stopping" -> {
        List<String> argv = new ArrayList<>(ContainerArgs.base(cfg));
        argv.addAll(List.of("logs", "--follow", "--since",
            Long.toString(Math.max(0, logsSinceMillis / 1000)), name));
        return new Recovery.Reattached(follow(job.id(), argv, sink, false));
      }
      default -> {
        return new Recovery.Ended(Integer.parseInt(st[1]));
      }
    }
  }

  /**
   * Runs a start --attach or logs --follow process and pumps its output. The exit code of
   * {@code start --attach} is the container's (checked here: it matched {@code podman wait} in every
   * trial), except 125, the engine's own failure, which is resolved with {@code wait}; after
   * {@code logs --follow} the exit code is always read with {@code wait}.
   */
  private Execution follow(JobId id, List<String> argv, RunSink sink, boolean attachGivesExit)
      throws IOException {
    Process p = new ProcessBuilder(argv).start();
    p.getOutputStream().close();
    Thread out = Proc.daemon("infernet-log-out-" + id, () -> pump(p.getInputStream(), l -> sink.log("stdout", l)));
    Thread err = Proc.daemon("infernet-log-err-" + id, () -> pump(p.getErrorStream(), l -> sink.log("stderr", l)));
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    p.onExit().thenRunAsync(() -> {
      try {
        out.join();
        err.join();
        int attached = p.exitValue();
        exit.complete(attachGivesExit && attached != ENGINE_ERROR ? attached : exitCode(id));
      } catch (Exception e) {
        exit.completeExceptionally(e);
      }
    });
    return () -> exit;
  }

  private int exitCode(JobId id) throws Exception {
    String name = ContainerArgs.name(id);
    // start --attach can return before the engine has recorded the exit; wait for it.
    Proc.Result w = run("wait", name);
    if (w.ok() && !w.out().isBlank()) {
      return Integer.parseInt(w.out().strip().lines().reduce((a, b) -> b).orElse("-1").strip());
    }
    Proc.Result r = run("inspect", "--format", "{{.State.ExitCode}}", name);
    if (!r.ok()) {
      throw new RunnerException("container " + name + " vanished before its exit code was read");
    }
    return Integer.parseInt(r.out().strip());
  }

  @Override
  public void remove(JobId id) throws Exception {
    Proc.Result r = run("rm", "--force", "--time", "0", ContainerArgs.name(id));
    if (!r.ok() && !r.err().contains("no such container") && !r.err().contains("No such container")) {
      LOG.warning("removing container of job " + id + " failed: " + r.err().strip());
    }
  }

  @Override
  public List<JobId> leftovers() throws Exception {
    Proc.Result r = run("ps", "--all", "--filter", "label=" + ContainerArgs.LABEL,
        "--filter", "label=" + ContainerArgs.AGENT_LABEL + "=" + cfg.instance(), "--format", "{{.Names}}");
    if (!r.ok()) {
      throw new RunnerException("listing containers failed: " + r.err().strip());
    }
    List<JobId> ids = new ArrayList<>();
    for (String n : r.out().split("\\s+")) {
      if (n.startsWith("infernet-")) {
        String v = n.substring("infernet-".length()).toUpperCase(java.util.Locale.ROOT);
        if (JobId.isValid(v)) {
          ids.add(new JobId(v));
        }
      }
    }
    return ids;
  }

  private Proc.Result run(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(ContainerArgs.base(cfg));
    argv.addAll(List.of(args));
    return Proc.run(argv, CMD);
  }

  static void pump(InputStream in, java.util.function.Consumer<String> lines) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      char[] buf = new char[4096];
      StringBuilder line = new StringBuilder();
      int n;
      while ((n = r.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          char c = buf[i];
          if (c == '\n' || line.length() >= 4096) {
            lines.accept(line.toString());
            line.setLength(0);
            if (c == '\n') {
              continue;
            }
          }
          line.append(c);
        }
      }
      if (line.length() > 0) {
        lines.accept(line.toString());
      }
    } catch (IOException ignored) {
      // process ended
    }
  }
}
