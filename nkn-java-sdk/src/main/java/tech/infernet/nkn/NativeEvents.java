package tech.infernet.nkn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Decodes the batches of event records that {@link NativeNkn#clientPoll} returns (layout in events.go). */
final class NativeEvents {
  static final byte MESSAGE = 1;
  static final byte REPLY = 2;
  static final byte SENT = 3;
  static final byte FAILED = 4;
  static final byte STATE = 5;

  /** Receives decoded records in order. */
  interface Sink {
    void message(long token, String source, byte[] data);

    void reply(long request, String source, byte[] data);

    void sent(long request);

    void failed(long request, NknException error);

    void state(NknConnectionState state);
  }

  private NativeEvents() {}

  static void decode(byte[] batch, Sink sink) {
    ByteBuffer in = ByteBuffer.wrap(batch);
    while (in.hasRemaining()) {
      byte type = in.get();
      switch (type) {
        case MESSAGE -> sink.message(in.getLong(), str16(in), bytes32(in));
        case REPLY -> sink.reply(in.getLong(), str16(in), bytes32(in));
        case SENT -> sink.sent(in.getLong());
        case FAILED -> {
          long request = in.getLong();
          String code = str16(in);
          sink.failed(request, new NknException(NknException.parseCode(code + "|"), str16(in)));
        }
        case STATE -> sink.state(new NknConnectionState(in.getShort() & 0xffff, in.getShort() & 0xffff));
        default -> throw new NknException(NknException.Code.INTERNAL,
            "unknown native event type " + type + " at offset " + (in.position() - 1));
      }
    }
  }

  /** Decodes what clientSendAndWait returns. */
  static NknReply reply(byte[] encoded) {
    ByteBuffer in = ByteBuffer.wrap(encoded);
    return new NknReply(str16(in), bytes32(in));
  }

  private static String str16(ByteBuffer in) {
    byte[] bytes = new byte[in.getShort() & 0xffff];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] bytes32(ByteBuffer in) {
    byte[] bytes = new byte[in.getInt()];
    in.get(bytes);
    return bytes;
  }
}
