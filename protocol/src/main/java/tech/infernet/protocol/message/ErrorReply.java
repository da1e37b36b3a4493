package tech.infernet.protocol.message;

import java.util.Objects;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.MessageType;

/**
 * {@code error}: a request failed, or an envelope was refused.
 *
 * @param re the id of the failed request; null when it could not be read
 * @param field the offending field, when there is one
 * @param detail a finer code, such as the spec error of {@code invalid_spec}
 */
public record ErrorReply(String re, ErrorCode code, String message, String field, String detail)
    implements Payload.Reply {
  public ErrorReply {
    if (re != null) {
      Ids.id(re, "re");
    }
    Objects.requireNonNull(code, "code");
    Ids.text(message, "message", 4096);
    if (field != null) {
      Ids.text(field, "field", 256);
    }
    if (detail != null) {
      Ids.kind(detail, "detail");
    }
  }

  public ErrorReply(String re, ErrorCode code, String message) {
    this(re, code, message, null, null);
  }

  @Override
  public MessageType type() {
    return MessageType.ERROR;
  }
}
