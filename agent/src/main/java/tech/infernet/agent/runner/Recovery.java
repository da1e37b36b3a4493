package tech.infernet.agent.runner;

/** What a runner found for a job that was RUNNING when the agent stopped. */
public sealed interface Recovery {
  /** The job is still running (or was created but never started, and has now been started). */
  record Reattached(Execution execution) implements Recovery {}

  /** The job ended while the agent was down. */
  record Ended(int exitCode) implements Recovery {}

  /** Nothing of the job is left. */
  record Lost(String why) implements Recovery {}
}
