package tech.infernet.protocol.message;

import java.util.Objects;
import tech.infernet.protocol.MessageType;
import tech.infernet.protocol.transfer.Manifest;
import tech.infernet.protocol.transfer.Ranges;

/**
 * Reply to {@code transfer.open}: the manifest of the content that flows, and the chunks its
 * receiver holds already (for a get, the dialler's own {@code have}; for a put, what the agent
 * kept from an earlier attempt). The sender then sends every other chunk and ends its output.
 */
public record TransferReady(String re, Manifest manifest, Ranges have) implements Payload.Reply {
  public TransferReady {
    Ids.id(re, "re");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(have, "have");
    if (!have.ranges().isEmpty() && have.ranges().get(have.ranges().size() - 1).last() >= manifest.chunkCount()) {
      throw new IllegalArgumentException("have: ranges beyond the last chunk");
    }
  }

  @Override
  public MessageType type() {
    return MessageType.TRANSFER_OPEN;
  }
}
