package tech.infernet.protocol;

/** A rejected envelope, payload or transfer, with a stable {@link ErrorCode}. */
public class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public ProtocolException(ErrorCode code, String message) {
    super(code.wireName() + ": " + message);
    this.code = code;
  }

  public ProtocolException(ErrorCode code, String message, Throwable cause) {
    super(code.wireName() + ": " + message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
