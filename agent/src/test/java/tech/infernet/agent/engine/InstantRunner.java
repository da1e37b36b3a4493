package tech.infernet.agent.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.RunnerKind;
import tech.infernet.agent.runner.Execution;
import tech.infernet.agent.runner.Recovery;
import tech.infernet.agent.runner.RunSink;
import tech.infernet.agent.runner.Runner;

/** A runner whose jobs print one line and exit 0 at once (tests and the throughput benchmark). */
public final class InstantRunner implements Runner {
  private final boolean log;
  private final boolean workDir;

  public InstantRunner(boolean log, boolean workDir) {
    this.log = log;
    this.workDir = workDir;
  }

  @Override
  public boolean usesWorkDir() {
    return workDir;
  }

  @Override
  public RunnerKind kind() {
    return RunnerKind.CONTAINER;
  }

  @Override
  public String unavailableReason() {
    return null;
  }

  @Override
  public void prepare(Job job, Path workDir, OptionalInt gpu, RunSink sink) {}

  @Override
  public Execution start(Job job, RunSink sink) {
    if (log) {
      sink.log("stdout", "hello from " + job.id());
    }
    CompletableFuture<Integer> done = CompletableFuture.completedFuture(0);
    return () -> done;
  }

  @Override
  public Recovery recover(Job job, long since, RunSink sink) {
    return new Recovery.Lost("instant runner keeps nothing");
  }

  @Override
  public void remove(JobId id) {}

  @Override
  public List<JobId> leftovers() {
    return List.of();
  }

  /** Like {@link #engine} but the jobs print nothing (benchmark); work dirs when asked. */
  public static JobEngine engineQuiet(tech.infernet.agent.store.Store store, Path dir, int max,
      boolean workDir) {
    return Fixtures.engine(store, dir, max, new InstantRunner(false, workDir));
  }

  /** Test access to the package-private fixtures. */
  public static JobEngine engine(tech.infernet.agent.store.Store store, Path dir, int max) {
    return Fixtures.engine(store, dir, max, new InstantRunner(true, true));
  }
}
