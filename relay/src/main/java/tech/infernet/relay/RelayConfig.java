package tech.infernet.relay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a relay needs, validated when built, with messages that name the setting.
 *
 * @param stateDir        where the relay's key (relay.key), mobile secret and database live
 * @param seedRpc         JSON-RPC addresses of NKN nodes to join through
 * @param identifier      identifier part of the relay's NKN address ({@code identifier.publicKeyHex})
 * @param host            address REST and MQTT listen on
 * @param httpPort        REST/SSE port (0: any free port)
 * @param mqttPort        MQTT over TCP port (0: any free port, -1: off)
 * @param mqttWsPort      MQTT over WebSocket port (0: any free port, -1: off)
 * @param fcmCredentials  a Firebase service-account JSON file; null turns push off
 * @param probeInterval   how often each linked agent is asked whether it is reachable
 */
public record RelayConfig(Path stateDir, List<String> seedRpc, String identifier, String host, int httpPort,
    int mqttPort, int mqttWsPort, Path fcmCredentials, Duration probeInterval) {
  public RelayConfig {
    Objects.requireNonNull(stateDir, "state directory");
    seedRpc = List.copyOf(seedRpc);
    if (seedRpc.isEmpty()) {
      throw new IllegalArgumentException("--seed-rpc: name at least one NKN node's JSON-RPC address");
    }
    for (String seed : seedRpc) {
      if (!seed.matches("https?://[^/\\s]+(/.*)?")) {
        throw new IllegalArgumentException("--seed-rpc: \"" + seed + "\" is not an http(s) URL like http://127.0.0.1:30003");
      }
    }
    if (identifier == null || !identifier.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("--identifier: 1-64 letters, digits, '_' or '-'");
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("--host: an address to listen on, e.g. 127.0.0.1 or 0.0.0.0");
    }
    port("--http-port", httpPort, false);
    port("--mqtt-port", mqttPort, true);
    port("--mqtt-ws-port", mqttWsPort, true);
    if (probeInterval == null || probeInterval.toMillis() < 1000) {
      throw new IllegalArgumentException("--probe-seconds: at least 1");
    }
  }

  private static void port(String name, int port, boolean mayBeOff) {
    if (port < (mayBeOff ? -1 : 0) || port > 65535) {
      throw new IllegalArgumentException(name + ": a port 0-65535 (0: any free port" + (mayBeOff ? ", -1: off)" : ")"));
    }
  }

  /** The embedded defaults: the local devnet, loopback, REST 8080, MQTT 1883 and 8083, push off. */
  public static RelayConfig defaults(Path stateDir) {
    return new RelayConfig(stateDir, List.of("http://127.0.0.1:30003"), "relay", "127.0.0.1", 8080, 1883, 8083, null,
        Duration.ofSeconds(30));
  }
}
