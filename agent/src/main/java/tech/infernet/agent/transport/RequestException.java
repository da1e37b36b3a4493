package tech.infernet.agent.transport;

import tech.infernet.protocol.ErrorCode;

/** A request refused with a stable protocol error code, the offending field and a finer detail code. */
final class RequestException extends Exception {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;
  private final String field;
  private final String detail;

  RequestException(ErrorCode code, String message) {
    this(code, message, null, null);
  }

  RequestException(ErrorCode code, String message, String field, String detail) {
    super(message);
    this.code = code;
    this.field = field;
    this.detail = detail;
  }

  ErrorCode code() {
    return code;
  }

  String field() {
    return field;
  }

  String detail() {
    return detail;
  }
}
