package tech.infernet.agent.jobs;

import java.util.Locale;

/** Which runner executes a job. */
public enum RunnerKind {
  CONTAINER, INFERENCE, PROCESS;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
