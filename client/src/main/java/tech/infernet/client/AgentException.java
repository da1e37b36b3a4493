package tech.infernet.client;

import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.message.ErrorReply;

/** An agent refused a request: its stable error code, message and, for spec errors, the field. */
public final class AgentException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;
  private final String field;

  public AgentException(ErrorCode code, String message, String field) {
    super(code.wireName() + ": " + message + (field == null ? "" : " (field " + field + ")"));
    this.code = code;
    this.field = field;
  }

  static AgentException of(ErrorReply error) {
    return new AgentException(error.code(), error.message(), error.field());
  }

  public ErrorCode code() {
    return code;
  }

  public String field() {
    return field;
  }
}
