package tech.infernet.protocol.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NosanaImporterTest {
  static String resource(String name) throws IOException {
    try (InputStream in = NosanaImporterTest.class.getResourceAsStream("/nosana/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String op(String args) {
    return "{\"version\":\"0.1\",\"type\":\"container\",\"ops\":[{\"type\":\"container/run\",\"id\":\"x\",\"args\":" + args + "}]}";
  }

  @Test
  void aStringCmdRunsThroughShInsideTheContainerAsNosanaDoes() throws Exception {
    ContainerJob j = NosanaImporter.importJson(resource("hello-string-cmd.json"));
    assertEquals("ubuntu", j.image());
    assertEquals(List.of("/bin/sh", "-c", "echo hello from nosana"), j.command());
    assertEquals(0, j.resources().gpus());
    assertTrue(j.network(), "Nosana containers have a network; the agent's policy decides");
  }

  @Test
  void globalDefaultsGpuAndVramAreMapped() throws Exception {
    ContainerJob j = NosanaImporter.importJson(resource("gpu-global-defaults.json"),
        new NosanaImporter.Options(false, 900));
    assertEquals("docker.io/example/llm:v4", j.image());
    assertEquals(List.of("python3", "run.py", "--prompt", "Write a story; $(rm -rf /)"), j.command());
    assertEquals(Map.of("HF_HOME", "/cache", "MODE", "op"), j.env());
    assertEquals(new Resources(0, 0, 1, 6 * 1024), j.resources());
    assertEquals(900, j.timeoutSeconds());
    assertFalse(j.network());
    // The imported job is a valid spec of ours.
    assertEquals(j, JobSpecs.parse(JobSpecs.toJson(j)));
  }

  @Test
  void anExposedPortIsRefusedNamingTheField() throws Exception {
    assertRefused(SpecError.NOT_MAPPABLE, "ops[0].args.expose", resource("service-with-expose.json"));
  }

  @Test
  void whatCannotBeMappedIsRefusedWithTheFieldThatSaysSo() {
    assertRefused(SpecError.NOT_MAPPABLE, "ops[0].args.resources",
        op("{\"image\":\"ubuntu\",\"resources\":[{\"type\":\"S3\",\"url\":\"https://example.com/m\",\"target\":\"/data/\"}]}"));
    assertRefused(SpecError.NOT_MAPPABLE, "ops[0].args.entrypoint", op("{\"image\":\"ubuntu\",\"entrypoint\":\"/bin/bash\"}"));
    assertRefused(SpecError.NOT_MAPPABLE, "ops[0].args.work_dir", op("{\"image\":\"ubuntu\",\"work_dir\":\"/w\"}"));
    assertRefused(SpecError.NOT_MAPPABLE, "ops[0].args.volumes", op("{\"image\":\"ubuntu\",\"volumes\":[{\"name\":\"v\",\"dest\":\"/v\"}]}"));
    assertRefused(SpecError.NOT_MAPPABLE, "ops[0].args.authentication",
        op("{\"image\":\"ubuntu\",\"authentication\":{\"docker\":{\"username\":\"u\",\"password\":\"p\"}}}"));
    assertRefused(SpecError.NOT_MAPPABLE, "ops[0].args.cmd[1]", op("{\"image\":\"ubuntu\",\"cmd\":[\"echo\",\"%%global.variables.X%%\"]}"));
    assertRefused(SpecError.NOT_MAPPABLE, "ops[0].args.required_vram", op("{\"image\":\"ubuntu\",\"required_vram\":8}"));
    assertRefused(SpecError.NOT_MAPPABLE, "meta.system_resources.required_vram",
        "{\"version\":\"0.1\",\"type\":\"container\",\"meta\":{\"system_resources\":{\"required_vram\":8}},"
            + "\"ops\":[{\"type\":\"container/run\",\"id\":\"x\",\"args\":{\"image\":\"ubuntu\"}}]}");
    assertRefused(SpecError.NOT_MAPPABLE, "global.entrypoint",
        "{\"version\":\"0.1\",\"type\":\"container\",\"global\":{\"entrypoint\":[\"/bin/bash\"]},\"ops\":[{\"type\":\"container/run\",\"id\":\"x\",\"args\":{\"image\":\"ubuntu\"}}]}");
    assertRefused(SpecError.NOT_MAPPABLE, "ops",
        "{\"version\":\"0.1\",\"type\":\"container\",\"ops\":[{\"type\":\"container/run\",\"id\":\"a\",\"args\":{\"image\":\"ubuntu\"}},"
            + "{\"type\":\"container/run\",\"id\":\"b\",\"args\":{\"image\":\"ubuntu\"}}]}");
    assertRefused(SpecError.NOT_MAPPABLE, "ops[0].type",
        "{\"version\":\"0.1\",\"type\":\"container\",\"ops\":[{\"type\":\"container/create-volume\",\"id\":\"v\",\"args\":{\"name\":\"v\"}}]}");
    assertRefused(SpecError.NOT_MAPPABLE, "logistics",
        "{\"version\":\"0.1\",\"type\":\"container\",\"logistics\":{},\"ops\":[]}");
    assertRefused(SpecError.NOT_MAPPABLE, "meta.system_resources.cpu",
        "{\"version\":\"0.1\",\"type\":\"container\",\"meta\":{\"system_resources\":{\"cpu\":4}},\"ops\":[]}");
  }

  @Test
  void malformedDefinitionsFailWithStableCodes() {
    assertRefused(SpecError.UNSUPPORTED_VERSION, "version", "{\"version\":\"0.2\",\"type\":\"container\",\"ops\":[]}");
    assertRefused(SpecError.UNSUPPORTED_VERSION, "version", "{\"version\":0.1,\"type\":\"container\",\"ops\":[]}");
    assertRefused(SpecError.MISSING_FIELD, "ops[0].args.image", op("{\"cmd\":[\"echo\"]}"));
    assertRefused(SpecError.BAD_IMAGE_NAME, "ops[0].args.image", op("{\"image\":\"-v /:/host ubuntu\"}"));
    assertRefused(SpecError.UNKNOWN_FIELD, "ops[0].args.privileged", op("{\"image\":\"ubuntu\",\"privileged\":true}"));
    assertRefused(SpecError.BAD_ENV_NAME, "ops[0].args.env.A B", op("{\"image\":\"ubuntu\",\"env\":{\"A B\":\"x\"}}"));
    assertRefused(SpecError.COMMAND_NOT_ARGV, "ops[0].args.cmd", op("{\"image\":\"ubuntu\",\"cmd\":{\"sh\":1}}"));
    assertRefused(SpecError.MALFORMED_JSON, "", "{");
  }

  static void assertRefused(SpecError code, String field, String json) {
    SpecException e = assertThrows(SpecException.class, () -> NosanaImporter.importJson(json), json);
    assertEquals(code, e.error(), json + " -> " + e.getMessage());
    assertEquals(field, e.field(), json + " -> " + e.getMessage());
  }
}
