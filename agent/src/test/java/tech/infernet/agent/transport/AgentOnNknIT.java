package tech.infernet.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.engine.JobEngine;
import tech.infernet.agent.runner.TestImage;
import tech.infernet.agent.store.Store;
import tech.infernet.client.AgentException;
import tech.infernet.client.NknAgentClient;
import tech.infernet.client.SecureChannel;
import tech.infernet.nkn.NknReply;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.InMemoryReplayCache;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.message.AgentInfo;
import tech.infernet.protocol.message.AgentInfoRequest;
import tech.infernet.protocol.message.ErrorReply;
import tech.infernet.protocol.message.EventAck;
import tech.infernet.protocol.message.EventAcks;
import tech.infernet.protocol.message.JobAccepted;
import tech.infernet.protocol.message.JobEvent;
import tech.infernet.protocol.message.JobEvents;
import tech.infernet.protocol.message.JobGet;
import tech.infernet.protocol.message.PairingUri;
import tech.infernet.protocol.message.Payload;
import tech.infernet.protocol.message.Role;
import tech.infernet.protocol.spec.ContainerJob;
import tech.infernet.protocol.spec.Resources;

/** A real agent (store, engine, Podman) on the real local NKN network, talked to by real clients. */
@ExtendWith(NknDevnetExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentOnNknIT {
  @TempDir static Path dir;
  private static String image;
  private static NknDevnet devnet;
  private static Store store;
  private static JobEngine engine;
  private static NknFace face;
  private static TestAgent agent;

  @BeforeAll
  static void startAgent(NknDevnet net) throws Exception {
    devnet = net;
    image = TestImage.ensure();
    agent = TestAgent.fresh(dir, devnet);
    store = agent.store;
    engine = agent.engine;
    face = agent.face;
  }

  @AfterAll
  static void stopAgent() throws Exception {
    // Jobs some tests only submit are cancelled and seen to end, so no container is left behind.
    java.util.Set<tech.infernet.agent.jobs.JobState> live = java.util.EnumSet.of(tech.infernet.agent.jobs.JobState.QUEUED,
        tech.infernet.agent.jobs.JobState.PREPARING, tech.infernet.agent.jobs.JobState.RUNNING);
    store.jobs(live, 1000).forEach(job -> engine.cancel(job.id()).join());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!store.jobs(live, 1).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    agent.close();
  }

  /** A client with this key, holding role (or none). */
  private static NknAgentClient client(KeyPair key, Role role) {
    return agent.client(key, role);
  }

  private static KeyPair newKey() {
    return KeyPair.generate(new SecureRandom());
  }

  private static ContainerJob echo(String text) {
    return new ContainerJob(image, List.of("/bin/sh", "-c", "echo " + text), Map.of(), new Resources(64, 0, 0, 0), 60, false);
  }

  private static ErrorCode refusal(Runnable call) {
    CompletionException failed = assertThrows(CompletionException.class, call::run);
    return assertInstanceOf(AgentException.class, failed.getCause()).code();
  }

  @Test
  void ownerSubmitsAContainerJobOverNknAndGetsEveryEventOnceInOrder() throws Exception {
    NknAgentClient owner = client(newKey(), Role.OWNER);
    List<JobEvent> events = new CopyOnWriteArrayList<>();
    owner.onEvent(events::add);

    JobAccepted accepted = owner.submit(face.address(), echo("hello-from-nkn")).join();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (events.stream().noneMatch(e -> e.jobId().equals(accepted.jobId()) && "SUCCEEDED".equals(e.data().get("state")))) {
      assertTrue(System.nanoTime() < deadline, "no SUCCEEDED event; got " + events);
      Thread.sleep(100);
    }
    List<JobEvent> mine = events.stream().filter(e -> e.jobId().equals(accepted.jobId())).toList();
    for (int i = 0; i < mine.size(); i++) {
      assertEquals(i + 1, mine.get(i).seq(), "events in order, no gap, no duplicate: " + mine);
    }
    assertTrue(mine.stream().anyMatch(e -> e.kind().equals("log") && e.data().toString().contains("hello-from-nkn")), mine.toString());
    assertEquals("succeeded", owner.get(face.address(), accepted.jobId()).join().job().state());
    assertEquals(mine.size(), owner.get(face.address(), accepted.jobId()).join().job().lastSeq());
    assertTrue(owner.list(face.address(), "succeeded", 100).join().jobs().stream().anyMatch(v -> v.jobId().equals(accepted.jobId())));
    assertTrue(owner.list(face.address(), "not_a_state", 100).join().jobs().isEmpty(), "an unknown state matches no job");
  }

  @Test
  void cliPairsSubmitsAContainerJobAndWatchesItToTheEnd(@TempDir Path home) throws Exception {
    PairingUri code = face.newPairing(Role.SUBMITTER, Duration.ofMinutes(5));
    List<String> common = List.of("--identity", home.resolve("identity").toString(), "--rpc", devnet.seedRpcAddress());

    String paired = Cli.run(common, "pair", code.toString());
    String submitted = Cli.run(common, "submit", "--image", image, "--memory", "64", "--timeout", "60", "--watch",
        "--", "/bin/sh", "-c", "echo cli-says-hi");
    String listed = Cli.run(common, "list");

    assertTrue(paired.contains("paired with " + face.address() + " as submitter"), paired);
    assertTrue(submitted.contains("cli-says-hi") && submitted.contains("SUCCEEDED"), submitted);
    String jobId = submitted.lines().findFirst().orElseThrow().split(" ")[0];
    assertTrue(listed.contains(jobId + "  succeeded"), listed);
  }

  @Test
  void unpairedKeyIsRefusedWithUnauthorized() {
    NknAgentClient stranger = client(newKey(), null);

    assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> stranger.submit(face.address(), echo("x")).join()));
    assertEquals(ErrorCode.UNAUTHORIZED, refusal(() -> stranger.info(face.address()).join()));
  }

  @Test
  void pairingCodeGrantsItsRoleOnceAndExpiredCodesFail() throws Exception {
    NknAgentClient phone = client(newKey(), null);
    PairingUri code = face.newPairing(Role.VIEWER, Duration.ofMinutes(5));

    assertEquals(Role.VIEWER, phone.pair(PairingUri.parse(code.toString()), "phone").join().role());
    assertFalse(phone.info(face.address()).join().runners().isEmpty(), "a viewer may ask for agent.info");
    assertEquals(ErrorCode.PAIR_USED, refusal(() -> client(newKey(), null).pair(code, "late").join()));

    PairingUri expired = face.newPairing(Role.SUBMITTER, Duration.ofMillis(1));
    Thread.sleep(20);
    assertEquals(ErrorCode.PAIR_EXPIRED, refusal(() -> client(newKey(), null).pair(expired, "slow").join()));
  }

  @Test
  void viewerCannotSubmit() {
    NknAgentClient viewer = client(newKey(), Role.VIEWER);

    assertEquals(ErrorCode.FORBIDDEN, refusal(() -> viewer.submit(face.address(), echo("x")).join()));
  }

  @Test
  void submitterCannotSeeAnotherSubmittersJob() {
    NknAgentClient alice = client(newKey(), Role.SUBMITTER);
    NknAgentClient bob = client(newKey(), Role.SUBMITTER);
    String job = alice.submit(face.address(), echo("alice")).join().jobId();

    assertEquals(ErrorCode.NOT_FOUND, refusal(() -> bob.get(face.address(), job).join()));
    assertTrue(bob.list(face.address(), null, 100).join().jobs().stream().noneMatch(v -> v.jobId().equals(job)));
    assertEquals(ErrorCode.NOT_FOUND, refusal(() -> bob.cancel(face.address(), job).join()));
    assertEquals(job, alice.get(face.address(), job).join().job().jobId());
  }

  @Test
  void envelopeSentAgainVerbatimIsRefusedAsAReplay() throws Exception {
    KeyPair key = newKey();
    client(key, Role.OWNER).info(face.address()).join();
    RawPeer raw = agent.raw(key);
    byte[] envelope = raw.channel.seal(agentKey(), new AgentInfoRequest("once"));

    assertInstanceOf(AgentInfo.class, raw.send(face.address(), envelope));
    ErrorReply replay = assertInstanceOf(ErrorReply.class, raw.send(face.address(), envelope));
    assertEquals(ErrorCode.REPLAYED, replay.code());
  }

  @Test
  void aBadSpecIsAnsweredWithInvalidSpecNamingTheFieldAndTheRequest() throws Exception {
    KeyPair key = newKey();
    client(key, Role.SUBMITTER);
    RawPeer raw = agent.raw(key);
    byte[] json = "{\"id\":\"bad-spec\",\"spec\":{\"version\":1,\"kind\":\"container\",\"image\":\"alpine\",\"command\":\"rm -rf /\"}}"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] envelope = tech.infernet.protocol.EnvelopeCodec.toBinary(
        new tech.infernet.protocol.Sealer(key).seal(agentKey(), tech.infernet.protocol.MessageType.JOB_SUBMIT, json));

    ErrorReply refused = assertInstanceOf(ErrorReply.class, raw.send(face.address(), envelope));

    assertEquals(ErrorCode.INVALID_SPEC, refused.code());
    assertEquals("bad-spec", refused.re());
    assertEquals("spec.command", refused.field());
    assertEquals("command_not_argv", refused.detail());
    assertFalse(refused.message().startsWith("invalid_spec"), "the code is not repeated in the message: " + refused.message());
  }

  @Test
  void malformedOversizedAndUnsignedMessagesGetTheirCodesAndTheAgentServesOn() throws Exception {
    KeyPair key = newKey();
    NknAgentClient owner = client(key, Role.OWNER);
    RawPeer raw = agent.raw(key);
    byte[] unsigned = raw.seal(new AgentInfoRequest("unsigned"));
    java.util.Arrays.fill(unsigned, unsigned.length - 64, unsigned.length, (byte) 0);

    assertEquals(ErrorCode.MALFORMED, assertInstanceOf(ErrorReply.class, raw.send(face.address(), new byte[] {1, 2, 3})).code());
    assertEquals(ErrorCode.OVERSIZE,
        assertInstanceOf(ErrorReply.class, raw.send(face.address(), new byte[(1 << 20) + 1024])).code());
    assertEquals(ErrorCode.BAD_SIGNATURE, assertInstanceOf(ErrorReply.class, raw.send(face.address(), unsigned)).code());
    assertFalse(owner.info(face.address()).join().runners().isEmpty(), "the agent still answers");
  }

  @Test
  void aTamperedByteAnywhereIsRefused() throws Exception {
    KeyPair key = newKey();
    client(key, Role.OWNER);
    RawPeer raw = agent.raw(key);
    byte[] sealed = raw.channel.seal(agentKey(), new AgentInfoRequest("probe"));
    for (int position : new int[] {1, 2, 40, 70, 80, 100, sealed.length / 2, sealed.length - 70, sealed.length - 1}) {
      byte[] tampered = sealed.clone();
      tampered[position] ^= 0x01;
      Payload answer = raw.send(face.address(), tampered);
      ErrorReply refused = assertInstanceOf(ErrorReply.class, answer, "byte " + position + " flipped was accepted");
      assertNotEquals(ErrorCode.INTERNAL, refused.code());
    }
  }

  @Test
  void envelopeForwardedByACarrierCountsAsItsSenderAndTheCarrierCannotReadIt() throws Exception {
    KeyPair phone = newKey();
    store.aclPut(hex(phone.publicKey()), Role.SUBMITTER.wireName()).join();
    KeyPair relay = newKey();
    store.aclPut(hex(relay.publicKey()), Role.CARRIER.wireName()).join();
    SecureChannel phoneChannel = new SecureChannel(phone, new InMemoryReplayCache());
    byte[] fromPhone = phoneChannel.seal(agentKey(), new JobGet("carried", "01ARZ3NDEKTSV4RRFFQ69G5FAV"));
    RawPeer carrier = agent.raw(relay);

    NknReply reply = carrier.nkn.sendAndWait(face.address(), fromPhone);

    assertThrows(ProtocolException.class, () -> carrier.channel.open(reply.source(), reply.data()),
        "the carrier opened a reply sealed to the phone");
    Payload forPhone = phoneChannel.open(reply.source(), reply.data()).payload();
    assertEquals(ErrorCode.NOT_FOUND, assertInstanceOf(ErrorReply.class, forPhone).code(),
        "answered as the phone (a submitter asking for a job it cannot see)");

    RawPeer notACarrier = agent.raw(newKey());
    byte[] again = phoneChannel.seal(agentKey(), new JobGet("carried2", "01ARZ3NDEKTSV4RRFFQ69G5FAV"));
    NknReply refused = notACarrier.nkn.sendAndWait(face.address(), again);
    assertEquals(ErrorCode.UNAUTHORIZED,
        assertInstanceOf(ErrorReply.class, phoneChannel.open(refused.source(), refused.data()).payload()).code());
  }

  @Test
  void aKeyWithAsManyJobsQueuedOrRunningAsItsQuotaGetsQuotaExceeded() {
    NknAgentClient busy = client(newKey(), Role.SUBMITTER);
    ContainerJob sleeper = new ContainerJob(image, List.of("/bin/sh", "-c", "sleep 60"), Map.of(),
        new Resources(64, 0, 0, 0), 120, false);
    List<String> jobs = new java.util.ArrayList<>();
    for (int i = 0; i < face.config().maxActiveJobsPerKey(); i++) {
      jobs.add(busy.submit(face.address(), sleeper).join().jobId());
    }

    assertEquals(ErrorCode.QUOTA_EXCEEDED, refusal(() -> busy.submit(face.address(), sleeper).join()));
    // the last one is still queued, so cancelling it frees a place at once (stopAgent cancels the rest)
    assertEquals("cancelled", busy.cancel(face.address(), jobs.get(jobs.size() - 1)).join().state());
    assertEquals("queued", busy.submit(face.address(), echo("room-again")).join().state());
  }

  @Test
  void eventsWaitingTogetherGoOutAsOneBatchAndOnlyTheAcknowledgedOnesCountAsDelivered() throws Exception {
    KeyPair key = newKey();
    NknAgentClient away = client(key, Role.OWNER);
    String job = away.submit(face.address(), echo("batched")).join().jobId();
    away.close(); // gone before its events could be acknowledged: they wait in the outbox
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!store.job(new tech.infernet.agent.jobs.JobId(job)).orElseThrow().state().isTerminal()) {
      assertTrue(System.nanoTime() < deadline, "the job did not end");
      Thread.sleep(100);
    }
    RawPeer back = agent.raw(key);
    java.util.concurrent.BlockingQueue<tech.infernet.nkn.NknMessage> inbox = new java.util.concurrent.LinkedBlockingQueue<>();
    back.nkn.onMessage(inbox::add);

    back.send(face.address(), back.channel.seal(agentKey(), new AgentInfoRequest("i-am-back"))); // the agent learns where we are
    tech.infernet.nkn.NknMessage first = inbox.poll(30, TimeUnit.SECONDS);
    assertTrue(first != null, "no events after the owner came back");
    JobEvents batch = assertInstanceOf(JobEvents.class, back.channel.open(first.source(), first.data()).payload());
    List<JobEvent> mine = batch.events().stream().filter(e -> e.jobId().equals(job)).toList();
    // at least the log line and SUCCEEDED, made after the owner left (earlier ones it may have acknowledged)
    assertTrue(mine.size() >= 2, "the waiting events came together: " + batch.events());
    assertEquals("SUCCEEDED", mine.get(mine.size() - 1).data().get("state"), mine.toString());
    for (int i = 1; i < mine.size(); i++) {
      assertEquals(mine.get(i - 1).seq() + 1, mine.get(i).seq(), "in order: " + mine);
    }
    JobEvent last = batch.events().get(batch.events().size() - 1);
    first.reply(back.channel.seal(agentKey(), new EventAcks(batch.events().subList(0, batch.events().size() - 1).stream()
        .map(e -> new EventAck(e.jobId(), e.seq())).toList())));

    tech.infernet.nkn.NknMessage again = inbox.poll(30, TimeUnit.SECONDS);
    assertTrue(again != null, "the unacknowledged event was not sent again");
    JobEvent resent = assertInstanceOf(JobEvent.class, back.channel.open(again.source(), again.data()).payload());
    assertEquals(last.jobId() + "#" + last.seq(), resent.jobId() + "#" + resent.seq(), "only the event left out of the acks");
    again.reply(back.channel.seal(agentKey(), new EventAck(resent.jobId(), resent.seq())));
    while (store.pendingOutbox(1000).stream().anyMatch(o -> o.recipient().equals(hex(key.publicKey())))) {
      assertTrue(System.nanoTime() < deadline, "acknowledged events still pending");
      Thread.sleep(100);
    }
  }

  @Test
  void aKeyOverItsRateIsSlowedDown() {
    NknAgentClient busy = client(newKey(), Role.VIEWER);
    long limited = java.util.stream.IntStream.range(0, 40).parallel().mapToObj(i -> busy.info(face.address()))
        .toList().stream().filter(f -> {
          try {
            f.join();
            return false;
          } catch (CompletionException e) {
            return e.getCause() instanceof AgentException a && a.code() == ErrorCode.RATE_LIMITED;
          }
        }).count();
    assertTrue(limited > 0, "40 requests at once with a burst of 10 were all served");
  }

  private static byte[] agentKey() {
    return HexFormat.of().parseHex(SecureChannel.publicKeyOf(face.address()));
  }

  private static String hex(byte[] key) {
    return HexFormat.of().formatHex(key);
  }

}
