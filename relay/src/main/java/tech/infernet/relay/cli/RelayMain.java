package tech.infernet.relay.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tech.infernet.protocol.logging.JsonLogFormatter;
import tech.infernet.relay.Relay;
import tech.infernet.relay.RelayConfig;

/** {@code infernet-relay run|address}: every option also reads an environment variable. */
@Command(name = "infernet-relay", mixinStandardHelpOptions = true, version = "infernet-relay 0.1.0",
    description = "The relay between phones (REST, SSE, MQTT, push) and agents on NKN.",
    subcommands = {RelayMain.Run.class, RelayMain.Address.class})
public final class RelayMain {
  public static void main(String[] args) {
    System.exit(new CommandLine(new RelayMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  /** The settings, from options or their environment variables. */
  static final class Settings {
    @Option(names = "--state-dir", description = "Key, token secret, database (env INFERNET_RELAY_STATE_DIR; default: $STATE_DIRECTORY, else ~/.local/share/infernet-relay).",
        defaultValue = "${env:INFERNET_RELAY_STATE_DIR}")
    String stateDir;
    @Option(names = "--seed-rpc", split = ",", description = "NKN nodes' JSON-RPC addresses, comma-separated (env INFERNET_RELAY_SEED_RPC; default: the local devnet).",
        defaultValue = "${env:INFERNET_RELAY_SEED_RPC:-http://127.0.0.1:30003}")
    List<String> seedRpc;
    @Option(names = "--identifier", description = "Identifier part of the relay's NKN address (env INFERNET_RELAY_IDENTIFIER).",
        defaultValue = "${env:INFERNET_RELAY_IDENTIFIER:-relay}")
    String identifier;
    @Option(names = "--host", description = "Address REST and MQTT listen on (env INFERNET_RELAY_HOST).",
        defaultValue = "${env:INFERNET_RELAY_HOST:-127.0.0.1}")
    String host;
    @Option(names = "--http-port", description = "REST/SSE port; 0 = any free port (env INFERNET_RELAY_HTTP_PORT).",
        defaultValue = "${env:INFERNET_RELAY_HTTP_PORT:-8080}")
    int httpPort;
    @Option(names = "--mqtt-port", description = "MQTT/TCP port; -1 = off (env INFERNET_RELAY_MQTT_PORT).",
        defaultValue = "${env:INFERNET_RELAY_MQTT_PORT:-1883}")
    int mqttPort;
    @Option(names = "--mqtt-ws-port", description = "MQTT/WebSocket port; -1 = off (env INFERNET_RELAY_MQTT_WS_PORT).",
        defaultValue = "${env:INFERNET_RELAY_MQTT_WS_PORT:-8083}")
    int mqttWsPort;
    @Option(names = "--fcm-credentials", description = "Firebase service-account JSON; without it push is off (env INFERNET_RELAY_FCM_CREDENTIALS).",
        defaultValue = "${env:INFERNET_RELAY_FCM_CREDENTIALS}")
    String fcmCredentials;
    @Option(names = "--probe-seconds", description = "How often linked agents are probed (env INFERNET_RELAY_PROBE_SECONDS).",
        defaultValue = "${env:INFERNET_RELAY_PROBE_SECONDS:-30}")
    int probeSeconds;

    RelayConfig config() {
      return new RelayConfig(stateDir(), seedRpc, identifier, host, httpPort, mqttPort, mqttWsPort,
          fcmCredentials == null || fcmCredentials.isBlank() ? null : Path.of(fcmCredentials),
          Duration.ofSeconds(Math.max(0, probeSeconds)));
    }

    private Path stateDir() {
      if (stateDir != null && !stateDir.isBlank()) {
        return Path.of(stateDir);
      }
      String systemd = System.getenv("STATE_DIRECTORY");
      if (systemd != null && !systemd.isBlank()) {
        return Path.of(Arrays.asList(systemd.split(":")).get(0));
      }
      String xdg = System.getenv("XDG_DATA_HOME");
      Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
      return base.resolve("infernet-relay");
    }
  }

  @Command(name = "run", description = "Run the relay until stopped (SIGTERM or Ctrl-C).")
  static final class Run implements Callable<Integer> {
    @Mixin Settings settings;

    @Override
    public Integer call() throws Exception {
      JsonLogFormatter.install(Level.INFO);
      RelayConfig cfg;
      try {
        cfg = settings.config();
      } catch (IllegalArgumentException e) {
        System.err.println("infernet-relay: " + e.getMessage());
        return 2;
      }
      Relay relay = Relay.start(cfg);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        relay.close();
        stopped.countDown();
      }, "relay-shutdown"));
      stopped.await();
      return 0;
    }
  }

  @Command(name = "address", description = "Print the relay's NKN address (creates its key on first use); agents name it in nkn.relays.")
  static final class Address implements Callable<Integer> {
    @Mixin Settings settings;

    @Override
    public Integer call() throws Exception {
      try {
        System.out.println(Relay.address(settings.config()));
        return 0;
      } catch (IllegalArgumentException e) {
        System.err.println("infernet-relay: " + e.getMessage());
        return 2;
      }
    }
  }
}
