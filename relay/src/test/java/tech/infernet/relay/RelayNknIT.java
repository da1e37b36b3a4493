package tech.infernet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.client.SecureChannel;
import tech.infernet.mobile.auth.KeyIds;
import tech.infernet.nkn.NknAccount;
import tech.infernet.nkn.NknClient;
import tech.infernet.nkn.NknClientOptions;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.InMemoryReplayCache;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.message.AgentInfoRequest;
import tech.infernet.protocol.message.ErrorReply;
import tech.infernet.protocol.message.EventAck;
import tech.infernet.protocol.message.EventCarry;
import tech.infernet.protocol.message.JobEvent;
import tech.infernet.protocol.message.JobGet;
import tech.infernet.protocol.message.Payload;

/**
 * The relay's NKN face against a real nknd: a real NKN client with an agent's key hands it
 * events. Good ones are acknowledged and stored once; malformed, oversized, unsigned, tampered,
 * replayed, misaddressed and unlinked ones are answered with stable error codes and store nothing.
 */
@ExtendWith(NknDevnetExtension.class)
class RelayNknIT {
  @TempDir static Path dir;
  static Vertx vertx;
  static Relay relay;
  static byte[] relayKey;
  static KeyPair agentKey;
  static NknClient agentNkn;
  static SecureChannel agent;
  static final KeyPair PHONE = KeyPair.generate(new SecureRandom());
  static final String PHONE_ID = KeyIds.of(PHONE.publicKey());
  static final String OWNER = HexFormat.of().formatHex(PHONE.publicKey());

  @BeforeAll
  static void start(NknDevnet devnet) throws Exception {
    vertx = Vertx.vertx();
    relay = Relay.start(vertx, new RelayConfig(dir.resolve("relay"), List.of(devnet.seedRpcAddress()), "relay",
        "127.0.0.1", 0, -1, -1, null, Duration.ofSeconds(60)), null);
    relayKey = HexFormat.of().parseHex(SecureChannel.publicKeyOf(relay.address()));
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    agentKey = KeyPair.fromSeed(seed);
    agent = new SecureChannel(agentKey, new InMemoryReplayCache());
    agentNkn = NknClient.connect(NknAccount.fromSeed(seed),
        NknClientOptions.builder(devnet.seedRpcAddress()).identifier("agent").replyTimeout(Duration.ofSeconds(20)).build());
    relay.api().agentLinks().link(PHONE_ID, agentNkn.address()).join();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!relay.onNkn()) {
      assertTrue(System.nanoTime() < end, "the relay joins NKN");
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stop() {
    if (agentNkn != null) {
      agentNkn.close();
    }
    if (relay != null) {
      relay.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void anEventIsAcknowledgedAndStoredOnceHoweverOftenTheAgentResendsIt() throws Exception {
    EventCarry carry = carry("job-once", 1, "running", innerEvent("job-once", 1, agentKey, PHONE.publicKey()));
    for (int i = 0; i < 3; i++) {
      EventAck ack = assertInstanceOf(EventAck.class, send(agent.seal(relayKey, carry)));
      assertEquals("job-once", ack.jobId());
      assertEquals(1, ack.seq());
    }
    var stored = relay.api().events().after(PHONE_ID, "job-once", 0, 10);
    assertEquals(1, stored.size());
    assertEquals("running", stored.get(0).status());
    assertEquals(List.of(HexFormat.of().formatHex(carry.envelope())),
        stored.stream().map(e -> HexFormat.of().formatHex(e.envelope())).toList(), "kept sealed, byte for byte");
    assertTrue(relay.api().agentLinks().list(PHONE_ID).get(0).online(), "an event proves the agent is there");
  }

  @Test
  void theVerbatimSameMessageTwiceIsARefusedReplay() throws Exception {
    byte[] once = agent.seal(relayKey, carry("job-replay", 1, "queued", innerEvent("job-replay", 1, agentKey, PHONE.publicKey())));
    assertInstanceOf(EventAck.class, send(once));
    assertError(ErrorCode.REPLAYED, send(once));
  }

  @Test
  void malformedOversizedUnsignedAndTamperedMessagesGetStableCodesAndStoreNothing() throws Exception {
    assertError(ErrorCode.MALFORMED, send(new byte[] {1, 2, 3}));
    assertError(ErrorCode.OVERSIZE, send(new byte[(1 << 20) + 1024]));
    byte[] good = agent.seal(relayKey, carry("job-bad", 1, "queued", innerEvent("job-bad", 1, agentKey, PHONE.publicKey())));
    byte[] unsigned = good.clone();
    java.util.Arrays.fill(unsigned, unsigned.length - 64, unsigned.length, (byte) 0);
    assertError(ErrorCode.BAD_SIGNATURE, send(unsigned));
    byte[] tampered = good.clone();
    tampered[tampered.length / 2] ^= 1;
    assertError(ErrorCode.BAD_SIGNATURE, send(tampered));
    byte[] forSomeoneElse = agent.seal(PHONE.publicKey(), new EventAck("job-bad", 1));
    assertError(ErrorCode.WRONG_RECIPIENT, send(forSomeoneElse));
    assertEquals(0, relay.api().events().after(PHONE_ID, "job-bad", 0, 10).size());
  }

  @Test
  void theInnerEnvelopeMustBeAJobEventFromTheSameAgentToTheNamedOwner() throws Exception {
    KeyPair stranger = KeyPair.generate(new SecureRandom());
    byte[] fromStranger = innerEvent("job-inner", 1, stranger, PHONE.publicKey());
    byte[] toStranger = innerEvent("job-inner", 1, agentKey, stranger.publicKey());
    byte[] notAnEvent = new SecureChannel(agentKey, new InMemoryReplayCache()).seal(PHONE.publicKey(), new JobGet("r", "j"));
    byte[] brokenInner = innerEvent("job-inner", 1, agentKey, PHONE.publicKey());
    brokenInner[brokenInner.length - 1] ^= 1;
    for (byte[] inner : List.of(fromStranger, toStranger, notAnEvent, brokenInner, new byte[] {9, 9})) {
      ErrorReply e = assertError(ErrorCode.BAD_PAYLOAD, send(agent.seal(relayKey, carry("job-inner", 1, "running", inner))));
      assertEquals("envelope", e.field());
    }
    assertEquals(0, relay.api().events().after(PHONE_ID, "job-inner", 0, 10).size());
  }

  @Test
  void eventsForAPhoneThatDidNotLinkThisAgentAreRefused() throws Exception {
    KeyPair otherPhone = KeyPair.generate(new SecureRandom());
    EventCarry carry = new EventCarry(HexFormat.of().formatHex(otherPhone.publicKey()), "job-x", 1, "queued",
        innerEvent("job-x", 1, agentKey, otherPhone.publicKey()));
    assertError(ErrorCode.UNAUTHORIZED, send(agent.seal(relayKey, carry)));
    assertEquals(0, relay.api().events().after(KeyIds.of(otherPhone.publicKey()), 0, 10).size());
  }

  @Test
  void aRelayTakesNoRequestsOverNkn() throws Exception {
    assertError(ErrorCode.UNSUPPORTED_TYPE, send(agent.seal(relayKey, new AgentInfoRequest("r1"))));
  }

  private static EventCarry carry(String jobId, long seq, String status, byte[] inner) {
    return new EventCarry(OWNER, jobId, seq, status, inner);
  }

  private static byte[] innerEvent(String jobId, long seq, KeyPair from, byte[] to) {
    return new SecureChannel(from, new InMemoryReplayCache()).seal(to,
        new JobEvent(jobId, seq, System.currentTimeMillis(), "state", Map.of("state", "RUNNING")));
  }

  private static Payload send(byte[] message) throws ProtocolException {
    var reply = agentNkn.sendAndWait(relay.address(), message);
    return agent.open(reply.source(), reply.data()).payload();
  }

  private static ErrorReply assertError(ErrorCode code, Payload p) {
    ErrorReply e = assertInstanceOf(ErrorReply.class, p);
    assertEquals(code, e.code(), e.message());
    return e;
  }
}
