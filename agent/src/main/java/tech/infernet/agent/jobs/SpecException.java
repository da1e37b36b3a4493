package tech.infernet.agent.jobs;

/** A job spec failed validation; {@link #code()} is stable, {@link #field()} names the offending field. */
public final class SpecException extends Exception {
  private static final long serialVersionUID = 1L;
  private final SpecError code;
  private final String field;

  public SpecException(SpecError code, String field, String message) {
    super(message);
    this.code = code;
    this.field = field;
  }

  public SpecError code() {
    return code;
  }

  /** Dotted path of the offending field, or "" for the whole spec. */
  public String field() {
    return field;
  }
}
