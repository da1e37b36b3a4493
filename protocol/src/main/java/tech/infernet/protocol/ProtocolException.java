package tech.infernet.protocol;

/** A rejected envelope, payload or transfer, with a stable {@link ErrorCode}. */
public class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String reason;

  public ProtocolException(ErrorCode code, String message) {
    super(code.wireName() + ": " + message);
    this.code = code;
    this.reason = message;
  }

  public ProtocolException(ErrorCode code, String message, Throwable cause) {
    super(code.wireName() + ": " + message, cause);
    this.code = code;
    this.reason = message;
  }

  /** The message without the code in front: what an {@code error} reply carries next to its code. */
  public String reason() {
    return reason;
  }

  public ErrorCode code() {
    return code;
  }
}
