package tech.infernet.protocol.transfer;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.ProtocolException;

/**
 * Envelopes on a transfer session: {@code length} (uint32 big-endian) ‖ the binary envelope. The
 * first frame each way is an envelope ({@code transfer.open} and its answer); the chunk frames of
 * {@link ChunkFrames} follow, and a put ends with one more envelope ({@code transfer.done}).
 */
public final class SessionFrames {
  private SessionFrames() {}

  public static void writeEnvelope(OutputStream out, byte[] envelope) throws IOException {
    out.write(ByteBuffer.allocate(4 + envelope.length).putInt(envelope.length).put(envelope).array());
    out.flush();
  }

  /**
   * Reads one envelope frame, refusing a length above {@code max} before reading its bytes.
   *
   * @return the envelope, or null when the stream ended cleanly before the frame
   * @throws ProtocolException {@code oversize} or {@code malformed} (the stream ended inside it)
   */
  public static byte[] readEnvelope(InputStream in, int max) throws IOException, ProtocolException {
    DataInputStream d = new DataInputStream(in);
    int first = d.read();
    if (first < 0) {
      return null;
    }
    try {
      long length = ((long) first << 24) | (d.readUnsignedByte() << 16) | (d.readUnsignedByte() << 8) | d.readUnsignedByte();
      if (length > max) {
        throw new ProtocolException(ErrorCode.OVERSIZE, "envelope frame of " + length + " bytes; at most " + max);
      }
      if (length == 0) {
        throw new ProtocolException(ErrorCode.MALFORMED, "empty envelope frame");
      }
      byte[] envelope = new byte[(int) length];
      d.readFully(envelope);
      return envelope;
    } catch (EOFException e) {
      throw new ProtocolException(ErrorCode.MALFORMED, "stream ended inside an envelope frame");
    }
  }
}
