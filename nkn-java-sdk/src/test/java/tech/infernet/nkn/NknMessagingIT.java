package tech.infernet.nkn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;

@ExtendWith(NknDevnetExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NknMessagingIT {
  private TestClients clients;

  @BeforeEach
  void start(NknDevnet devnet) {
    clients = new TestClients(devnet);
  }

  @AfterEach
  void stop() {
    clients.close();
  }

  @Test
  void twoClientsExchangeMessagesBothWaysAndRepliesArrive() throws Exception {
    NknClient alice = clients.echo();
    NknClient bob = clients.echo();

    NknReply fromBob = alice.send(bob.address(), utf8("hi bob")).get(20, TimeUnit.SECONDS);
    NknReply fromAlice = bob.send(alice.address(), utf8("hi alice")).get(20, TimeUnit.SECONDS);

    assertEquals("echo:hi bob", text(fromBob.data()));
    assertEquals(bob.address(), fromBob.source());
    assertEquals("echo:hi alice", text(fromAlice.data()));
    assertEquals(alice.address(), fromAlice.source());
  }

  @Test
  void sendAndWaitReturnsTheReplyOnTheCallingThread() {
    NknClient alice = clients.connect();
    NknClient bob = clients.echo();

    NknReply reply = alice.sendAndWait(bob.address(), utf8("blocking"));

    assertEquals("echo:blocking", text(reply.data()));
    assertEquals(bob.address(), reply.source());
  }

  @Test
  void sendAndWaitToASilentClientThrowsTimeout() {
    NknClient sender = clients.connect(clients.options().replyTimeout(java.time.Duration.ofSeconds(2)).build());
    NknClient silent = clients.connect();
    silent.onMessage(message -> { });

    NknException timeout = assertThrows(NknException.class, () -> sender.sendAndWait(silent.address(), utf8("?")));

    assertEquals(NknException.Code.TIMEOUT, timeout.code());
  }

  @Test
  void receiverSeesTheAuthenticatedSenderAddress() throws Exception {
    NknClient sender = clients.connect();
    NknClient receiver = clients.connect();
    LinkedBlockingQueue<NknMessage> inbox = new LinkedBlockingQueue<>();
    receiver.onMessage(inbox::add);

    sender.sendNoReply(receiver.address(), utf8("no answer needed")).get(20, TimeUnit.SECONDS);
    NknMessage message = inbox.poll(20, TimeUnit.SECONDS);

    assertEquals(sender.address(), message.source());
    assertEquals("no answer needed", text(message.data()));
    assertFalse(message.canReply());
  }

  @Test
  void oneMegabyteMessageArrivesIntact() throws Exception {
    NknClient sender = clients.connect();
    NknClient receiver = clients.connect();
    CompletableFuture<byte[]> digestSeen = new CompletableFuture<>();
    receiver.onMessage(message -> {
      digestSeen.complete(sha256(message.data()));
      message.reply(sha256(message.data()));
    });
    byte[] data = new byte[1 << 20];
    new Random(42).nextBytes(data);

    NknReply reply = sender.send(receiver.address(), data).get(60, TimeUnit.SECONDS);

    assertArrayEquals(sha256(data), digestSeen.get(1, TimeUnit.SECONDS));
    assertArrayEquals(sha256(data), reply.data());
  }

  @Test
  void messageOverFourMillionBytesIsRefusedBeforeAnythingIsSent() {
    NknClient sender = clients.connect();
    NknClient receiver = clients.connect();
    LinkedBlockingQueue<NknMessage> inbox = new LinkedBlockingQueue<>();
    receiver.onMessage(inbox::add);

    NknException refused = assertThrows(NknException.class,
        () -> sender.send(receiver.address(), new byte[NknClient.MAX_MESSAGE_BYTES + 1]));

    assertEquals(NknException.Code.MESSAGE_TOO_LARGE, refused.code());
    assertTrue(refused.getMessage().contains("4000000"), refused.getMessage());
    assertTrue(inbox.isEmpty());
  }

  @Test
  void invalidDestinationFailsTheFutureWithInvalidAddress() {
    NknClient sender = clients.connect();

    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> sender.send("not-a-public-key", utf8("x")).get(20, TimeUnit.SECONDS));

    NknException cause = assertInstanceOf(NknException.class, failed.getCause());
    assertEquals(NknException.Code.INVALID_ADDRESS, cause.code(), cause.getMessage());
  }

  @Test
  void unansweredRequestTimesOutWithTimeout() {
    NknClient sender = clients.connect(clients.options().replyTimeout(java.time.Duration.ofSeconds(2)).build());
    NknClient silent = clients.connect();
    silent.onMessage(message -> { });

    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> sender.send(silent.address(), utf8("anyone?")).get(20, TimeUnit.SECONDS));

    assertEquals(NknException.Code.TIMEOUT, ((NknException) failed.getCause()).code());
  }

  @Test
  void aMessageCanBeAnsweredOnlyOnce() throws Exception {
    NknClient sender = clients.connect();
    NknClient receiver = clients.connect();
    CompletableFuture<Throwable> secondReply = new CompletableFuture<>();
    receiver.onMessage(message -> {
      message.reply(utf8("first"));
      message.reply(utf8("second")).whenComplete((ok, error) -> secondReply.complete(error));
    });

    assertEquals("first", text(sender.send(receiver.address(), utf8("q")).get(20, TimeUnit.SECONDS).data()));
    NknException error = assertInstanceOf(NknException.class, secondReply.get(5, TimeUnit.SECONDS));
    assertEquals(NknException.Code.INVALID_ARGUMENT, error.code());
  }

  @Test
  void sendingToSeveralDestinationsReachesEach() throws Exception {
    NknClient sender = clients.connect();
    LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
    NknClient first = clients.connect();
    NknClient second = clients.connect();
    first.onMessage(m -> seen.add("first:" + text(m.data())));
    second.onMessage(m -> seen.add("second:" + text(m.data())));

    sender.sendNoReply(List.of(first.address(), second.address()), utf8("all")).get(20, TimeUnit.SECONDS);

    List<String> got = List.of(seen.poll(20, TimeUnit.SECONDS), seen.poll(20, TimeUnit.SECONDS));
    assertTrue(got.containsAll(List.of("first:all", "second:all")), got.toString());
  }

  @Test
  void closedClientRefusesToSendAndClosingTwiceIsHarmless() {
    NknClient client = clients.connect();
    client.close();
    client.close();

    NknException refused = assertThrows(NknException.class, () -> client.send(client.address(), utf8("x")));
    assertEquals(NknException.Code.CLOSED, refused.code());
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] data) {
    return new String(data, StandardCharsets.UTF_8);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
