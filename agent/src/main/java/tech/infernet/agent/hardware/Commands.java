package tech.infernet.agent.hardware;

import java.time.Duration;
import java.util.List;

/** Runs an external program and returns its standard output, or why it gave none. */
public interface Commands {
  Probed<String> run(Duration timeout, List<String> argv);

  /** Whether a program of this name is on the search path (without running it). */
  boolean exists(String program);
}
