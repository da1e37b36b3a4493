package tech.infernet.protocol.transfer;

import java.io.IOException;
import java.io.OutputStream;

/** The sending side of a transfer: writes the chunks the receiver does not have, in order. */
public final class ChunkSender {
  /** Reads {@code length} bytes of the content at {@code offset}. */
  @FunctionalInterface
  public interface Content {
    byte[] read(long offset, int length) throws IOException;

    static Content of(byte[] bytes) {
      return (offset, length) -> java.util.Arrays.copyOfRange(bytes, (int) offset, (int) offset + length);
    }
  }

  private ChunkSender() {}

  /**
   * Sends every chunk of {@code manifest} outside {@code receiverHas}.
   *
   * @return how many chunks were sent
   */
  public static int send(OutputStream out, Manifest manifest, Ranges receiverHas, Content content) throws IOException {
    int sent = 0;
    for (int index : TransferState.toSend(manifest, receiverHas)) {
      out.write(ChunkFrames.encode(index, content.read(manifest.chunkOffset(index), manifest.chunkLength(index))));
      sent++;
    }
    out.flush();
    return sent;
  }
}
