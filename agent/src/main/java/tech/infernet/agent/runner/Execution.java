package tech.infernet.agent.runner;

import java.util.concurrent.CompletableFuture;

/**
 * A started job. {@link #exit()} completes with the exit code once the job has ended and all its
 * output has been handed to the sink.
 */
public interface Execution {
  CompletableFuture<Integer> exit();
}
