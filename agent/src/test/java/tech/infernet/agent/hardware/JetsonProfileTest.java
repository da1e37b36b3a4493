package tech.infernet.agent.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.config.AgentConfig;
import tech.infernet.agent.config.ConfigLoader;

/** jetson/config.json must stay a valid agent config, and jetson/infernet-agent.env valid monitor settings. */
class JetsonProfileTest {
  private static final Path JETSON = Path.of("..", "jetson");

  @Test
  void profileLoads(@TempDir Path state) throws Exception {
    AgentConfig c = ConfigLoader.load(JETSON.resolve("config.json"), state, Map.of());
    assertEquals("jetson", c.gpuMode());
    assertEquals("docker", c.engine());
    assertEquals(1, c.gpuCount());
    assertEquals(1, c.maxPerGpu());
  }

  @Test
  void environmentFile() throws Exception {
    Map<String, String> env = new java.util.HashMap<>();
    for (String line : Files.readAllLines(JETSON.resolve("infernet-agent.env"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] kv = line.split("=", 2);
        env.put(kv[0].strip(), kv[1].strip());
      }
    }
    HardwareMonitor.Options o = HardwareMonitor.Options.fromEnv(env);
    assertFalse(o.useJCuda());
    assertEquals(80.0, o.limits().maxTemperatureC());
    assertEquals(15, o.telemetryPeriod().toSeconds());
  }
}
