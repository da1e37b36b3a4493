package tech.infernet.nkn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tech.infernet.nkn.NknMessagingIT.text;
import static tech.infernet.nkn.NknMessagingIT.utf8;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;

/** nknd is killed and restarted while two clients talk. */
@ExtendWith(NknDevnetExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NknReconnectIT {

  @Test
  void clientsReconnectByThemselvesAndTheOutageIsVisible(NknDevnet devnet) throws Exception {
    try (TestClients clients = new TestClients(devnet)) {
      NknClientOptions options = clients.options().replyTimeout(Duration.ofSeconds(3)).build();
      NknClient alice = clients.connect(options);
      NknClient bob = clients.connect(options);
      bob.onMessage(message -> message.reply(message.data()));
      List<NknConnectionState> aliceStates = new CopyOnWriteArrayList<>();
      alice.onConnectionChange(aliceStates::add);

      AtomicInteger delivered = new AtomicInteger();
      List<NknException.Code> failures = new CopyOnWriteArrayList<>();
      AtomicBoolean traffic = new AtomicBoolean(true);
      Thread talker = new Thread(() -> {
        while (traffic.get()) {
          try {
            alice.send(bob.address(), utf8("ping")).get(10, TimeUnit.SECONDS);
            delivered.incrementAndGet();
          } catch (ExecutionException e) {
            failures.add(((NknException) e.getCause()).code());
            sleep(200);
          } catch (NknException e) {
            failures.add(e.code());
            sleep(200);
          } catch (InterruptedException | TimeoutException e) {
            return;
          }
        }
      }, "talker");
      talker.start();
      awaitTrue(() -> delivered.get() > 20, 30, "traffic before the outage");

      devnet.kill();
      awaitTrue(() -> aliceStates.stream().anyMatch(s -> !s.connected()), 30, "a disconnected state event");
      int deliveredDuringOutage = delivered.get();
      Thread.sleep(3_000);
      assertFalse(alice.connectionState().connected());
      devnet.start();
      awaitTrue(() -> alice.connectionState().connected() && bob.connectionState().connected(), 90, "reconnection");
      awaitTrue(() -> delivered.get() > deliveredDuringOutage + 20, 60, "traffic after the restart");

      traffic.set(false);
      talker.join(15_000);
      assertFalse(failures.isEmpty(), "sends during the outage must fail visibly");
      assertTrue(failures.stream().allMatch(code -> code == NknException.Code.SEND_FAILED
          || code == NknException.Code.TIMEOUT), failures.toString());
      assertEquals("ping", text(alice.send(bob.address(), utf8("ping")).get(10, TimeUnit.SECONDS).data()));
    }
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition, int seconds, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + seconds + " s");
      }
      Thread.sleep(100);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
