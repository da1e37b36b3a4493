package tech.infernet.protocol.message;

import tech.infernet.protocol.MessageType;

/** {@code agent.info}: what can you run? Answered by {@link AgentInfo}. */
public record AgentInfoRequest(String id) implements Payload.Request {
  public AgentInfoRequest {
    Ids.id(id, "id");
  }

  @Override
  public MessageType type() {
    return MessageType.AGENT_INFO;
  }
}
