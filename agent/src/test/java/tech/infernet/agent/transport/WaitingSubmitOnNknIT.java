package tech.infernet.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.runner.TestImage;
import tech.infernet.client.NknAgentClient;
import tech.infernet.client.SecureChannel;
import tech.infernet.nkn.NknMessage;
import tech.infernet.nkn.NknReply;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.InMemoryReplayCache;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.ProtocolException;
import tech.infernet.protocol.message.ErrorReply;
import tech.infernet.protocol.message.EventAck;
import tech.infernet.protocol.message.EventAcks;
import tech.infernet.protocol.message.JobAccepted;
import tech.infernet.protocol.message.JobEvent;
import tech.infernet.protocol.message.JobEvents;
import tech.infernet.protocol.message.JobSubmit;
import tech.infernet.protocol.message.Payload;
import tech.infernet.protocol.message.Role;
import tech.infernet.protocol.spec.ContainerJob;
import tech.infernet.protocol.spec.Resources;

/**
 * {@code job.submit} with {@code waitMs} against a real agent (store, engine, Podman) on the real
 * local NKN network: the answer carries the job's events, their acknowledgement settles them, and
 * without it they are delivered again; other keys' acknowledgements and carried submits change nothing.
 */
@ExtendWith(NknDevnetExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WaitingSubmitOnNknIT {
  @TempDir static Path dir;
  private static String image;
  private static TestAgent agent;
  private static NknDevnet devnet;

  @BeforeAll
  static void startAgent(NknDevnet net) throws Exception {
    devnet = net;
    image = TestImage.ensure();
    agent = TestAgent.fresh(dir, devnet);
  }

  @AfterAll
  static void stopAgent() {
    agent.close();
  }

  private static ContainerJob shell(String script) {
    return new ContainerJob(image, List.of("/bin/sh", "-c", script), Map.of(), new Resources(64, 0, 0, 0), 60, false);
  }

  private static KeyPair paired(Role role) {
    KeyPair key = KeyPair.generate(new SecureRandom());
    agent.store.aclPut(HexFormat.of().formatHex(key.publicKey()), role.wireName()).join();
    return key;
  }

  private static byte[] agentKey() {
    return agent.publicKey();
  }

  /** Waits until none of the key's events waits in the outbox. */
  private static void outboxEmptiesFor(KeyPair key) throws InterruptedException {
    outboxEmptiesFor(key, 30_000);
  }

  private static void outboxEmptiesFor(KeyPair key, long withinMs) throws InterruptedException {
    String owner = HexFormat.of().formatHex(key.publicKey());
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs);
    while (agent.store.pendingOutbox(1000).stream().anyMatch(o -> o.recipient().equals(owner))) {
      assertTrue(System.nanoTime() < deadline, "the key's events are still pending");
      Thread.sleep(50);
    }
  }

  /** A client of the key whose listeners add every event they are handed to {@code heard}. */
  private static NknAgentClient listening(KeyPair key, List<JobEvent> heard) {
    NknAgentClient client = agent.client(key, null);
    client.onEvent(heard::add);
    return client;
  }

  /** A raw peer of the key, its inbox of messages from the agent, and the answer to its waiting submit. */
  private record Waited(RawPeer peer, BlockingQueue<NknMessage> inbox, JobAccepted answer) {}

  private static Waited submitRawAndWait(KeyPair key, String requestId, String script) throws Exception {
    RawPeer raw = agent.raw(key);
    BlockingQueue<NknMessage> inbox = new LinkedBlockingQueue<>();
    raw.nkn.onMessage(inbox::add);
    JobAccepted answer = assertInstanceOf(JobAccepted.class, raw.send(agent.face.address(),
        raw.seal(new JobSubmit(requestId, shell(script)).waiting(15_000))));
    return new Waited(raw, inbox, answer);
  }

  private static void inOrderFromOne(List<JobEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1, events.get(i).seq(), "in order from 1, no gap, no duplicate: " + events);
    }
  }

  @Test
  void aSubmitThatWaitsIsAnsweredWithItsJobsEventsToTheEndAndTheirAckSettlesThem() throws Exception {
    KeyPair key = paired(Role.SUBMITTER);
    List<JobEvent> heard = new CopyOnWriteArrayList<>();
    NknAgentClient owner = listening(key, heard);

    JobAccepted answer = owner.submit(agent.face.address(), shell("echo waited-for"), Duration.ofSeconds(15)).join();

    assertEquals("succeeded", answer.state());
    inOrderFromOne(answer.events());
    assertEquals("SUCCEEDED", answer.events().get(answer.events().size() - 1).data().get("state"));
    assertTrue(answer.events().stream().anyMatch(e -> "log".equals(e.kind()) && e.data().toString().contains("waited-for")),
        answer.events().toString());
    assertEquals(answer.events(), heard, "the listeners had every carried event, once, before submit completed");
    // settled by the client's job.events acknowledgement, before delivery would have sent them again
    outboxEmptiesFor(key, ReplyHolds.ACK_WAIT_MS - 1_000);
    Thread.sleep(ReplyHolds.ACK_WAIT_MS + 1_000);
    assertEquals(answer.events().size(), heard.size(), "nothing was delivered again");
  }

  @Test
  void eventsAnAnswerCarriedAreDeliveredAgainWhenNoAcknowledgementComes() throws Exception {
    KeyPair key = paired(Role.OWNER);
    Waited waited = submitRawAndWait(key, "w1", "echo unacknowledged");
    RawPeer raw = waited.peer();
    BlockingQueue<NknMessage> inbox = waited.inbox();
    JobAccepted answer = waited.answer();

    assertEquals("succeeded", answer.state());
    assertNull(inbox.poll(ReplyHolds.ACK_WAIT_MS - 1_000, TimeUnit.MILLISECONDS), "delivered while the answer's ack could still come");

    List<JobEvent> again = new java.util.ArrayList<>();
    while (again.size() < answer.events().size()) {
      NknMessage m = inbox.poll(30, TimeUnit.SECONDS);
      assertTrue(m != null, "the carried events were not delivered again; got " + again);
      Payload p = raw.channel.open(m.source(), m.data()).payload();
      List<JobEvent> events = p instanceof JobEvents batch ? batch.events() : List.of(assertInstanceOf(JobEvent.class, p));
      again.addAll(events);
      m.reply(raw.channel.seal(agentKey(), new EventAcks(events.stream().map(e -> new EventAck(e.jobId(), e.seq())).toList())));
    }
    assertEquals(answer.events(), again.stream().sorted(java.util.Comparator.comparingLong(JobEvent::seq)).toList());
    outboxEmptiesFor(key);
  }

  @Test
  void aWaitShorterThanTheJobAnswersWithWhatThereIsAndTheRestFollowAsEvents() throws Exception {
    KeyPair key = paired(Role.SUBMITTER);
    List<JobEvent> heard = new CopyOnWriteArrayList<>();
    NknAgentClient owner = listening(key, heard);

    JobAccepted answer = owner.submit(agent.face.address(), shell("sleep 2; echo later"), Duration.ofMillis(300)).join();

    assertTrue(List.of("queued", "preparing", "running").contains(answer.state()), answer.toString());
    assertTrue(!answer.events().isEmpty() && answer.events().size() < 5, answer.events().toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (heard.stream().noneMatch(e -> "SUCCEEDED".equals(e.data().get("state")))) {
      assertTrue(System.nanoTime() < deadline, "no SUCCEEDED after the answer; heard " + heard);
      Thread.sleep(50);
    }
    inOrderFromOne(heard);
    assertEquals(answer.events(), heard.subList(0, answer.events().size()));
    outboxEmptiesFor(key);
  }

  @Test
  void acknowledgementsOfAnotherKeysEventsChangeNothingAndABatchSentToTheAgentIsRefused() throws Exception {
    Waited waited = submitRawAndWait(paired(Role.OWNER), "w2", "echo not-yours");
    RawPeer owner = waited.peer();
    JobAccepted answer = waited.answer();
    RawPeer other = agent.raw(paired(Role.OWNER));
    List<EventAck> acks = answer.events().stream().map(e -> new EventAck(e.jobId(), e.seq())).toList();

    other.nkn.sendNoReply(agent.face.address(), other.seal(new EventAcks(acks))).join();
    Payload refused = other.send(agent.face.address(), other.seal(new JobEvents(answer.events())));

    assertEquals(ErrorCode.UNSUPPORTED_TYPE, assertInstanceOf(ErrorReply.class, refused).code());
    NknMessage again = waited.inbox().poll(30, TimeUnit.SECONDS);
    assertTrue(again != null, "another key's acks settled the owner's events");
    again.reply(owner.channel.seal(agentKey(), new EventAcks(List.of()))); // not now: they come once more
  }

  @Test
  void cliSubmitWithWaitPrintsTheEndedJobAndItsEventsFromTheAnswer(@TempDir Path home) throws Exception {
    List<String> common = List.of("--identity", home.resolve("identity").toString(), "--rpc", devnet.seedRpcAddress());
    String paired = Cli.run(common, "pair", agent.face.newPairing(Role.SUBMITTER, Duration.ofMinutes(5)).toString());

    String out = Cli.run(common, "submit", "--image", image, "--memory", "64", "--wait", "15", "--watch",
        "--", "/bin/sh", "-c", "echo cli-waited");

    assertTrue(paired.contains("as submitter"), paired);
    List<String> lines = out.lines().toList();
    assertTrue(lines.get(0).endsWith("  succeeded"), "the first line has the state the answer carried: " + out);
    assertTrue(out.contains("cli-waited") && lines.get(lines.size() - 1).contains("SUCCEEDED"), out);
  }

  @Test
  void aCarriedSubmitIsAnsweredAtOnceWithoutEventsTheyGoThroughTheCarrier() throws Exception {
    KeyPair phone = paired(Role.SUBMITTER);
    RawPeer carrier = agent.raw(paired(Role.CARRIER));
    SecureChannel phoneChannel = new SecureChannel(phone, new InMemoryReplayCache());
    byte[] fromPhone = phoneChannel.seal(agentKey(), new JobSubmit("w3", shell("sleep 1")).waiting(15_000));

    NknReply reply = carrier.nkn.sendAndWait(agent.face.address(), fromPhone);

    JobAccepted answer;
    try {
      answer = assertInstanceOf(JobAccepted.class, phoneChannel.open(reply.source(), reply.data()).payload());
    } catch (ProtocolException e) {
      throw new AssertionError(e);
    }
    assertEquals("queued", answer.state(), "answered once stored, not after the job");
    assertTrue(answer.events().isEmpty(), "a carrier stores the phone's events; the answer carries none");
  }
}
