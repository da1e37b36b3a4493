package tech.infernet.nkn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeEventsTest {

  @Test
  void decodesEveryRecordTypeInOrder() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(NativeEvents.MESSAGE);
    out.writeLong(7);
    str16(out, "src");
    bytes32(out, "data");
    out.writeByte(NativeEvents.REPLY);
    out.writeLong(8);
    str16(out, "peer");
    bytes32(out, "");
    out.writeByte(NativeEvents.SENT);
    out.writeLong(9);
    out.writeByte(NativeEvents.FAILED);
    out.writeLong(10);
    str16(out, "TIMEOUT");
    str16(out, "no reply");
    out.writeByte(NativeEvents.STATE);
    out.writeShort(0);
    out.writeShort(4);

    List<String> seen = new ArrayList<>();
    NativeEvents.decode(bytes.toByteArray(), new NativeEvents.Sink() {
      @Override public void message(long token, String source, byte[] data) { seen.add("message " + token + " " + source + " " + new String(data, StandardCharsets.UTF_8)); }
      @Override public void reply(long request, String source, byte[] data) { seen.add("reply " + request + " " + source + " " + data.length); }
      @Override public void sent(long request) { seen.add("sent " + request); }
      @Override public void failed(long request, NknException error) { seen.add("failed " + request + " " + error.code()); }
      @Override public void state(NknConnectionState state) { seen.add("state " + state.connected() + " " + state.totalSubClients()); }
    });

    assertEquals(List.of("message 7 src data", "reply 8 peer 0", "sent 9", "failed 10 TIMEOUT", "state false 4"), seen);
  }

  @Test
  void unknownRecordTypeIsAnInternalError() {
    NknException error = assertThrows(NknException.class, () -> NativeEvents.decode(new byte[] {99}, null));

    assertEquals(NknException.Code.INTERNAL, error.code());
  }

  @Test
  void nativeErrorTextKeepsItsCodeAndUnknownCodesBecomeInternal() {
    assertEquals(NknException.Code.TIMEOUT, new NknException("TIMEOUT|no reply").code());
    assertEquals(NknException.Code.INTERNAL, new NknException("WHAT|ever").code());
    assertEquals(NknException.Code.INTERNAL, new NknException("no bar at all").code());
  }

  private static void str16(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeShort(b.length);
    out.write(b);
  }

  private static void bytes32(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }
}
