package tech.infernet.nkn.demo;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import tech.infernet.nkn.NknAccount;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.nkn.NknException;
import tech.infernet.nkn.NknReply;
import tech.infernet.nkn.NknSession;

/**
 * What scripts/run.sh shows until the agent and relay take its place: two Java clients on the
 * local NKN network exchange messages and replies both ways and stream a file through a
 * session, every few seconds, until interrupted.
 *
 * <pre>java -cp nkn-java-sdk.jar tech.infernet.nkn.demo.TwoClientsDemo [SEED_RPC] [ROUNDS]</pre>
 */
public final class TwoClientsDemo {
  private TwoClientsDemo() {}

  public static void main(String[] args) throws Exception {
    String rpc = args.length > 0 ? args[0] : "http://127.0.0.1:30003";
    long rounds = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
    NknClientOptions options = NknClientOptions.builder(rpc).build();
    say("connecting two clients through " + rpc + " (" + NknClient.nativeVersion() + ")");
    try (NknClient alice = NknClient.connect(NknAccount.generate(), options.toBuilder().identifier("alice").build());
         NknClient bob = NknClient.connect(NknAccount.generate(), options.toBuilder().identifier("bob").build())) {
      say("alice is " + alice.address());
      say("bob   is " + bob.address());
      alice.onMessage(message -> message.reply(utf8("alice got '" + text(message.data()) + "'")));
      bob.onMessage(message -> message.reply(utf8("bob got '" + text(message.data()) + "'")));
      alice.onConnectionChange(state -> say("alice connection: " + state));
      bob.listen(List.of("^alice\\."));
      for (long round = 1; round <= rounds; round++) {
        exchange(alice, bob, round);
        stream(alice, bob);
        if (round < rounds) {
          Thread.sleep(3_000);
        }
      }
    }
    say("done");
  }

  private static void exchange(NknClient alice, NknClient bob, long round) throws Exception {
    long start = System.nanoTime();
    NknReply fromBob = alice.send(bob.address(), utf8("hello #" + round)).get(15, TimeUnit.SECONDS);
    long rtt = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
    NknReply fromAlice = bob.send(alice.address(), utf8("hi back #" + round)).get(15, TimeUnit.SECONDS);
    say("alice -> bob: " + text(fromBob.data()) + " (round trip " + rtt + " us)");
    say("bob -> alice: " + text(fromAlice.data()));
  }

  private static void stream(NknClient alice, NknClient bob) throws Exception {
    byte[] file = new byte[4 << 20];
    new Random().nextBytes(file);
    CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
      try (NknSession session = bob.accept(Duration.ofSeconds(30)).orElseThrow()) {
        String digest = sha256(session.getInputStream());
        session.getOutputStream().write(utf8(digest));
        session.shutdownOutput();
        return digest;
      } catch (Exception e) {
        throw new NknException(NknException.Code.INTERNAL, "bob's session failed: " + e, e);
      }
    });
    long start = System.nanoTime();
    try (NknSession session = alice.dial(bob.address(), Duration.ofSeconds(30))) {
      OutputStream out = session.getOutputStream();
      out.write(file);
      session.shutdownOutput();
      String bobsDigest = text(session.getInputStream().readAllBytes());
      double seconds = (System.nanoTime() - start) / 1e9;
      String mine = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
      say(String.format("alice streamed 4 MiB to bob in %.2f s (%.1f MB/s); SHA-256 %s", seconds,
          file.length / seconds / 1e6, mine.equals(bobsDigest) ? "matches" : "DIFFERS"));
    }
    received.get(30, TimeUnit.SECONDS);
  }

  private static String sha256(InputStream in) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[64 << 10];
    int n;
    while ((n = in.read(buf)) > 0) {
      digest.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void say(String line) {
    System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + "  " + line);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] data) {
    return new String(data, StandardCharsets.UTF_8);
  }
}
