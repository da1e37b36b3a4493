package tech.infernet.protocol.message;

import tech.infernet.protocol.MessageType;

/**
 * {@code pair.request}: the one-time secret from a pairing URI, and a label for this client.
 * Answered by {@link PairResult}, or an error {@code pair_invalid}, {@code pair_expired} or
 * {@code pair_used}.
 */
public record PairRequest(String id, String secret, String name) implements Payload.Request {
  public PairRequest {
    Ids.id(id, "id");
    Ids.secret(secret, "secret");
    if (name != null) {
      Ids.text(name, "name", 64);
    }
  }

  @Override
  public MessageType type() {
    return MessageType.PAIR_REQUEST;
  }

  @Override
  public String toString() {
    return "PairRequest[id=" + id + ", name=" + name + "]";
  }
}
