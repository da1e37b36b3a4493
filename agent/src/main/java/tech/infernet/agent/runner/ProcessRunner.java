package tech.infernet.agent.runner;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Stream;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.RunnerKind;

/**
 * Runs a job as a plain host process, for providers who want that (off by default; admission
 * checks {@code args[0]} against an allow-list). The argv goes to the OS as it is, never through a
 * shell; the process starts in the job's work dir with a clean environment (PATH, HOME and TMPDIR
 * set to the work dir, plus the spec's env), its own session and process group ({@code setsid}),
 * stdin from /dev/null, and stdout/stderr as log events.
 *
 * <p>Not isolated like a container: it runs as the agent's user with the host's network. Cancel
 * and timeout kill the whole tree: the process group and every descendant, until none is left.
 * A process does not survive an agent restart usefully (its output pipes went with the agent), so
 * recovery kills what is left of it (found through a pid file in the work dir, checked against the
 * process's start time) and reports the job lost.
 */
public final class ProcessRunner implements Runner {
  private static final Logger LOG = Logger.getLogger(ProcessRunner.class.getName());
  static final String PID_FILE = ".infernet-process";
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private final Path workRoot;
  private final Map<JobId, Process> running = new ConcurrentHashMap<>();

  public ProcessRunner(Path workRoot) {
    this.workRoot = workRoot;
  }

  @Override
  public RunnerKind kind() {
    return RunnerKind.PROCESS;
  }

  @Override
  public String unavailableReason() {
    return null;
  }

  @Override
  public void prepare(Job job, Path workDir, OptionalInt gpu, RunSink sink) throws Exception {
    Path exe = Path.of(job.spec().args().get(0));
    if (!exe.isAbsolute() || !Files.isRegularFile(exe) || !Files.isExecutable(exe)) {
      throw new RunnerException(exe + " is not an executable file given by absolute path");
    }
    sink.progress(Map.of("command", exe.toString(), "status", "ready"));
  }

  @Override
  public Execution start(Job job, RunSink sink) throws Exception {
    Path wd = workRoot.resolve(job.id().value());
    List<String> argv = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      // own session and process group, so the whole group can be killed; --wait: should setsid
      // have to fork, it stays the tracked parent and passes the command's exit status on
      argv.add(SETSID.toString());
      argv.add("--wait");
    }
    argv.addAll(job.spec().args());
    ProcessBuilder pb = new ProcessBuilder(argv).directory(wd.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", wd.toString());
    env.put("TMPDIR", wd.toString());
    env.putAll(job.spec().env());
    Process p = pb.start();
    running.put(job.id(), p);
    String started = p.info().startInstant().map(Instant::toString).orElse("");
    Files.writeString(wd.resolve(PID_FILE), p.pid() + " " + started + "\n", StandardCharsets.UTF_8);
    Thread out = Proc.daemon("infernet-proc-out-" + job.id(),
        () -> ContainerRunner.pump(p.getInputStream(), l -> sink.log("stdout", l)));
    Thread err = Proc.daemon("infernet-proc-err-" + job.id(),
        () -> ContainerRunner.pump(p.getErrorStream(), l -> sink.log("stderr", l)));
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    p.onExit().thenRunAsync(() -> {
      try {
        out.join();
        err.join();
        exit.complete(p.exitValue());
      } catch (InterruptedException e) {
        exit.completeExceptionally(e);
      } finally {
        running.remove(job.id(), p);
      }
    });
    return () -> exit;
  }

  @Override
  public Recovery recover(Job job, long logsSinceMillis, RunSink sink) throws Exception {
    boolean killed = remove(job.id(), true);
    return new Recovery.Lost(killed
        ? "its process was still running but cannot be re-attached; it was killed"
        : "its process is gone");
  }

  @Override
  public void remove(JobId id) throws Exception {
    remove(id, false);
  }

  private boolean remove(JobId id, boolean fromPidFileOnly) throws IOException {
    Process p = fromPidFileOnly ? null : running.remove(id);
    Optional<ProcessHandle> h = p != null ? Optional.of(p.toHandle()) : fromPidFile(id);
    if (h.isEmpty()) {
      return false;
    }
    killTree(h.get());
    return true;
  }

  /** The job's process from its pid file, if that pid still names the same process. */
  private Optional<ProcessHandle> fromPidFile(JobId id) throws IOException {
    Path f = workRoot.resolve(id.value()).resolve(PID_FILE);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    String[] parts = Files.readString(f, StandardCharsets.UTF_8).strip().split(" ");
    long pid;
    try {
      pid = Long.parseLong(parts[0]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    String started = parts.length > 1 ? parts[1] : "";
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h ->
        h.info().startInstant().map(Instant::toString).orElse("").equals(started));
  }

  /**
   * Kills the process, its process group (it leads one, through setsid) and every descendant,
   * repeating until nothing of it is alive (a process may fork while the tree is being killed).
   */
  static void killTree(ProcessHandle root) {
    long pgid = root.pid();
    for (int round = 0; round < 50; round++) {
      List<ProcessHandle> victims = new ArrayList<>();
      if (root.isAlive()) {
        victims.add(root);
      }
      root.descendants().forEach(victims::add);
      processGroup(pgid).forEach(victims::add);
      victims.removeIf(v -> !v.isAlive() || v.pid() == ProcessHandle.current().pid());
      if (victims.isEmpty()) {
        return;
      }
      for (ProcessHandle v : victims) {
        v.destroyForcibly();
      }
      try {
        Thread.sleep(round < 5 ? 5 : 50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    LOG.warning("process tree of pid " + pgid + " still alive after repeated kills");
  }

  /** Processes whose process group is {@code pgid}, read from /proc (Linux). */
  private static Stream<ProcessHandle> processGroup(long pgid) {
    List<ProcessHandle> out = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path d : procs) {
        try {
          String stat = Files.readString(d.resolve("stat"), StandardCharsets.UTF_8);
          // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses: split after the last ')'
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(f[2]) == pgid) {
            ProcessHandle.of(Long.parseLong(d.getFileName().toString())).ifPresent(out::add);
          }
        } catch (IOException | RuntimeException ignored) {
          // the process ended meanwhile
        }
      }
    } catch (IOException ignored) {
      // no /proc: descendants only
    }
    return out.stream();
  }

  /** Jobs whose process (from its pid file) is still alive. */
  @Override
  public List<JobId> leftovers() throws Exception {
    List<JobId> ids = new ArrayList<>();
    if (!Files.isDirectory(workRoot)) {
      return ids;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(workRoot)) {
      for (Path d : dirs) {
        String name = d.getFileName().toString();
        if (JobId.isValid(name) && fromPidFile(new JobId(name)).isPresent()) {
          ids.add(new JobId(name));
        }
      }
    }
    return ids;
  }
}
