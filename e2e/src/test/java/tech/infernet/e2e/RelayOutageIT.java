package tech.infernet.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;
import tech.infernet.protocol.message.JobEvent;

/**
 * A relay that is down delays a phone's events and loses none: the job runs to its end at the
 * agent while the relay is stopped; once the relay is back (same key, same database), the agent's
 * outbox delivers every event, and the phone (same login) replays them all, in order, once each.
 */
@ExtendWith(NknDevnetExtension.class)
class RelayOutageIT {
  @TempDir static Path dir;
  static Stack stack;

  @BeforeAll
  static void start(NknDevnet devnet) throws Exception {
    stack = new Stack(devnet, dir);
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Timeout(300)
  void eventsOfAJobThatRanWhileTheRelayWasDownAllArriveOnceInOrderAfterItReturns() throws Exception {
    Stack.PairedPhone paired = stack.pairedPhone();
    String jobId = paired.submit("sleep 2; echo done");
    stack.stopRelay();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!new JsonObject(stack.agentApi("GET", "/jobs/" + jobId, null)).getString("state").equals("SUCCEEDED")) {
      assertTrue(System.nanoTime() < end, "the job ends at the agent while the relay is down");
      Thread.sleep(200);
    }
    Thread.sleep(3_000); // the agent tries the relay, fails and backs off

    long down = System.nanoTime();
    stack.startRelay();
    Phone phone = paired.phone().at(stack.relayBase()); // the relay's REST port is new; the token still holds
    List<JsonObject> events;
    try (Phone.SseStream sse = phone.sse("/v1/jobs/" + jobId + "/events", "0")) {
      events = PhoneFlowIT.untilTerminal(sse.events(), jobId, phone, false);
    }
    long catchUpMs = (System.nanoTime() - down) / 1_000_000;
    List<JobEvent> opened = PhoneFlowIT.openAll(phone, paired.agentKey(), events);
    PhoneFlowIT.assertGapFree(opened);
    assertEquals("succeeded", events.get(events.size() - 1).getString("status"));
    assertTrue(opened.stream().anyMatch(e -> e.kind().equals("log") && e.data().toString().contains("done")), opened.toString());
    System.out.printf("relay outage: %d events of the job arrived %d ms after the relay came back%n", events.size(), catchUpMs);
  }
}
