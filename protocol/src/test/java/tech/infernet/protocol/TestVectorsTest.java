package tech.infernet.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.infernet.protocol.internal.Json;

/**
 * The vectors in src/test/resources/vectors/envelope-v1.json and quoted in docs/protocol.md are
 * what the code produces and accepts. To regenerate both after a deliberate change:
 * {@code mvn -pl protocol test -Dtest=TestVectorsTest -Dinfernet.vectors.write=true}.
 */
class TestVectorsTest {
  static final String BEGIN = "<!-- vectors:begin (generated from protocol/src/test/resources/vectors/envelope-v1.json; do not edit) -->\n```json\n";
  static final String END = "```\n<!-- vectors:end -->";

  static String resourceText() throws IOException {
    try (InputStream in = TestVectorsTest.class.getResourceAsStream(TestVectors.RESOURCE)) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Path doc() {
    return Path.of(System.getProperty("infernet.vectors.doc", "../docs/protocol.md"));
  }

  @Test
  void theVectorFileIsExactlyWhatTheCodeGenerates() throws Exception {
    String generated = TestVectors.generate();
    if (Boolean.getBoolean("infernet.vectors.write")) {
      Path src = Path.of("src/test/resources" + TestVectors.RESOURCE);
      Files.writeString(src, generated);
      String d = Files.readString(doc());
      int b = d.indexOf(BEGIN);
      int e = d.indexOf(END);
      if (b >= 0 && e > b) {
        Files.writeString(doc(), d.substring(0, b + BEGIN.length()) + generated + d.substring(e));
      }
      return;
    }
    assertEquals(generated, resourceText(), "run with -Dinfernet.vectors.write=true after a deliberate change");
  }

  @Test
  void theDocQuotesTheVectorFileVerbatim() throws Exception {
    String d = Files.readString(doc());
    int b = d.indexOf(BEGIN);
    int e = d.indexOf(END);
    assertTrue(b >= 0 && e > b, "docs/protocol.md has the vectors markers");
    assertEquals(resourceText(), d.substring(b + BEGIN.length(), e));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyVectorEnvelopeOpensToItsPayload() throws Exception {
    Map<String, Object> root = (Map<String, Object>) Json.parse(resourceText(), 8);
    Map<String, KeyPair> keys = TestVectors.keys();
    for (Object o : (List<Object>) root.get("envelopes")) {
      Map<String, Object> v = (Map<String, Object>) o;
      KeyPair to = keys.get((String) v.get("to"));
      long ts = (Long) v.get("timestampMs");
      byte[] binary = TestVectors.HEX.parseHex((String) v.get("binary"));
      Opened opened = new Receiver(to, new InMemoryReplayCache(), Fixtures.clockAt(ts), Receiver.Options.DEFAULT).open(binary);
      assertArrayEquals(TestVectors.HEX.parseHex((String) v.get("payloadHex")), opened.payload());
      assertArrayEquals(((String) v.get("payload")).getBytes(StandardCharsets.UTF_8), opened.payload());
      Envelope fromJson = EnvelopeCodec.fromJson((String) v.get("json"));
      assertArrayEquals(binary, EnvelopeCodec.toBinary(fromJson));
      assertArrayEquals(TestVectors.HEX.parseHex((String) v.get("signedBytes")), fromJson.signedBytes());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyRejectionVectorFailsWithItsCode() throws Exception {
    Map<String, Object> root = (Map<String, Object>) Json.parse(resourceText(), 8);
    Map<String, KeyPair> keys = TestVectors.keys();
    for (Object o : (List<Object>) root.get("rejections")) {
      Map<String, Object> v = (Map<String, Object>) o;
      Receiver r = new Receiver(keys.get((String) v.get("receiver")), new InMemoryReplayCache(),
          Fixtures.clockAt((Long) v.get("nowMs")), Receiver.Options.DEFAULT);
      for (Object before : (List<Object>) v.get("before")) {
        r.open(TestVectors.HEX.parseHex((String) before));
      }
      ProtocolException e = assertThrows(ProtocolException.class,
          () -> r.open(TestVectors.HEX.parseHex((String) v.get("binary"))), (String) v.get("name"));
      assertEquals(v.get("expect"), e.code().wireName(), (String) v.get("name"));
    }
  }
}
