package tech.infernet.nkn;

import java.util.Locale;

/**
 * A failure reported by NKN or by this binding, with a stable {@link Code} that callers can
 * act on and NKN's own text as the message.
 */
public final class NknException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Stable error codes; the Go side of the binding uses the same names. */
  public enum Code {
    /** The client or session is closed. */
    CLOSED,
    /** An argument was refused before anything was sent. */
    INVALID_ARGUMENT,
    /** A destination is not a valid NKN address. */
    INVALID_ADDRESS,
    /** A message is over NKN's 4,000,000-byte payload limit. */
    MESSAGE_TOO_LARGE,
    /** No reply, connection or data came in time. */
    TIMEOUT,
    /** No NKN node could be reached or accepted the client. */
    CONNECT_FAILED,
    /** The remote address is not allowed to open a session. */
    NOT_ALLOWED,
    /** The message could not be handed to any node connection (for example during an outage). */
    SEND_FAILED,
    /** The NKN node answered with an error. */
    NODE_ERROR,
    /** The native library is missing, corrupt or not built for this platform. */
    NATIVE_LIBRARY,
    /** A bug in the binding. */
    INTERNAL
  }

  private final Code code;

  public NknException(Code code, String message) {
    super(code + ": " + message);
    this.code = code;
  }

  public NknException(Code code, String message, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
  }

  /** Called from native code with "CODE|message". */
  NknException(String encoded) {
    this(parseCode(encoded), encoded.substring(encoded.indexOf('|') + 1));
  }

  public Code code() {
    return code;
  }

  static Code parseCode(String encoded) {
    int bar = encoded.indexOf('|');
    if (bar <= 0) {
      return Code.INTERNAL;
    }
    try {
      return Code.valueOf(encoded.substring(0, bar).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      return Code.INTERNAL;
    }
  }
}
