package tech.infernet.protocol.message;

import java.util.Objects;
import tech.infernet.protocol.MessageType;

/** {@code pair.result}: the sender's key is now in the agent's access list with this role. */
public record PairResult(String re, Role role) implements Payload.Reply {
  public PairResult {
    Ids.id(re, "re");
    Objects.requireNonNull(role, "role");
  }

  @Override
  public MessageType type() {
    return MessageType.PAIR_RESULT;
  }
}
