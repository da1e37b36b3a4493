package tech.infernet.agent.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecParserTest {
  private final SpecParser parser = new SpecParser();

  private SpecError codeOf(String json) {
    return assertThrows(SpecException.class, () -> parser.parse(json)).code();
  }

  @Test
  void validContainerSpecParsesWithArgvKeptAsIs() throws Exception {
    JobSpec s = parser.parse("{\"image\":\"localhost/infernet-test:1\","
        + "\"args\":[\"/bin/sh\",\"-c\",\"echo $HOME; ls | wc -l\"],\"env\":{\"A_B\":\"x\"},"
        + "\"limits\":{\"memoryMb\":64,\"cpus\":0.5,\"timeoutSeconds\":10}}");
    assertEquals(RunnerKind.CONTAINER, s.kind());
    assertEquals(List.of("/bin/sh", "-c", "echo $HOME; ls | wc -l"), s.args());
    assertEquals(64, s.limits().memoryMb());
    assertEquals(0.5, s.limits().cpus());
  }

  @Test
  void specRoundTripsThroughItsJsonTree() throws Exception {
    JobSpec s = parser.parse("{\"image\":\"docker.io/library/busybox:1.36\",\"args\":[\"true\"],"
        + "\"inputs\":{\"in.txt\":\"hello\"},\"priority\":3,\"gpu\":true}");
    assertEquals(s, parser.fromTree(SpecParser.toTree(s)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"image\": |MALFORMED_JSON",
      "not json|MALFORMED_JSON",
      "{} {}|MALFORMED_JSON",
      "[1,2]|NOT_AN_OBJECT",
      "{\"image\":\"a\",\"privileged\":true}|UNKNOWN_FIELD",
      "{\"image\":\"a\",\"limits\":{\"memoryMb\":64,\"swap\":1}}|UNKNOWN_FIELD",
      "{\"image\":\"a\",\"image\":\"b\"}|DUPLICATE_FIELD",
      "{\"args\":[\"x\"]}|MISSING_FIELD",
      "{\"image\":\"a\",\"network\":\"yes\"}|WRONG_TYPE",
      "{\"image\":\"a\",\"limits\":{\"memoryMb\":-1}}|BAD_VALUE",
      "{\"image\":\"a\",\"kind\":\"vm\"}|BAD_VALUE",
      "{\"image\":\"a\",\"env\":{\"A=B\":\"x\"}}|BAD_ENV_NAME",
      "{\"image\":\"a\",\"inputs\":{\"../etc/passwd\":\"x\"}}|BAD_INPUT_NAME",
  })
  void badSpecsGetStableCodes(String json, SpecError code) {
    assertEquals(code, codeOf(json));
  }

  @ParameterizedTest
  @ValueSource(strings = {"--privileged", "-v", "library/UPPER", "a b", "a;rm -rf /", "$(id)", "a`id`",
      "a/../b", "", "a:tag with space", "a@sha256:short", "image\nname"})
  void badImageNamesAreRefused(String image) {
    String json = "{\"image\":" + jsonString(image) + "}";
    SpecError code = codeOf(json);
    assertEquals(SpecError.BAD_IMAGE_NAME, code, image);
  }

  @Test
  void aCommandGivenAsOneShellStringIsRefused() {
    assertEquals(SpecError.ARGS_NOT_ARGV, codeOf("{\"image\":\"a\",\"args\":\"echo hi; rm -rf /\"}"));
    assertEquals(SpecError.ARGS_NOT_ARGV, codeOf("{\"image\":\"a\",\"args\":[\"echo\",1]}"));
  }

  @Test
  void nulAndControlCharactersInArgsOrEnvAreRefused() {
    assertEquals(SpecError.FORBIDDEN_CHARACTER, codeOf("{\"image\":\"a\",\"args\":[\"a\\u0000b\"]}"));
    assertEquals(SpecError.FORBIDDEN_CHARACTER, codeOf("{\"image\":\"a\",\"args\":[\"\\u001b[2J\"]}"));
    assertEquals(SpecError.FORBIDDEN_CHARACTER, codeOf("{\"image\":\"a\",\"args\":[\"a\\rb\"]}"));
    assertEquals(SpecError.FORBIDDEN_CHARACTER, codeOf("{\"image\":\"a\",\"env\":{\"X\":\"a\\nb\"}}"));
  }

  @Test
  void oversizedSpecsAndInputsAreRefused() {
    String big = "x".repeat(300 * 1024);
    assertEquals(SpecError.SPEC_TOO_LARGE, codeOf("{\"image\":\"a\",\"args\":[\"" + big + "\"]}"));
    String input = "y".repeat(100 * 1024);
    assertEquals(SpecError.INPUT_TOO_LARGE,
        codeOf("{\"image\":\"a\",\"inputs\":{\"a\":\"" + input + "\",\"b\":\"" + input + "\"}}"));
    assertEquals(SpecError.TOO_MANY_ITEMS,
        codeOf("{\"image\":\"a\",\"args\":[" + "\"a\",".repeat(300) + "\"a\"]}"));
    assertEquals(SpecError.TOO_DEEP, codeOf("{\"image\":\"a\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}"));
  }

  @Test
  void badOwnersAreRefused() {
    assertThrows(SpecException.class, () -> SpecParser.checkOwner("a b"));
    assertThrows(SpecException.class, () -> SpecParser.checkOwner(""));
  }

  private static String jsonString(String s) {
    return Json.write(s);
  }
}
