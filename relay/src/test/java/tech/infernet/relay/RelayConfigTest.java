package tech.infernet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tech.infernet.relay.cli.RelayMain;

class RelayConfigTest {
  @TempDir Path dir;

  @Test
  void badSettingsAreRefusedWithTheOptionNamed() {
    RelayConfig d = RelayConfig.defaults(dir);
    assertRefused("--seed-rpc", () -> new RelayConfig(dir, List.of(), "relay", "h", 1, 1, 1, null, Duration.ofSeconds(5)));
    assertRefused("--seed-rpc", () -> new RelayConfig(dir, List.of("ftp://x"), "relay", "h", 1, 1, 1, null, d.probeInterval()));
    assertRefused("--identifier", () -> new RelayConfig(dir, d.seedRpc(), "a.b", "h", 1, 1, 1, null, d.probeInterval()));
    assertRefused("--http-port", () -> new RelayConfig(dir, d.seedRpc(), "relay", "h", -1, 1, 1, null, d.probeInterval()));
    assertRefused("--mqtt-port", () -> new RelayConfig(dir, d.seedRpc(), "relay", "h", 1, 70000, 1, null, d.probeInterval()));
    assertRefused("--probe-seconds", () -> new RelayConfig(dir, d.seedRpc(), "relay", "h", 1, 1, 1, null, Duration.ZERO));
  }

  @Test
  void theAddressComesFromTheKeyInTheStateDirAndStaysTheSame() throws Exception {
    String first = Relay.address(RelayConfig.defaults(dir));
    assertTrue(first.matches("relay\\.[0-9a-f]{64}"), first);
    assertEquals(first, Relay.address(RelayConfig.defaults(dir)));
    assertEquals(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE),
        java.nio.file.Files.getPosixFilePermissions(dir.resolve("relay.key")));
  }

  @Test
  void theCommandLineExitsWith2OnABadSetting() {
    int code = new CommandLine(new RelayMain()).execute("address", "--state-dir", dir.toString(), "--http-port", "99999");
    assertEquals(2, code);
  }

  private static void assertRefused(String option, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().startsWith(option), x.getMessage());
  }
}
