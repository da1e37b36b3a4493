package tech.infernet.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import tech.infernet.protocol.message.Role;
import tech.infernet.protocol.spec.SpecError;

/** docs/protocol.md names every wire name the code has, so the two cannot drift apart unnoticed. */
class DocCoverageTest {
  @Test
  void theDocNamesEveryErrorCodeMessageTypeSpecErrorAndRole() throws Exception {
    String doc = Files.readString(TestVectorsTest.doc());
    for (ErrorCode c : ErrorCode.values()) {
      assertTrue(doc.contains("| `" + c.wireName() + "` |"), "error code " + c.wireName() + " in the table");
    }
    for (MessageType t : MessageType.values()) {
      assertTrue(doc.contains("| " + t.code() + " | `" + t.wireName() + "` |"), "message type " + t.wireName());
    }
    for (SpecError e : SpecError.values()) {
      assertTrue(doc.contains("`" + e.wireName() + "`"), "spec error " + e.wireName());
    }
    for (Role r : Role.values()) {
      assertTrue(doc.contains("`" + r.wireName() + "`"), "role " + r.wireName());
    }
  }
}
