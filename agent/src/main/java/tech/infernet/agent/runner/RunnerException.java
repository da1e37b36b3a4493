package tech.infernet.agent.runner;

/** A runner could not do what was asked; the message says why. */
public final class RunnerException extends Exception {
  private static final long serialVersionUID = 1L;

  public RunnerException(String message) {
    super(message);
  }
}
