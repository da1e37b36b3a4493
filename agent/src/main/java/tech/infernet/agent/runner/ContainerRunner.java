package tech.infernet.agent.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.RunnerKind;

/**
 * Runs container jobs with Podman or Docker. A job's container is named after the job and
 * labelled {@code infernet.job=<id>} and {@code infernet.agent=<instance>} (only this agent's
 * containers are listed as leftovers). PREPARING makes sure the image is there (pulling it, with
 * progress events, when the policy allows) and creates nothing; the container is created and
 * started by one attached {@code run} only after RUNNING is stored, and kept after it exits until
 * the job's end is stored. So a job in PREPARING never has a container, and the name (unique per
 * job, refused twice by the engine) makes sure a job's container is created at most once.
 */
public final class ContainerRunner implements Runner {
  private static final Logger LOG = Logger.getLogger(ContainerRunner.class.getName());
  private static final Duration CMD = Duration.ofMinutes(2);
  private static final Duration PULL = Duration.ofMinutes(30);
  private static final int MAX_PULL_EVENTS = 200;
  /** Exit status of podman/docker themselves failing (not the container's). */
  private static final int ENGINE_ERROR = 125;
  private static final int ERR_TAIL_LINES = 8;
  private final ContainerConfig cfg;
  /**
   * Images found present by a check, a pull or a run; later jobs with one skip the check (~40 ms
   * of engine call). An image removed behind the agent's back is found missing by the run itself,
   * which then pulls it (policy permitting) and runs again.
   */
  private final Set<String> present = ConcurrentHashMap.newKeySet();
  /** The run argv of each job prepared and not yet started or removed. */
  private final Map<JobId, List<String>> prepared = new ConcurrentHashMap<>();

  public ContainerRunner(ContainerConfig cfg) {
    this.cfg = cfg;
  }

  ContainerConfig config() {
    return cfg;
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
   * Makes sure the image is present (an image seen before costs no engine call; else one
   * {@code image inspect}, and a pull when it is missing and the policy allows) and builds the
   * job's run command. Creates no container.
   */
  @Override
  public void prepare(Job job, Path workDir, OptionalInt gpu, RunSink sink) throws Exception {
    String image = job.spec().image();
    if (cfg.pullPolicy().equals("always")) {
      pull(image, sink);
    } else if (present.contains(image) || run("image", "inspect", "--format", "{{.Id}}", image).ok()) {
      present.add(image);
      sink.progress(Map.of("image", image, "status", "present"));
    } else if (cfg.pullPolicy().equals("never")) {
      throw new RunnerException("image " + image + " is not present and pulls are disabled");
    } else {
      pull(image, sink);
    }
    prepared.put(job.id(), ContainerArgs.run(cfg, job, workDir, gpu));
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
    present.add(image);
    sink.progress(Map.of("image", image, "status", "pulled"));
  }

  /**
   * Creates and starts the prepared container with one attached {@code run}; its output becomes
   * log events and its exit status is the container's. Exit status 125 is the engine's own
   * failure: if the container exists, its state settles the exit code; if not, nothing ran, and an
   * image found missing is pulled (policy permitting) and the run tried once more.
   */
  @Override
  public Execution start(Job job, RunSink sink) throws Exception {
    List<String> argv = prepared.remove(job.id());
    if (argv == null) {
      throw new RunnerException("job " + job.id() + " was not prepared by this runner");
    }
    return execute(job.id(), () -> runToEnd(job, argv, sink));
  }

  private int runToEnd(Job job, List<String> argv, RunSink sink) throws Exception {
    String name = ContainerArgs.name(job.id());
    String image = job.spec().image();
    for (boolean pulled = false; ; pulled = true) {
      Attached a = attach(job.id(), argv, sink);
      if (a.exit() != ENGINE_ERROR) {
        return a.exit();
      }
      Proc.Result st = run("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name);
      if (st.ok()) {
        return exitFromState(job.id(), st.out(), a.errTail());
      }
      if (!imageMissing(a.errTail())) {
        throw new RunnerException("container run failed: " + a.errTail());
      }
      present.remove(image);
      if (pulled || cfg.pullPolicy().equals("never")) {
        throw new RunnerException("image " + image + " is no longer present: " + a.errTail());
      }
      sink.progress(Map.of("image", image, "status", "missing at run, pulling"));
      pull(image, sink);
    }
  }

  @Override
  public Recovery recover(Job job, long logsSinceMillis, RunSink sink) throws Exception {
    String name = ContainerArgs.name(job.id());
    Proc.Result r = run("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name);
    if (!r.ok()) {
      return new Recovery.Lost("container " + name + " not found (the agent stopped before its run"
          + " created it, or it was removed)");
    }
    String[] st = r.out().strip().split(" ");
    switch (st[0]) {
      case "created", "configured", "initialized" -> {
        // the run was cut short between create and start (the agent was killed): start it now.
        // Its exit code is read from the container's state, not from start --attach, which
        // answers 0 at once when the cut-short run (still alive) has started it meanwhile.
        List<String> argv = new ArrayList<>(ContainerArgs.base(cfg));
        argv.addAll(List.of("start", "--attach", name));
        return new Recovery.Reattached(execute(job.id(), () -> {
          Attached a = attach(job.id(), argv, sink);
          Proc.Result now = run("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name);
          if (!now.ok()) {
            throw new RunnerException("container " + name + " vanished: " + a.errTail());
          }
          return exitFromState(job.id(), now.out(), a.errTail());
        }));
      }
      case "running", "paused", "stopping" -> {
        List<String> argv = new ArrayList<>(ContainerArgs.base(cfg));
        argv.addAll(List.of("logs", "--follow", "--since",
            Long.toString(Math.max(0, logsSinceMillis / 1000)), name));
        return new Recovery.Reattached(execute(job.id(), () -> {
          attach(job.id(), argv, sink);
          return exitCode(job.id());
        }));
      }
      default -> {
        return new Recovery.Ended(Integer.parseInt(st[1]));
      }
    }
  }

  /** Runs {@code body} on its own thread; the execution ends with what it returns. */
  private static Execution execute(JobId id, java.util.concurrent.Callable<Integer> body) {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Proc.daemon("infernet-ctr-" + id, () -> {
      try {
        exit.complete(body.call());
      } catch (Throwable e) {
        exit.completeExceptionally(e);
      }
    });
    return () -> exit;
  }

  /** An attached engine process that has ended: its exit status and its last stderr lines. */
  private record Attached(int exit, String errTail) {}

  /**
   * Runs an attached engine command (run, start --attach, logs --follow) to its end, its stdout
   * pumped on this thread and its stderr on another, both into the sink as log lines.
   */
  private Attached attach(JobId id, List<String> argv, RunSink sink) throws Exception {
    Process p = new ProcessBuilder(argv)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    ArrayDeque<String> tail = new ArrayDeque<>();
    Thread err = Proc.daemon("infernet-log-err-" + id, () -> pump(p.getErrorStream(), l -> {
      synchronized (tail) {
        if (tail.size() == ERR_TAIL_LINES) {
          tail.removeFirst();
        }
        tail.addLast(l);
      }
      sink.log("stderr", l);
    }));
    pump(p.getInputStream(), l -> sink.log("stdout", l));
    int code = p.waitFor();
    err.join();
    synchronized (tail) {
      return new Attached(code, String.join("\n", tail).strip());
    }
  }

  /**
   * The exit code of a container from its inspected state: recorded when it has ended, waited for
   * when it runs; one that never started fails the job ({@code wait} answers 0 for it).
   */
  private int exitFromState(JobId id, String inspected, String errTail) throws Exception {
    String[] st = inspected.strip().split(" ");
    return switch (st[0]) {
      case "exited", "stopped" -> Integer.parseInt(st[1]);
      case "created", "configured", "initialized" ->
          throw new RunnerException("container " + ContainerArgs.name(id) + " did not start: " + errTail);
      default -> exitCode(id);
    };
  }

  private int exitCode(JobId id) throws Exception {
    String name = ContainerArgs.name(id);
    // an attached command can return before the engine has recorded the exit; wait for it.
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
    prepared.remove(id);
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
