package tech.infernet.agent.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import tech.infernet.agent.jobs.Admission;
import tech.infernet.agent.jobs.AdmissionPolicy;
import tech.infernet.agent.jobs.IllegalTransitionException;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.JobSpec;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.RejectReason;
import tech.infernet.agent.jobs.SpecException;
import tech.infernet.agent.jobs.SpecParser;
import tech.infernet.agent.runner.Execution;
import tech.infernet.agent.runner.Recovery;
import tech.infernet.agent.runner.Runner;
import tech.infernet.agent.store.Store;

/**
 * Admits, schedules and runs jobs. Every state change is stored (with its event and outbox row)
 * before the side effect it announces; terminal changes are compare-and-set, so of a racing exit,
 * cancel and timeout exactly one is recorded. Scheduling decisions happen on one dispatch thread;
 * blocking runner work happens on the named runner executor.
 *
 * <p>Recovery at {@link #start()}: QUEUED jobs are queued again; PREPARING jobs never started
 * anything (a container is created and started only after RUNNING is stored), so whatever a runner
 * left is removed and the job re-queued; RUNNING jobs are re-attached to their container when it
 * still exists (finished ones are concluded from its exit code), or marked FAILED when it is gone.
 * Containers of terminal or unknown jobs are removed. A job's container is created at most once
 * (its name is the job's) and started at most once, so no job runs twice.
 */
public final class JobEngine implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(JobEngine.class.getName());
  private final Store store;
  private final AdmissionPolicy policy;
  private final SpecParser parser;
  private final Map<tech.infernet.agent.jobs.RunnerKind, Runner> runners;
  private final EngineConfig cfg;
  private final JobId.Generator ids = new JobId.Generator();
  private final FairQueue queue = new FairQueue();
  private final Slots slots;
  private final Metrics metrics = new Metrics();
  private final ExecutorService dispatch = Executors.newSingleThreadExecutor(named("infernet-dispatch"));
  private final ExecutorService work = Executors.newCachedThreadPool(named("infernet-runner"));
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(named("infernet-timer"));
  private final Map<JobId, ScheduledFuture<?>> deadlines = new ConcurrentHashMap<>();
  /** Jobs admitted to the queue and not yet taken off it (maintained without the dispatch hop). */
  private final AtomicInteger queuedCount = new AtomicInteger();
  private volatile boolean closed;

  public JobEngine(Store store, AdmissionPolicy policy, SpecParser parser,
      Map<tech.infernet.agent.jobs.RunnerKind, Runner> runners, EngineConfig cfg) {
    this.store = store;
    this.policy = policy;
    this.parser = parser;
    this.runners = Map.copyOf(runners);
    this.cfg = cfg;
    this.slots = new Slots(cfg.maxConcurrent(), cfg.gpuCount(), cfg.maxPerGpu());
  }

  public Metrics metrics() {
    return metrics;
  }

  public Store store() {
    return store;
  }

  /** Queue depth, read on the dispatch thread. */
  public int queued() {
    return onDispatch(queue::size);
  }

  public int running() {
    return onDispatch(slots::running);
  }

  private <T> T onDispatch(java.util.concurrent.Callable<T> c) {
    try {
      return dispatch.submit(c).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return null;
    }
  }

  // ---- recovery ----

  /** Recovers what a previous run left, then starts dispatching. Blocks until recovery is done. */
  public void start() throws Exception {
    for (Job j : store.jobsIn(JobState.PREPARING)) {
      runnerFor(j).remove(j.id());
      store.transition(j.id(), JobState.PREPARING, JobState.QUEUED,
          "re-queued after agent restart (never started)", null, Map.of()).join();
    }
    for (Job j : store.jobsIn(JobState.RUNNING)) {
      recoverRunning(j);
    }
    for (Runner r : runners.values()) {
      for (JobId id : r.leftovers()) {
        Optional<Job> j = store.job(id);
        if (j.isEmpty() || j.get().state().isTerminal()) {
          LOG.info("removing leftover container of job " + id);
          r.remove(id);
        }
      }
    }
    List<Job> queued = store.jobsIn(JobState.QUEUED);
    queuedCount.addAndGet(queued.size());
    dispatch.submit(() -> {
      for (Job j : queued) {
        queue.add(entry(j));
      }
      pump();
    }).get();
  }

  private void recoverRunning(Job j) throws Exception {
    Runner r = runnerFor(j);
    Recovery rec = r.recover(j, j.updatedAt(), new Sink(j.id()));
    if (rec instanceof Recovery.Lost lost) {
      try {
        store.transition(j.id(), JobState.RUNNING, JobState.FAILED,
            "agent restarted and " + lost.why(), null, Map.of()).join();
      } catch (CompletionException e) {
        if (!(e.getCause() instanceof IllegalTransitionException)) {
          throw e;
        }
        // it was ended meanwhile (compare-and-set lost): nothing to recover
      }
      r.remove(j.id());
      return;
    }
    OptionalInt gpu = dispatch.submit(() -> slots.force(j.spec().gpu())).get();
    if (rec instanceof Recovery.Ended ended) {
      store.append(j.id(), "recovered", Map.of("note", "agent restarted; the job had ended with exit code "
          + ended.exitCode()));
      work.execute(() -> conclude(j, CompletableFuture.completedFuture(ended.exitCode()), gpu));
    } else {
      Execution ex = ((Recovery.Reattached) rec).execution();
      long left = j.updatedAt() + j.spec().limits().timeoutSeconds() * 1000L - System.currentTimeMillis();
      armDeadline(j, Math.max(0, left));
      store.append(j.id(), "reattached", Map.of("note", "agent restarted; re-attached to the running job"));
      work.execute(() -> conclude(j, ex.exit(), gpu));
    }
  }

  // ---- submission and cancel ----

  /**
   * Validates and admits a spec. A spec that fails validation completes exceptionally with a
   * {@link SpecException} and creates nothing; one refused by policy is stored as REJECTED.
   */
  public CompletableFuture<Job> submit(String owner, String specJson) {
    return submit(owner, specJson, id -> { });
  }

  /**
   * As {@link #submit(String, String)}; {@code beforeStore} learns the new job's id before its first
   * event can be stored (a valid spec only), so a caller can attach to the job's events from the first.
   */
  public CompletableFuture<Job> submit(String owner, String specJson, java.util.function.Consumer<JobId> beforeStore) {
    JobSpec spec;
    try {
      SpecParser.checkOwner(owner);
      spec = parser.parse(specJson);
    } catch (SpecException e) {
      metrics.invalid.incrementAndGet();
      return CompletableFuture.failedFuture(e);
    }
    metrics.submitted.incrementAndGet();
    long now = System.currentTimeMillis();
    JobId id = ids.next(now);
    beforeStore.accept(id);
    Admission a = policy.admit(spec);
    if (a instanceof Admission.Accepted && queuedCount.incrementAndGet() > cfg.maxQueued()) {
      queuedCount.decrementAndGet();
      a = new Admission.Rejected(RejectReason.QUEUE_FULL, "the queue holds " + cfg.maxQueued() + " jobs");
    }
    if (a instanceof Admission.Rejected r) {
      Job j = new Job(id, owner, spec, JobState.REJECTED, r.code() + ": " + r.reason(), null, now, now, 0);
      return store.insert(j, Map.of("state", "REJECTED", "code", r.code().name(), "reason", r.reason()));
    }
    JobSpec admitted = ((Admission.Accepted) a).spec();
    Job j = new Job(id, owner, admitted, JobState.QUEUED, null, null, now, now, 0);
    return store.insert(j, Map.of("state", "QUEUED")).whenComplete((stored, err) -> {
      if (err != null) {
        queuedCount.decrementAndGet();
        return;
      }
      dispatch.execute(() -> {
        queue.add(entry(stored));
        pump();
      });
    });
  }

  /** Cancels a job that has not ended; a job that has ended is returned unchanged. */
  public CompletableFuture<Job> cancel(JobId id) {
    Optional<Job> found = store.job(id);
    if (found.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("no such job " + id));
    }
    Job j = found.get();
    if (j.state().isTerminal()) {
      return CompletableFuture.completedFuture(j);
    }
    if (j.state() == JobState.QUEUED) {
      CompletableFuture<Boolean> removed = new CompletableFuture<>();
      dispatch.execute(() -> {
        boolean was = queue.remove(id);
        if (was) {
          queuedCount.decrementAndGet();
        }
        removed.complete(was);
      });
      return removed.thenCompose(was -> was
          ? store.transition(id, JobState.QUEUED, JobState.CANCELLED, "cancelled", null, Map.of())
          : cancel(id));
    }
    return store.transition(id, j.state(), JobState.CANCELLED, "cancelled", null, Map.of())
        .thenApply(done -> {
          work.execute(() -> removeQuietly(done));
          return done;
        })
        .exceptionallyCompose(e -> e.getCause() instanceof IllegalTransitionException
            ? cancel(id) : CompletableFuture.failedFuture(e));
  }

  // ---- dispatch ----

  private void pump() {
    while (!closed) {
      FairQueue.Entry e = queue.poll(x -> slots.mayRun(x.gpu()));
      if (e == null) {
        return;
      }
      queuedCount.decrementAndGet();
      OptionalInt gpu = slots.take(e.gpu());
      work.execute(() -> run(e.job(), gpu));
    }
  }

  private void release(OptionalInt gpu) {
    try {
      dispatch.execute(() -> {
        slots.release(gpu);
        pump();
      });
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // the engine is closing: nothing is dispatched any more
    }
  }

  private static FairQueue.Entry entry(Job j) {
    return new FairQueue.Entry(j.id(), j.owner(), j.spec().priority(), j.spec().gpu(), j);
  }

  /**
   * Runs a job taken off the queue. PREPARING is queued on the store's ordered writer and not
   * awaited: preparing (image pull, work dir) starts nothing a restart must know about, and RUNNING,
   * awaited before anything starts, commits after it (in the same transaction when preparing was
   * quick). A job cancelled meanwhile fails the RUNNING compare-and-set, so nothing starts.
   */
  private void run(Job queued, OptionalInt gpu) {
    JobId id = queued.id();
    CompletableFuture<Job> preparing = store.transition(id, JobState.QUEUED, JobState.PREPARING, null, null,
        gpu.isPresent() ? Map.of("gpu", gpu.getAsInt()) : Map.of());
    Job j = queued;
    Runner r = runnerFor(j);
    Sink sink = new Sink(id);
    try {
      Path wd = workDir(j, r);
      r.prepare(j, wd, gpu, sink);
      j = store.transition(id, JobState.PREPARING, JobState.RUNNING, null, null, Map.of()).join();
      armDeadline(j, j.spec().limits().timeoutSeconds() * 1000L);
      Execution ex = r.start(j, sink);
      conclude(j, ex.exit(), gpu);
    } catch (Exception e) {
      preparing.exceptionally(x -> null).join(); // so the reads below see PREPARING, not a stale QUEUED
      if (!(e instanceof CompletionException ce && ce.getCause() instanceof IllegalTransitionException)) {
        metrics.runnerErrors.incrementAndGet();
        LOG.log(Level.WARNING, "job " + id + " failed in the runner", e);
        failIfActive(id, "runner error: " + e.getMessage());
      }
      cleanupIfEnded(id);
      release(gpu);
    }
  }

  /**
   * Waits for the exit, then stores the terminal state together with the result (one transaction:
   * a SUCCEEDED job always has its result), then cleans up. The terminal write is a
   * compare-and-set from RUNNING, so a cancel or timeout recorded first wins.
   */
  private void conclude(Job j, CompletableFuture<Integer> exit, OptionalInt gpu) {
    boolean ended = false;
    try {
      int code = exit.join();
      if (closed) {
        return; // stopped meanwhile: the next start recovers the job from what it finds
      }
      disarm(j.id());
      Results.Collected r = code == 0 ? Results.collect(cfg, j.id(), workDirPath(j.id())) : Results.NONE;
      JobState to = code == 0 && r.problem() == null ? JobState.SUCCEEDED : JobState.FAILED;
      String reason = code != 0 ? "exit code " + code : r.problem();
      try {
        Job done = store.transition(j.id(), JobState.RUNNING, to, reason, code, Map.of(), r.result()).join();
        metrics.observe(to, (done.updatedAt() - j.updatedAt()) / 1000.0);
      } catch (CompletionException lost) {
        r.discard();
        if (!(lost.getCause() instanceof IllegalTransitionException)) {
          throw lost;
        }
        // a cancel or timeout was recorded first; it wins
      }
      ended = true;
    } catch (Exception e) {
      metrics.runnerErrors.incrementAndGet();
      LOG.log(Level.WARNING, "job " + j.id() + ": lost track of its execution", e);
      failIfActive(j.id(), "runner error: " + e.getMessage());
    } finally {
      if (!closed) {
        finishCleanup(j, ended);
        release(gpu);
      }
    }
  }

  private void failIfActive(JobId id, String reason) {
    store.job(id).filter(x -> !x.state().isTerminal()).ifPresent(x -> {
      try {
        store.transition(id, x.state(), JobState.FAILED, reason, null, Map.of()).join();
      } catch (CompletionException raced) {
        // someone else ended it
      }
    });
  }

  private void armDeadline(Job j, long millis) {
    deadlines.put(j.id(), timers.schedule(() -> {
      deadlines.remove(j.id());
      store.transition(j.id(), JobState.RUNNING, JobState.TIMED_OUT,
          "timed out after " + j.spec().limits().timeoutSeconds() + " s", null, Map.of())
          .thenAccept(done -> work.execute(() -> removeQuietly(done)));
    }, millis, TimeUnit.MILLISECONDS));
  }

  private void disarm(JobId id) {
    ScheduledFuture<?> f = deadlines.remove(id);
    if (f != null) {
      f.cancel(false);
    }
  }

  private void removeQuietly(Job j) {
    try {
      runnerFor(j).remove(j.id());
    } catch (Exception e) {
      metrics.runnerErrors.incrementAndGet();
      LOG.log(Level.WARNING, "could not remove job " + j.id(), e);
    }
  }

  /** Removes what the job left once it has ended; {@code ended} says so without a read. */
  private void finishCleanup(Job j, boolean ended) {
    if (ended) {
      disarm(j.id());
      removeQuietly(j);
      if (runnerFor(j).usesWorkDir()) {
        Results.deleteTree(workDirPath(j.id()));
      }
    } else {
      cleanupIfEnded(j.id());
    }
  }

  /** Reads the job's state and removes what it left if it has ended (or went back to QUEUED). */
  private void cleanupIfEnded(JobId id) {
    disarm(id);
    store.job(id).filter(j -> j.state().isTerminal() || j.state() == JobState.QUEUED).ifPresent(j -> {
      removeQuietly(j);
      Results.deleteTree(workDirPath(id));
    });
  }

  private Runner runnerFor(Job j) {
    Runner r = runners.get(j.spec().kind());
    if (r == null) {
      throw new IllegalStateException("no runner for " + j.spec().kind());
    }
    return r;
  }

  private Path workDirPath(JobId id) {
    return cfg.workRoot().resolve(id.value());
  }

  private Path workDir(Job j, Runner r) throws IOException {
    Path wd = workDirPath(j.id());
    if (!r.usesWorkDir()) {
      return wd;
    }
    Files.createDirectories(wd);
    for (Map.Entry<String, String> in : j.spec().inputs().entrySet()) {
      Files.writeString(wd.resolve(in.getKey()), in.getValue(), StandardCharsets.UTF_8);
    }
    return wd;
  }

  /** Turns runner output into bounded log and token events. */
  private final class Sink implements tech.infernet.agent.runner.RunSink {
    private final JobId id;
    private long bytes;
    private boolean truncated;
    private long tokenIndex;

    Sink(JobId id) {
      this.id = id;
    }

    /** Counts {@code n} bytes against the job's output budget; false once it is spent. */
    private boolean budget(int n) {
      if (truncated) {
        return false;
      }
      bytes += n + 1;
      if (bytes > cfg.logBytesPerJob()) {
        truncated = true;
        store.append(id, "log_truncated", Map.of("limitBytes", cfg.logBytesPerJob()));
        return false;
      }
      return true;
    }

    @Override
    public synchronized void log(String stream, String text) {
      if (budget(text.length())) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("stream", stream);
        p.put("text", text);
        store.append(id, "log", p);
      }
    }

    @Override
    public synchronized void tokens(String text) {
      if (budget(text.length())) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("index", tokenIndex++);
        p.put("text", text);
        store.append(id, "token", p);
      }
    }

    @Override
    public void progress(Map<String, Object> info) {
      store.append(id, "progress", info);
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Stops dispatching. Running containers keep running; the next start re-attaches them.
   */
  @Override
  public void close() {
    closed = true;
    timers.shutdownNow();
    dispatch.shutdown();
    work.shutdown();
  }
}
