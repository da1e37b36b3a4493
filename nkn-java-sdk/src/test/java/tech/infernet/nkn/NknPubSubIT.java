package tech.infernet.nkn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;

/**
 * Subscriptions on a fresh devnet: its first block comes about 4 minutes after start, so these
 * are seen through the node's transaction pool (docs/devnet.md), which subscribers() includes.
 */
@ExtendWith(NknDevnetExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NknPubSubIT {

  @Test
  void aSubscriberIsListedWithItsMetaUnderItsOwnAddress(NknDevnet devnet) throws Exception {
    try (TestClients clients = new TestClients(devnet)) {
      NknClient agent = clients.connect(clients.options().identifier("agent").build());
      NknClient relay = clients.connect();
      String topic = "infernet.test." + System.nanoTime();

      String txHash = agent.subscribe(topic, 100, "{\"gpus\":1}");

      assertTrue(txHash.matches("[0-9a-f]{64}"), txHash);
      Map<String, String> subscribers = Map.of();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!subscribers.containsKey(agent.address()) && System.nanoTime() < deadline) {
        subscribers = relay.subscribers(topic);
        Thread.sleep(200);
      }
      assertEquals("{\"gpus\":1}", subscribers.get(agent.address()), subscribers.toString());
    }
  }

  @Test
  void subscribingWithoutATopicIsRefusedBeforeAnyTransaction(NknDevnet devnet) {
    try (TestClients clients = new TestClients(devnet)) {
      NknClient client = clients.connect();

      NknException refused = assertThrows(NknException.class, () -> client.subscribe(" ", 10, ""));

      assertEquals(NknException.Code.INVALID_ARGUMENT, refused.code());
    }
  }
}
