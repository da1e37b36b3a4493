package tech.infernet.nkn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tech.infernet.nkn.NknMessagingIT.text;
import static tech.infernet.nkn.NknMessagingIT.utf8;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;

@ExtendWith(NknDevnetExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NknSessionIT {
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
  void sixtyFourMebibyteStreamArrivesWithTheSameSha256() throws Exception {
    NknClient sender = clients.connect();
    NknClient receiver = clients.connect();
    receiver.listen(List.of(java.util.regex.Pattern.quote(sender.address()) + "$"));
    CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
      try (NknSession session = receiver.accept(Duration.ofSeconds(60)).orElseThrow()) {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(session.getInputStream(), digest)) {
          in.transferTo(OutputStream.nullOutputStream());
        }
        return digest.digest();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    Random random = new Random(7);
    byte[] chunk = new byte[256 << 10];

    try (NknSession session = sender.dial(receiver.address(), Duration.ofSeconds(30))) {
      OutputStream out = session.getOutputStream();
      for (int i = 0; i < 256; i++) {
        random.nextBytes(chunk);
        sent.update(chunk);
        out.write(chunk);
      }
      session.shutdownOutput();
      assertArrayEquals(sent.digest(), received.get(150, TimeUnit.SECONDS));
    }
  }

  @Test
  void halfClosedSideStillReadsTheAnswer() throws Exception {
    NknClient client = clients.connect();
    NknClient server = clients.connect();
    server.listen(List.of(".*"));
    CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
      try (NknSession session = server.accept(Duration.ofSeconds(60)).orElseThrow()) {
        String request = text(session.getInputStream().readAllBytes());
        session.getOutputStream().write(utf8("answer to " + request + " from " + session.remoteAddress()));
        session.shutdownOutput();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    try (NknSession session = client.dial(server.address(), Duration.ofSeconds(30))) {
      session.getOutputStream().write(utf8("question"));
      session.getOutputStream().close();
      assertEquals("answer to question from " + client.address(), text(session.getInputStream().readAllBytes()));
    }
    served.get(30, TimeUnit.SECONDS);
  }

  @Test
  void dialToAClientThatDoesNotListenFails() {
    NknClient caller = clients.connect();
    NknClient deaf = clients.connect();

    NknException failed = assertThrows(NknException.class, () -> caller.dial(deaf.address(), Duration.ofSeconds(3)));

    assertEquals(NknException.Code.TIMEOUT, failed.code(), failed.getMessage());
  }

  @Test
  void sessionsFromAddressesOutsideTheListenPatternsAreNotAccepted() {
    NknClient stranger = clients.connect();
    NknClient server = clients.connect();
    server.listen(List.of("^only-this-identifier\\."));

    assertThrows(NknException.class, () -> stranger.dial(server.address(), Duration.ofSeconds(3)));
    assertTrue(server.accept(Duration.ofMillis(500)).isEmpty());
  }

  @Test
  void badListenPatternIsRefusedWithTheReason() {
    NknClient server = clients.connect();

    NknException refused = assertThrows(NknException.class, () -> server.listen(List.of("([unclosed")));

    assertEquals(NknException.Code.INVALID_ARGUMENT, refused.code());
  }

  @Test
  void closingTheClientClosesItsSessionsAndReadsEndWithAnError() throws Exception {
    NknClient client = clients.connect();
    NknClient server = clients.connect();
    server.listen(List.of(".*"));
    CompletableFuture<NknSession> accepted =
        CompletableFuture.supplyAsync(() -> server.accept(Duration.ofSeconds(30)).orElseThrow());
    NknSession session = client.dial(server.address(), Duration.ofSeconds(30));
    accepted.get(30, TimeUnit.SECONDS);

    client.close();

    assertThrows(java.io.IOException.class, () -> session.getInputStream().read(new byte[16]));
  }
}
