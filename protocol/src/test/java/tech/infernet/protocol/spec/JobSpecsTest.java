package tech.infernet.protocol.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobSpecsTest {
  @Test
  void anInferenceRequestMayLeaveTheModelToTheAgent() throws Exception {
    JobSpec spec = JobSpecs.parse("{\"version\":1,\"kind\":\"inference\",\"endpoint\":\"chat/completions\","
        + "\"request\":{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}");
    assertEquals(spec, JobSpecs.parse(JobSpecs.toJson(spec)));
  }

  @Test
  void aContainerSpecParsesAndRoundTrips() throws Exception {
    String json = "{\"version\":1,\"kind\":\"container\",\"image\":\"docker.io/library/alpine:3.20\","
        + "\"command\":[\"sh\",\"-c\",\"echo $A; rm -rf /\"],\"env\":{\"A\":\"b\"},"
        + "\"resources\":{\"memoryMb\":512,\"cpus\":1.5,\"gpus\":1,\"vramMb\":8192},\"timeoutSeconds\":600,\"network\":true}";
    ContainerJob c = (ContainerJob) JobSpecs.parse(json);
    assertEquals(List.of("sh", "-c", "echo $A; rm -rf /"), c.command());
    assertEquals(new Resources(512, 1.5, 1, 8192), c.resources());
    assertTrue(c.network());
    assertEquals(c, JobSpecs.parse(JobSpecs.toJson(c)));
  }

  @Test
  void anInferenceSpecKeepsTheOpenAiRequest() throws Exception {
    String json = "{\"version\":1,\"kind\":\"inference\",\"endpoint\":\"chat/completions\",\"request\":"
        + "{\"model\":\"tiny\",\"stream\":true,\"temperature\":0.7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}";
    InferenceJob i = (InferenceJob) JobSpecs.parse(json);
    assertTrue(i.stream());
    assertEquals(0.7, i.request().get("temperature"));
    assertEquals(i, JobSpecs.parse(JobSpecs.toJson(i)));
  }

  @Test
  void aShellStringCommandIsRefused() {
    assertError(SpecError.COMMAND_NOT_ARGV, "command",
        "{\"version\":1,\"kind\":\"container\",\"image\":\"alpine\",\"command\":\"echo hi && rm -rf /\"}");
    assertError(SpecError.COMMAND_NOT_ARGV, "command[1]",
        "{\"version\":1,\"kind\":\"container\",\"image\":\"alpine\",\"command\":[\"echo\",1]}");
  }

  @Test
  void invalidSpecsFailWithAStableCodeAndTheField() {
    assertError(SpecError.MISSING_FIELD, "version", "{\"kind\":\"container\",\"image\":\"alpine\"}");
    assertError(SpecError.UNSUPPORTED_VERSION, "version", "{\"version\":2,\"kind\":\"container\",\"image\":\"alpine\"}");
    assertError(SpecError.BAD_VALUE, "kind", "{\"version\":1,\"kind\":\"vm\"}");
    assertError(SpecError.UNKNOWN_FIELD, "privileged", "{\"version\":1,\"kind\":\"container\",\"image\":\"alpine\",\"privileged\":true}");
    assertError(SpecError.BAD_IMAGE_NAME, "image", "{\"version\":1,\"kind\":\"container\",\"image\":\"--privileged\"}");
    assertError(SpecError.MISSING_FIELD, "image", "{\"version\":1,\"kind\":\"container\"}");
    assertError(SpecError.BAD_ENV_NAME, "env.A-B", "{\"version\":1,\"kind\":\"container\",\"image\":\"alpine\",\"env\":{\"A-B\":\"x\"}}");
    assertError(SpecError.FORBIDDEN_CHARACTER, "command[0]", "{\"version\":1,\"kind\":\"container\",\"image\":\"alpine\",\"command\":[\"a\\u0000b\"]}");
    assertError(SpecError.BAD_VALUE, "resources.cpus", "{\"version\":1,\"kind\":\"container\",\"image\":\"alpine\",\"resources\":{\"cpus\":0}}");
    assertError(SpecError.BAD_VALUE, "resources.vramMb", "{\"version\":1,\"kind\":\"container\",\"image\":\"alpine\",\"resources\":{\"vramMb\":10}}");
    assertError(SpecError.UNKNOWN_FIELD, "resources.disk", "{\"version\":1,\"kind\":\"container\",\"image\":\"alpine\",\"resources\":{\"disk\":1}}");
    assertError(SpecError.BAD_VALUE, "timeoutSeconds", "{\"version\":1,\"kind\":\"container\",\"image\":\"alpine\",\"timeoutSeconds\":0}");
    assertError(SpecError.WRONG_TYPE, "network", "{\"version\":1,\"kind\":\"container\",\"image\":\"alpine\",\"network\":\"yes\"}");
    assertError(SpecError.BAD_VALUE, "endpoint", "{\"version\":1,\"kind\":\"inference\",\"endpoint\":\"images\",\"request\":{}}");
    assertError(SpecError.MISSING_FIELD, "request.messages", "{\"version\":1,\"kind\":\"inference\",\"endpoint\":\"chat/completions\",\"request\":{\"model\":\"m\"}}");
    assertError(SpecError.BAD_VALUE, "request.model", "{\"version\":1,\"kind\":\"inference\",\"endpoint\":\"embeddings\",\"request\":{\"model\":\"\",\"input\":\"x\"}}");
    assertError(SpecError.UNKNOWN_FIELD, "image", "{\"version\":1,\"kind\":\"inference\",\"image\":\"alpine\",\"endpoint\":\"embeddings\",\"request\":{\"model\":\"m\",\"input\":\"x\"}}");
    assertError(SpecError.DUPLICATE_FIELD, "", "{\"version\":1,\"version\":1}");
    assertError(SpecError.MALFORMED_JSON, "", "{\"version\":1,");
    assertError(SpecError.TOO_DEEP, "", "[".repeat(100) + "]".repeat(100));
    assertError(SpecError.TOO_LARGE, "", " ".repeat(JobSpecs.MAX_CHARS + 1));
    assertError(SpecError.WRONG_TYPE, "", "[]");
  }

  static void assertError(SpecError code, String field, String json) {
    SpecException e = assertThrows(SpecException.class, () -> JobSpecs.parse(json), json);
    assertEquals(code, e.error(), json + " -> " + e.getMessage());
    assertEquals(field, e.field(), json);
  }
}
