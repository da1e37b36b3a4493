package tech.infernet.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void theGeneratedCommentedFileLoadsToTheDefaults() throws Exception {
    Path f = dir.resolve("config.json");
    Files.writeString(f, ConfigLoader.template());
    AgentConfig c = ConfigLoader.load(f, dir, Map.of());
    assertEquals(7390, c.apiPort());
    assertEquals("127.0.0.1", c.apiHost());
    assertTrue(ConfigLoader.template().contains("// Largest memory a job may ask for"));
  }

  @Test
  void environmentOverridesTheFile() throws Exception {
    Path f = dir.resolve("config.json");
    Files.writeString(f, "{\"api\":{\"port\":8000}}");
    AgentConfig c = ConfigLoader.load(f, dir, Map.of("INFERNET_AGENT_API_PORT", "9000",
        "INFERNET_AGENT_POLICY_ALLOWED_IMAGES", "a/*,b/*"));
    assertEquals(9000, c.apiPort());
    assertEquals(java.util.List.of("a/*", "b/*"), c.allowedImages());
  }

  @Test
  void errorsNameTheKeyAndTheProblem() throws Exception {
    Path f = dir.resolve("config.json");
    Files.writeString(f, "{\"scheduler\":{\"maxConcurrent\":\"lots\"}}");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, dir, Map.of()));
    assertTrue(e.getMessage().contains("scheduler.maxConcurrent") && e.getMessage().contains("integer"), e.getMessage());
    Files.writeString(f, "{\"api\":{\"prot\":1}}");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, dir, Map.of()));
    assertTrue(e.getMessage().contains("api.prot"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, dir, Map.of("INFERNET_AGENT_RUNNER_GPU_MODE", "magic")));
    assertTrue(e.getMessage().contains("runner.gpuMode"), e.getMessage());
    Files.writeString(f, "{\"nkn\":{\"relays\":[\"relay.not-hex\"]}}");
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, dir, Map.of()));
    assertTrue(e.getMessage().contains("nkn.relays") && e.getMessage().contains("relay.not-hex"), e.getMessage());
    String relay = "relay." + "0a".repeat(32);
    Files.writeString(f, "{\"nkn\":{\"relays\":[\"" + relay + "\"]}}");
    assertEquals(java.util.List.of(relay), ConfigLoader.load(f, dir, Map.of()).nkn().relays());
  }

  @Test
  void stateDirFollowsSystemdThenXdg() {
    assertEquals(Path.of("/var/lib/infernet"), StatePaths.stateDir(Map.of("STATE_DIRECTORY", "/var/lib/infernet")));
    assertEquals(Path.of("/x/infernet-agent"), StatePaths.stateDir(Map.of("XDG_DATA_HOME", "/x")));
  }

  @Test
  void identityIsA0600SeedAndReloadsToTheSameKey() throws Exception {
    Path f = dir.resolve("id/identity.key");
    Identity a = Identity.create(f);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertEquals(32, Files.size(f));
    assertEquals(a.publicKeyHex(), Identity.load(f).publicKeyHex());
    assertEquals(64, a.publicKeyHex().length());
    assertFalse(a.toString().contains(java.util.HexFormat.of().formatHex(a.seed())));
    assertThrows(java.io.IOException.class, () -> Identity.create(f));
  }

  @Test
  void runnersBeyondContainersAreOffUntilConfigured() throws Exception {
    AgentConfig plain = ConfigLoader.load(null, dir, Map.of());
    assertEquals(java.util.Set.of(tech.infernet.agent.jobs.RunnerKind.CONTAINER), plain.enabledRunners());
    AgentConfig c = ConfigLoader.load(null, dir, Map.of(
        "INFERNET_AGENT_INFERENCE_URL", "http://127.0.0.1:11434/v1",
        "INFERNET_AGENT_PROCESS_ENABLED", "true",
        "INFERNET_AGENT_PROCESS_ALLOWED_COMMANDS", "/usr/bin/python3"));
    assertEquals(3, c.enabledRunners().size());
    assertEquals("http://127.0.0.1:11434/v1", c.inferenceConfig().baseUrl().toString());
    assertEquals(java.util.List.of("/usr/bin/python3"), c.policy().allowedCommands());
    ConfigException bad = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, dir,
        Map.of("INFERNET_AGENT_INFERENCE_URL", "ftp://x")));
    assertTrue(bad.getMessage().contains("'inference.url'"), bad.getMessage());
    ConfigException rel = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, dir,
        Map.of("INFERNET_AGENT_PROCESS_ALLOWED_COMMANDS", "python3")));
    assertTrue(rel.getMessage().contains("'process.allowedCommands'"), rel.getMessage());
  }
}
