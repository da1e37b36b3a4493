package tech.infernet.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.MessageType;
import tech.infernet.protocol.spec.ContainerJob;
import tech.infernet.protocol.spec.InferenceJob;
import tech.infernet.protocol.spec.Resources;
import tech.infernet.protocol.transfer.Manifest;
import tech.infernet.protocol.transfer.Ranges;

public class PayloadsTest {
  private static final ContainerJob ECHO = new ContainerJob("docker.io/library/alpine:3.20",
      List.of("echo", "hello; rm -rf /"), Map.of("A", "b"), new Resources(256, 0.5, 0, 0), 60, false);

  public static List<Payload> everyKind() {
    JobView view = new JobView("01JD0000000000000000000000", "running", 1, 2, 3, null, null);
    JobView done = new JobView("01JD0000000000000000000001", "failed", 1, 2, 9, 137, "killed");
    return List.of(
        new JobSubmit("r1", ECHO),
        new JobSubmit("r2", new InferenceJob("chat/completions",
            Map.of("model", "tiny", "stream", true, "messages", List.of(Map.of("role", "user", "content", "hi"))),
            Resources.DEFAULT, 0)),
        new JobAccepted("r1", "01JD0000000000000000000000", "queued"),
        new JobCancel("r3", "01JD0000000000000000000000"),
        new JobCancelled("r3", "01JD0000000000000000000000", "cancelled"),
        new JobGet("r4", "01JD0000000000000000000000"),
        new JobStatus("r4", done),
        new JobList("r5", "running", 20, "01JD0000000000000000000000"),
        new JobList("r6", null, 50, null),
        new JobPage("r5", List.of(view, done), "01JD0000000000000000000001"),
        new JobPage("r6", List.of(), null),
        new JobEvent("01JD0000000000000000000000", 7, 1000, "log", Map.of("stream", "stdout", "line", "hi")),
        new EventAck("01JD0000000000000000000000", 7),
        new EventCarry("ab".repeat(32), "01JD0000000000000000000000", 7, "running", new byte[] {1, 2, 3, (byte) 0xff}),
        new AgentInfoRequest("r7"),
        new AgentInfo("r7", "0.1.0", List.of(1), List.of("container", "inference"), 16, 65536,
            List.of(new AgentInfo.Gpu("NVIDIA H100", 81559)), List.of("tiny"), 1 << 20, 2, 1),
        new PairRequest("r8", "abcdefghijklmnopqrstuv", "phone"),
        new PairResult("r8", Role.SUBMITTER),
        new ErrorReply("r9", ErrorCode.INVALID_SPEC, "image: bad", "spec.image", "bad_image_name"),
        new ErrorReply(null, ErrorCode.REPLAYED, "nonce already seen"),
        JobSubmit.byReference("r10", "cd".repeat(32)),
        new JobResultGet("r11", "01JD0000000000000000000000"),
        new JobResult("r11", "01JD0000000000000000000000", 3, SMALL.sha256(), new byte[] {1, 2, 3}, null),
        new JobResult("r12", "01JD0000000000000000000000", BIG.size(), BIG.sha256(), null, BIG),
        TransferOpen.get("r13", "01JD0000000000000000000000", BIG.sha256(), new Ranges(List.of(new Ranges.Range(0, 1)))),
        TransferOpen.get("r14", "01JD0000000000000000000000", BIG.sha256(), null),
        TransferOpen.put("r15", BIG),
        new TransferReady("r15", BIG, new Ranges(List.of(new Ranges.Range(2, 2)))),
        new TransferDone("r15", BIG.sha256()),
        new JobEvents(List.of(new JobEvent("01JD0000000000000000000000", 2, 1000, "state", Map.of("state", "PREPARING")),
            new JobEvent("01JD0000000000000000000001", 1, 1001, "log", Map.of("line", "x")))),
        new EventAcks(List.of(new EventAck("01JD0000000000000000000000", 2), new EventAck("01JD0000000000000000000001", 1))),
        new EventAcks(List.of()),
        new JobSubmit("r16", ECHO).waiting(250),
        new JobAccepted("r16", "01JD0000000000000000000000", "succeeded",
            List.of(new JobEvent("01JD0000000000000000000000", 1, 1000, "state", Map.of("state", "QUEUED")),
                new JobEvent("01JD0000000000000000000000", 2, 1001, "state", Map.of("state", "SUCCEEDED")))));
  }

  @Test
  void aSubmitMayAskToWaitUpToAMinuteAndItsAnswerCarriesOnlyThatJobsEvents() {
    String whole = new String(Payloads.encode(new JobSubmit("r1", ECHO)), StandardCharsets.UTF_8);
    String open = whole.substring(0, whole.length() - 1); // the submit without its closing brace
    String one = "{\"jobId\":\"j\",\"seq\":1,\"ts\":5,\"kind\":\"state\",\"data\":{}}";
    assertEquals(60_000, ((JobSubmit) decode(MessageType.JOB_SUBMIT, open + ",\"waitMs\":60000}")).waitMs());
    assertBad(MessageType.JOB_SUBMIT, open + ",\"waitMs\":60001}", "waitMs");
    assertBad(MessageType.JOB_SUBMIT, open + ",\"waitMs\":-1}", "waitMs");
    assertBad(MessageType.JOB_SUBMIT, open + ",\"waitMs\":\"5\"}", "waitMs");
    assertEquals(1, ((JobAccepted) decode(MessageType.JOB_SUBMIT,
        "{\"re\":\"r\",\"jobId\":\"j\",\"state\":\"queued\",\"events\":[" + one + "]}")).events().size());
    assertBad(MessageType.JOB_SUBMIT, "{\"re\":\"r\",\"jobId\":\"j\",\"state\":\"queued\",\"events\":[]}", "events");
    assertBad(MessageType.JOB_SUBMIT, "{\"re\":\"r\",\"jobId\":\"k\",\"state\":\"queued\",\"events\":[" + one + "]}",
        "events");
    assertBad(MessageType.JOB_SUBMIT, "{\"re\":\"r\",\"jobId\":\"j\",\"state\":\"queued\",\"events\":["
        + String.join(",", java.util.Collections.nCopies(65, one)) + "]}", "events");
  }

  private static Payload decode(MessageType type, String json) {
    try {
      return Payloads.decode(type, json.getBytes(StandardCharsets.UTF_8));
    } catch (PayloadException e) {
      throw new AssertionError(json + ": " + e.getMessage(), e);
    }
  }

  @Test
  void aBatchOfEventsHoldsOneToSixtyFourWellFormedEvents() {
    String one = "{\"jobId\":\"j\",\"seq\":1,\"ts\":5,\"kind\":\"log\",\"data\":{}}";
    assertBad(MessageType.JOB_EVENTS, "{\"events\":[]}", "events");
    assertBad(MessageType.JOB_EVENTS, "{\"events\":[" + String.join(",", java.util.Collections.nCopies(65, one)) + "]}", "events");
    assertBad(MessageType.JOB_EVENTS, "{\"events\":[" + one.replace("\"data\":{}", "\"data\":{},\"x\":1") + "]}", "events[0].x");
    assertBad(MessageType.JOB_EVENTS, "{\"acks\":[{\"jobId\":\"j\"}]}", "acks[0].seq");
    assertBad(MessageType.JOB_EVENTS, "{\"events\":[" + one + "],\"acks\":[]}", "acks");
  }

  private static final Manifest SMALL = Manifest.of(new byte[] {1, 2, 3}, Manifest.MIN_CHUNK_BYTES);
  private static final Manifest BIG = Manifest.of(new byte[3000], Manifest.MIN_CHUNK_BYTES);

  @Test
  void aSubmitHasASpecOrTheHashOfAnUploadedOneNotBoth() {
    String spec = new String(Payloads.encode(new JobSubmit("r1", ECHO)), StandardCharsets.UTF_8);
    assertBad(MessageType.JOB_SUBMIT, spec.replace("{\"id\":\"r1\",", "{\"id\":\"r1\",\"specSha256\":\"" + "cd".repeat(32) + "\","),
        "specSha256");
    assertBad(MessageType.JOB_SUBMIT, "{\"id\":\"r1\"}", "spec");
    assertBad(MessageType.JOB_SUBMIT, "{\"id\":\"r1\",\"specSha256\":\"CD\"}", "specSha256");
  }

  @Test
  void resultsAndTransfersRefuseWhatDoesNotAddUp() {
    String sha = BIG.sha256();
    String manifest = BIG.toJson();
    // a result is inline or described by a manifest of the same content, never both or neither
    assertBad(MessageType.JOB_RESULT, "{\"re\":\"r\",\"jobId\":\"j\",\"size\":3000,\"sha256\":\"" + sha + "\"}", "manifest");
    assertBad(MessageType.JOB_RESULT, "{\"re\":\"r\",\"jobId\":\"j\",\"size\":3,\"sha256\":\"" + sha
        + "\",\"content\":\"AQID\",\"manifest\":" + manifest + "}", "content");
    assertBad(MessageType.JOB_RESULT, "{\"re\":\"r\",\"jobId\":\"j\",\"size\":4,\"sha256\":\"" + sha
        + "\",\"content\":\"AQID\"}", "content");
    assertBad(MessageType.JOB_RESULT, "{\"re\":\"r\",\"jobId\":\"j\",\"size\":2999,\"sha256\":\"" + sha
        + "\",\"manifest\":" + manifest + "}", "manifest");
    // a get names a job and no manifest; a put carries the manifest of its sha256 and no job
    assertBad(MessageType.TRANSFER_OPEN, "{\"id\":\"r\",\"op\":\"get\",\"sha256\":\"" + sha + "\"}", "jobId");
    assertBad(MessageType.TRANSFER_OPEN, "{\"id\":\"r\",\"op\":\"put\",\"sha256\":\"" + "00".repeat(32)
        + "\",\"manifest\":" + manifest + "}", "manifest");
    assertBad(MessageType.TRANSFER_OPEN, "{\"id\":\"r\",\"op\":\"put\",\"jobId\":\"j\",\"sha256\":\"" + sha
        + "\",\"manifest\":" + manifest + "}", "jobId");
    assertBad(MessageType.TRANSFER_OPEN, "{\"id\":\"r\",\"op\":\"move\",\"sha256\":\"" + sha + "\"}", "op");
    assertBad(MessageType.TRANSFER_OPEN, "{\"id\":\"r\",\"op\":\"get\",\"jobId\":\"j\",\"sha256\":\"" + sha
        + "\",\"have\":[[3,1]]}", "have");
    assertBad(MessageType.TRANSFER_OPEN, "{\"re\":\"r\",\"manifest\":" + manifest + ",\"have\":[[0,9]]}", "have");
  }

  @Test
  void everyPayloadRoundTripsThroughJson() throws Exception {
    for (Payload p : everyKind()) {
      byte[] json = Payloads.encode(p);
      assertEquals(p, Payloads.decode(p.type(), json), new String(json, StandardCharsets.UTF_8));
    }
  }

  @Test
  void requestsCarryIdAndRepliesRe() {
    assertEquals("{\"id\":\"r4\",\"jobId\":\"j\"}", text(new JobGet("r4", "j")));
    assertEquals("{\"re\":\"r1\",\"jobId\":\"j\",\"state\":\"queued\"}", text(new JobAccepted("r1", "j", "queued")));
  }

  @Test
  void aBadSpecIsInvalidSpecWithTheFieldAndTheRequestId() {
    String json = "{\"id\":\"r1\",\"spec\":{\"version\":1,\"kind\":\"container\",\"image\":\"alpine\",\"command\":\"rm -rf /\"}}";
    PayloadException e = assertThrows(PayloadException.class,
        () -> Payloads.decode(MessageType.JOB_SUBMIT, json.getBytes(StandardCharsets.UTF_8)));
    assertEquals(ErrorCode.INVALID_SPEC, e.code());
    assertEquals("spec.command", e.field());
    assertEquals("command_not_argv", e.detail());
    assertEquals("r1", e.requestId());
    ErrorReply reply = e.toReply();
    assertEquals("r1", reply.re());
    assertEquals(ErrorCode.INVALID_SPEC, reply.code());
  }

  @Test
  void aCarriedEventNeedsAHexOwnerAStateAndCanonicalBase64() {
    String ok = "{\"owner\":\"" + "ab".repeat(32) + "\",\"jobId\":\"j\",\"seq\":1,\"status\":\"running\","
        + "\"envelope\":\"AQID\"}";
    assertEquals(new EventCarry("ab".repeat(32), "j", 1, "running", new byte[] {1, 2, 3}),
        assertDoesNotThrowDecode(ok));
    assertBad(MessageType.EVENT_CARRY, ok.replace("ab", "AB"), "owner");
    assertBad(MessageType.EVENT_CARRY, ok.replace("running", "Running"), "status");
    assertBad(MessageType.EVENT_CARRY, ok.replace("AQID", "AQID="), "envelope");
    assertBad(MessageType.EVENT_CARRY, ok.replace("AQID", ""), "envelope");
    assertBad(MessageType.EVENT_CARRY, ok.replace("\"seq\":1", "\"seq\":0"), "seq");
  }

  private static Payload assertDoesNotThrowDecode(String json) {
    try {
      return Payloads.decode(MessageType.EVENT_CARRY, json.getBytes(StandardCharsets.UTF_8));
    } catch (PayloadException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void unknownFieldsWrongTypesAndBadIdsAreBadPayloads() {
    assertBad(MessageType.JOB_GET, "{\"id\":\"r1\",\"jobId\":\"j\",\"extra\":1}", "extra");
    assertBad(MessageType.JOB_GET, "{\"id\":\"r1\",\"jobId\":5}", "jobId");
    assertBad(MessageType.JOB_GET, "{\"id\":\"r 1\",\"jobId\":\"j\"}", "id");
    assertBad(MessageType.JOB_EVENT, "{\"jobId\":\"j\",\"seq\":0,\"ts\":1,\"kind\":\"log\",\"data\":{}}", "seq");
    assertBad(MessageType.JOB_LIST, "{\"id\":\"r1\",\"limit\":100000}", "limit");
    assertBad(MessageType.ERROR, "{\"code\":\"no_such_code\",\"message\":\"x\"}", "code");
    assertBad(MessageType.JOB_GET, "{\"id\":\"r1\",\"re\":\"r0\",\"jobId\":\"j\"}", "re");
    assertBad(MessageType.JOB_GET, "[1,2]", null);
    assertBad(MessageType.JOB_GET, "{\"id\":", null);
  }

  private static void assertBad(MessageType t, String json, String field) {
    PayloadException e = assertThrows(PayloadException.class,
        () -> Payloads.decode(t, json.getBytes(StandardCharsets.UTF_8)), json);
    assertEquals(ErrorCode.BAD_PAYLOAD, e.code(), json);
    assertEquals(field, e.field(), json);
    e.toReply();
  }

  private static String text(Payload p) {
    return new String(Payloads.encode(p), StandardCharsets.UTF_8);
  }
}
