package tech.infernet.mobile.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.mobile.TestRelay;

/**
 * Debian's {@code mosquitto_sub} / {@code mosquitto_pub} (package mosquitto-clients) against the
 * relay's MQTT endpoint. Skipped where they are not installed.
 */
class MosquittoClientsTest {
  @TempDir Path dir;

  static boolean installed(String tool) {
    for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(p, tool).canExecute()) {
        return true;
      }
    }
    return false;
  }

  @Test
  void mosquittoSubReceivesAndMosquittoPubIsRefused() throws Exception {
    Assumptions.assumeTrue(installed("mosquitto_sub") && installed("mosquitto_pub"), "mosquitto-clients not installed");
    try (TestRelay relay = new TestRelay(dir)) {
      TestRelay.Phone p = relay.phone();
      String port = Integer.toString(relay.api.mqttPort());
      Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv311",
          "-i", "deb-sub", "-u", p.keyId, "-P", p.accessToken, "-t", "u/" + p.keyId + "/jobs/#", "-q", "1",
          "-C", "1", "-W", "20", "-v").redirectErrorStream(true).start();
      Thread.sleep(1000);
      long id = relay.api.ingest(p.keyId, "job-deb", "running", new byte[] {7}).join().eventId();
      assertTrue(sub.waitFor(20, TimeUnit.SECONDS));
      String out = new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertEquals(0, sub.exitValue(), out);
      String prefix = "u/" + p.keyId + "/jobs/job-deb ";
      assertTrue(out.startsWith(prefix), out);
      assertEquals(id, new JsonObject(out.substring(prefix.length())).getLong("eventId"));

      // Another key's topic: SUBACK NOT_AUTHORIZED; mosquitto_sub says so and stops.
      TestRelay.Phone other = relay.phone();
      Process denied = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv5",
          "-u", other.keyId, "-P", other.accessToken, "-t", "u/" + p.keyId + "/jobs/#", "-q", "1", "-W", "5")
          .redirectErrorStream(true).start();
      assertTrue(denied.waitFor(20, TimeUnit.SECONDS));
      String deniedOut = new String(denied.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(deniedOut.contains("All subscription requests were denied"), deniedOut);

      // MQTT 5 QoS 1 publish: PUBACK NOT_AUTHORIZED.
      Process pub = new ProcessBuilder(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", port, "-V", "mqttv5",
          "-u", p.keyId, "-P", p.accessToken, "-t", "u/" + p.keyId + "/jobs/job-deb", "-q", "1", "-m", "forged",
          "-d")).redirectErrorStream(true).start();
      assertTrue(pub.waitFor(20, TimeUnit.SECONDS));
      String pubOut = new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(pubOut.contains("received PUBACK (Mid: 1, RC:135)"), pubOut); // 135 = 0x87 Not authorized
      assertEquals(1, relay.api.mqtt().stats().refusedPublishes());
      assertTrue(relay.api.mqtt().stats().refusedSubscriptions() >= 1);
    }
  }
}
