package tech.infernet.protocol.message;

import tech.infernet.protocol.MessageType;

/**
 * {@code transfer.done}, the last frame of a put: the receiver holds all of {@code sha256},
 * verified end to end and stored durably, so a {@code job.submit} may now name it.
 */
public record TransferDone(String re, String sha256) implements Payload.Reply {
  public TransferDone {
    Ids.id(re, "re");
    Ids.sha256(sha256, "sha256");
  }

  @Override
  public MessageType type() {
    return MessageType.TRANSFER_DONE;
  }
}
