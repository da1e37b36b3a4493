package tech.infernet.agent.runner;

import java.util.Map;

/** Where a runner reports what a job prints and how its preparation goes. */
public interface RunSink {
  /** One bounded chunk of output; {@code stream} is stdout or stderr. */
  void log(String stream, String text);

  /** Preparation progress (image pull, backend health and the like). */
  void progress(Map<String, Object> info);

  /**
   * Generated text as it streams from an inference backend (one or a few tokens per call). Counts
   * against the same per-job output budget as logs.
   */
  void tokens(String text);
}
