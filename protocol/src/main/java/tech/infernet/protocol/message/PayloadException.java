package tech.infernet.protocol.message;

import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.ProtocolException;

/**
 * A payload that does not decode: {@link ErrorCode#BAD_PAYLOAD}, or {@link ErrorCode#INVALID_SPEC}
 * for the spec of a {@code job.submit}, with the field and (for specs) the {@code SpecError} wire
 * name as {@code detail}. {@code requestId} is the request's {@code id} when it could be read, so
 * the error reply can name it.
 */
public final class PayloadException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String detail;
  private final String requestId;

  public PayloadException(ErrorCode code, String field, String detail, String requestId, String message) {
    super(code, message);
    this.field = field;
    this.detail = detail;
    this.requestId = requestId;
  }

  public String field() {
    return field;
  }

  /** The spec error's wire name for {@code invalid_spec}; null otherwise. */
  public String detail() {
    return detail;
  }

  /** The {@code id} of the request when it was readable; null otherwise. */
  public String requestId() {
    return requestId;
  }

  /** The {@code error} payload that answers this failure. */
  public ErrorReply toReply() {
    String msg = getMessage();
    int colon = msg.indexOf(": ");
    String text = Ids.clean(colon >= 0 ? msg.substring(colon + 2) : msg, 4096);
    return new ErrorReply(requestId, code(), text, field == null ? null : Ids.clean(field, 256), detail);
  }
}
