package tech.infernet.protocol.transfer;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.ProtocolException;

/**
 * How chunks travel on a session stream: frames of {@code index} (uint32 big-endian), {@code
 * length} (uint32 big-endian) and {@code length} bytes. The reader checks index and length
 * against the manifest before it allocates; the bytes are then verified by {@link TransferState}.
 */
public final class ChunkFrames {
  /** A chunk read off the stream, not yet verified. */
  public record Chunk(int index, byte[] data) {}

  private ChunkFrames() {}

  public static byte[] encode(int index, byte[] data) {
    return ByteBuffer.allocate(8 + data.length).putInt(index).putInt(data.length).put(data).array();
  }

  /** Reads one frame; null at a clean end of stream (between frames). */
  public static Chunk read(InputStream in, Manifest manifest) throws IOException, ProtocolException {
    DataInputStream d = new DataInputStream(in);
    int first = d.read();
    if (first < 0) {
      return null;
    }
    try {
      long index = ((long) first << 24) | (d.readUnsignedByte() << 16) | (d.readUnsignedByte() << 8) | d.readUnsignedByte();
      long length = d.readInt() & 0xFFFFFFFFL;
      if (index >= manifest.chunkCount()) {
        throw new ProtocolException(ErrorCode.MALFORMED, "chunk index " + index + " outside the manifest");
      }
      if (length != manifest.chunkLength((int) index)) {
        throw new ProtocolException(ErrorCode.MALFORMED, "chunk " + index + " length " + length
            + " differs from the manifest's " + manifest.chunkLength((int) index));
      }
      byte[] data = new byte[(int) length];
      d.readFully(data);
      return new Chunk((int) index, data);
    } catch (EOFException e) {
      throw new ProtocolException(ErrorCode.MALFORMED, "stream ended inside a chunk frame");
    }
  }
}
