package tech.infernet.protocol.spec;

/** A refused job spec: a stable {@link SpecError}, the field path it concerns, and a reason. */
public final class SpecException extends Exception {
  private static final long serialVersionUID = 1L;

  private final SpecError error;
  private final String field;

  public SpecException(SpecError error, String field, String message) {
    super(message);
    this.error = error;
    this.field = field;
  }

  public SpecError error() {
    return error;
  }

  /** Path of the offending field ({@code command[2]}, {@code ops[0].args.expose}); empty for the whole document. */
  public String field() {
    return field;
  }
}
