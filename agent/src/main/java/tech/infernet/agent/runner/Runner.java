package tech.infernet.agent.runner;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.RunnerKind;

/**
 * Executes jobs of one kind. Methods block and are called on the agent's runner executor, never
 * on an event loop. Every method is idempotent so that a restarted agent can repeat it.
 */
public interface Runner {
  RunnerKind kind();

  /** Whether this runner can work on this machine, with a reason when it cannot. */
  String unavailableReason();

  /**
   * Whether jobs of this runner get a per-job work dir (inputs in, {@code result} out). The engine
   * creates it before {@link #prepare} and removes it after the job; runners that keep no files
   * skip that file-system work.
   */
  default boolean usesWorkDir() {
    return true;
  }

  /**
   * PREPARING: fetch what the job needs (image pull); nothing of the job may run yet (the
   * container runner creates nothing here).
   */
  void prepare(Job job, Path workDir, OptionalInt gpu, RunSink sink) throws Exception;

  /** RUNNING: start the prepared job (the container runner creates and starts it in one run). */
  Execution start(Job job, RunSink sink) throws Exception;

  /** After a restart: find a job that was RUNNING. */
  Recovery recover(Job job, long logsSinceMillis, RunSink sink) throws Exception;

  /** Stops the job at once and removes everything it left (container); harmless if gone. */
  void remove(JobId id) throws Exception;

  /** Jobs that still have something (a container) on this machine. */
  List<JobId> leftovers() throws Exception;
}
