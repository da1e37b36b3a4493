package tech.infernet.agent.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
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
import tech.infernet.agent.runner.TestImage;
import tech.infernet.client.AgentException;
import tech.infernet.client.NknAgentClient;
import tech.infernet.client.ResultFile;
import tech.infernet.client.SecureChannel;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;
import tech.infernet.protocol.ErrorCode;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.message.ErrorReply;
import tech.infernet.protocol.message.JobEvent;
import tech.infernet.protocol.message.JobResult;
import tech.infernet.protocol.message.Payload;
import tech.infernet.protocol.message.Role;
import tech.infernet.protocol.message.TransferDone;
import tech.infernet.protocol.message.TransferOpen;
import tech.infernet.protocol.message.TransferReady;
import tech.infernet.protocol.spec.ContainerJob;
import tech.infernet.protocol.spec.Resources;
import tech.infernet.protocol.transfer.ChunkFrames;
import tech.infernet.protocol.transfer.Manifest;
import tech.infernet.protocol.transfer.Ranges;
import tech.infernet.protocol.transfer.SessionFrames;

/**
 * Large results and job specs over NKN sessions (docs/protocol.md, section 9) between a real
 * agent (store, engine, Podman) and real clients on the local nknd: chunked, each chunk and the
 * whole checked by SHA-256, resumable, and the session's first frame checked like any request.
 */
@ExtendWith(NknDevnetExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TransfersOnNknIT {
  private static final int RESULT_KIB = 3 * 1024;
  @TempDir static Path dir;
  private static String image;
  private static NknDevnet devnet;
  private static TestAgent agent;
  private static KeyPair ownerKey;
  private static NknAgentClient owner;
  private static String bigJob;

  @BeforeAll
  static void startAgent(NknDevnet net) throws Exception {
    devnet = net;
    image = TestImage.ensure();
    agent = TestAgent.fresh(dir, devnet);
    ownerKey = newKey();
    owner = client(ownerKey, Role.OWNER);
    bigJob = runToTheEnd(owner, new ContainerJob(image, List.of("/bin/sh", "-c",
        "dd if=/dev/urandom of=/work/result bs=1024 count=" + RESULT_KIB + " 2>/dev/null"), Map.of(),
        new Resources(64, 0, 0, 0), 60, false));
  }

  @AfterAll
  static void stopAgent() throws Exception {
    agent.close();
  }

  @Test
  void aLargeResultComesInVerifiedChunksOverASession(@TempDir Path out) throws Exception {
    JobResult described = owner.request(address(), id -> new tech.infernet.protocol.message.JobResultGet(id, bigJob),
        JobResult.class).join();
    assertNotNull(described.manifest(), "a 3 MiB result is described by a manifest, not inlined");
    assertEquals(12, described.manifest().chunkCount());

    ResultFile fetched = owner.fetchResult(address(), bigJob, out.resolve("result.bin")).join();

    assertEquals(RESULT_KIB * 1024L, Files.size(fetched.path()));
    assertEquals(sha256(Files.readAllBytes(fetched.path())), fetched.sha256());
    assertEquals(described.sha256(), fetched.sha256());
    assertEquals(12, fetched.chunksFetched());
    assertFalse(Files.exists(out.resolve("result.bin.part")));
  }

  @Test
  void anInterruptedFetchResumesWithOnlyTheChunksItLacks(@TempDir Path out) throws Exception {
    Path whole = owner.fetchResult(address(), bigJob, out.resolve("first.bin")).join().path();
    byte[] bytes = Files.readAllBytes(whole);
    // What an interrupted fetch leaves: chunks 0-4 written, chunk 5 torn by the interruption.
    int chunk = Manifest.DEFAULT_CHUNK_BYTES;
    byte[] partial = java.util.Arrays.copyOf(bytes, 6 * chunk);
    partial[5 * chunk + 17] ^= 0x40;
    Files.write(out.resolve("again.bin.part"), partial);

    ResultFile resumed = owner.fetchResult(address(), bigJob, out.resolve("again.bin")).join();

    assertEquals(7, resumed.chunksFetched(), "chunks 5-11 sent again, 0-4 kept");
    assertArrayEquals(bytes, Files.readAllBytes(resumed.path()));
  }

  @Test
  void aSmallResultComesInlineInTheReply(@TempDir Path out) throws Exception {
    String job = runToTheEnd(owner, container("printf inline-result > /work/result"));

    ResultFile fetched = owner.fetchResult(address(), job, out.resolve("small.txt")).join();

    assertEquals("inline-result", Files.readString(fetched.path()));
    assertEquals(0, fetched.chunksFetched());
  }

  @Test
  void aSpecTooLargeForAnEnvelopeIsPutThroughASessionAndSubmittedByItsHash() throws Exception {
    KeyPair key = newKey();
    NknAgentClient submitter = client(key, Role.SUBMITTER);
    List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "printf %s \"$*\" | wc -c", "count"));
    for (int i = 0; i < 14; i++) {
      command.add(String.valueOf((char) ('a' + i)).repeat(8000));
    }
    ContainerJob big = new ContainerJob(image, command, Map.of(), new Resources(64, 0, 0, 0), 60, false);
    assertTrue(tech.infernet.protocol.spec.JobSpecs.toJson(big).length() > Manifest.INLINE_MAX);
    List<JobEvent> events = new CopyOnWriteArrayList<>();
    submitter.onEvent(events::add);

    String job = submitter.submit(address(), big).join().jobId();
    awaitEnd(events, job);

    // 14 arguments of 8000 characters joined by 13 spaces reached the container intact.
    assertTrue(events.stream().anyMatch(e -> e.jobId().equals(job) && e.kind().equals("log")
        && e.data().toString().contains("112013")), events.toString());
    assertEquals("succeeded", submitter.get(address(), job).join().job().state());
    try (var left = Files.list(dir.resolve("uploads").resolve(hex(key.publicKey())))) {
      assertEquals(0, left.count(), "the submit consumed the upload");
    }
  }

  @Test
  void aChunkThatDoesNotMatchItsHashIsRefusedAndAResumeSendsItAgain() throws Exception {
    KeyPair key = newKey();
    client(key, Role.SUBMITTER);
    RawPeer raw = agent.raw(key);
    byte[] spec = tech.infernet.protocol.spec.JobSpecs.toJson(container("echo resumed")).getBytes();
    byte[] content = java.util.Arrays.copyOf(spec, 3000);
    java.util.Arrays.fill(content, spec.length, content.length, (byte) ' '); // JSON ignores trailing blanks
    Manifest manifest = Manifest.of(content, Manifest.MIN_CHUNK_BYTES);
    TransferOpen put = TransferOpen.put("put-1", manifest);

    List<Payload> first = raw.exchange(put, out -> {
      out.write(ChunkFrames.encode(0, java.util.Arrays.copyOfRange(content, 0, 1024)));
      byte[] bad = java.util.Arrays.copyOfRange(content, 1024, 2048);
      bad[3] ^= 1;
      out.write(ChunkFrames.encode(1, bad));
    });
    assertEquals(Ranges.NONE, assertInstanceOf(TransferReady.class, first.get(0)).have());
    assertEquals(ErrorCode.CHUNK_MISMATCH, assertInstanceOf(ErrorReply.class, first.get(1)).code());

    List<Payload> second = raw.exchange(TransferOpen.put("put-2", manifest), out -> {
      out.write(ChunkFrames.encode(1, java.util.Arrays.copyOfRange(content, 1024, 2048)));
      out.write(ChunkFrames.encode(2, java.util.Arrays.copyOfRange(content, 2048, 3000)));
    });
    assertEquals(new Ranges(List.of(new Ranges.Range(0, 0))), assertInstanceOf(TransferReady.class, second.get(0)).have(),
        "the agent kept the good chunk 0 and asks for the rest");
    assertEquals(manifest.sha256(), assertInstanceOf(TransferDone.class, second.get(1)).sha256());

    List<Payload> third = raw.exchange(TransferOpen.put("put-3", manifest), out -> { });
    assertEquals(new Ranges(List.of(new Ranges.Range(0, 2))), assertInstanceOf(TransferReady.class, third.get(0)).have(),
        "content held complete is not asked for again");
    assertEquals(manifest.sha256(), assertInstanceOf(TransferDone.class, third.get(1)).sha256());
  }

  @Test
  void transfersAreForPairedSubmittersOfTheirOwnJobsOnly() throws Exception {
    RawPeer stranger = agent.raw(newKey());
    KeyPair viewerKey = newKey();
    client(viewerKey, Role.VIEWER);
    KeyPair otherKey = newKey();
    client(otherKey, Role.SUBMITTER);
    String sha = owner.request(address(), id -> new tech.infernet.protocol.message.JobResultGet(id, bigJob),
        JobResult.class).join().sha256();

    assertEquals(ErrorCode.UNAUTHORIZED, refusedCode(stranger.exchange(TransferOpen.get("g1", bigJob, sha, null), o -> { })));
    assertEquals(ErrorCode.FORBIDDEN,
        refusedCode(agent.raw(viewerKey).exchange(TransferOpen.get("g2", bigJob, sha, null), o -> { })));
    assertEquals(ErrorCode.NOT_FOUND,
        refusedCode(agent.raw(otherKey).exchange(TransferOpen.get("g3", bigJob, sha, null), o -> { })));
    CompletionException viaMessage = assertThrows(CompletionException.class,
        () -> client(otherKey, Role.SUBMITTER).fetchResult(address(), bigJob, dir.resolve("nope")).join());
    assertEquals(ErrorCode.NOT_FOUND, assertInstanceOf(AgentException.class, viaMessage.getCause()).code());
  }

  @Test
  void aTransferOpenSentAgainVerbatimIsRefusedAsAReplay() throws Exception {
    RawPeer raw = agent.raw(ownerKey);
    byte[] sealed = raw.channel.seal(agentKey(), TransferOpen.get("once", bigJob, "00".repeat(32), null));

    assertEquals(ErrorCode.NOT_FOUND, refusedCode(raw.exchangeRaw(sealed, o -> { })), "first time: opened, no such result");
    assertEquals(ErrorCode.REPLAYED, refusedCode(raw.exchangeRaw(sealed, o -> { })));
  }

  @Test
  void malformedOversizedAndTamperedFirstFramesGetAnErrorAndTheAgentServesOn() throws Exception {
    RawPeer raw = agent.raw(ownerKey);
    byte[] sealed = raw.channel.seal(agentKey(), TransferOpen.get("tampered", bigJob, "00".repeat(32), null));
    sealed[sealed.length / 2] ^= 1;

    assertEquals(ErrorCode.OVERSIZE, refusedCode(raw.session(out -> out.write(new byte[] {0x7f, -1, -1, -1, 1, 2}))));
    assertEquals(ErrorCode.MALFORMED, refusedCode(raw.session(out -> SessionFrames.writeEnvelope(out, new byte[] {1, 2, 3}))));
    assertEquals(ErrorCode.BAD_SIGNATURE, refusedCode(raw.exchangeRaw(sealed, o -> { })));
    assertEquals(ErrorCode.UNSUPPORTED_TYPE, refusedCode(raw.exchangeRaw(
        raw.channel.seal(agentKey(), new tech.infernet.protocol.message.AgentInfoRequest("not-a-transfer")), o -> { })));
    assertFalse(owner.info(address()).join().runners().isEmpty(), "the agent still answers");
  }

  @Test
  void theCliPrintsASmallResultAndWritesALargeOneToAFile(@TempDir Path home) throws Exception {
    tech.infernet.protocol.message.PairingUri code = agent.face.newPairing(Role.SUBMITTER, Duration.ofMinutes(5));
    List<String> common = List.of("--identity", home.resolve("identity").toString(), "--rpc", devnet.seedRpcAddress());
    Cli.run(common, "pair", code.toString());
    String submitted = Cli.run(common, "submit", "--image", image, "--memory", "64", "--timeout", "60", "--watch", "--",
        "/bin/sh", "-c", "printf 'the answer is 42' > /work/result");
    String job = submitted.lines().findFirst().orElseThrow().split(" ")[0];

    assertEquals("the answer is 42", Cli.run(common, "result", job));
    String big = Cli.run(common, "submit", "--image", image, "--memory", "64", "--timeout", "60", "--watch", "--",
        "/bin/sh", "-c", "dd if=/dev/zero of=/work/result bs=1024 count=300 2>/dev/null");
    String bigJobId = big.lines().findFirst().orElseThrow().split(" ")[0];
    String written = Cli.run(common, "result", bigJobId, "-o", home.resolve("big.bin").toString());
    assertTrue(written.contains("307200 bytes"), written);
    assertArrayEquals(new byte[307200], Files.readAllBytes(home.resolve("big.bin")));
  }

  @Test
  void aSessionThatNeverOpensItsTransferIsDroppedAndAKeyMayHoldOnlyTwo() throws Exception {
    RawPeer idle = agent.raw(newKey());
    List<tech.infernet.nkn.NknSession> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tech.infernet.nkn.NknSession s = idle.nkn.dial(address(), Duration.ofSeconds(30));
      s.setIoTimeout(Duration.ofSeconds(20));
      held.add(s);
    }
    long t0 = System.nanoTime();
    // The third is over the per-key limit: closed at once. The first two, silent, go after the first-frame timeout.
    assertEquals(-1, held.get(2).getInputStream().read(), "a third session of one key is closed");
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(4), "at once, not after the timeout");
    for (int i = 0; i < 2; i++) {
      assertEquals(-1, held.get(i).getInputStream().read(), "an idle session is closed by the agent");
    }
    long waited = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(waited < Transfers.FIRST_FRAME_TIMEOUT.toMillis() + 5_000, "dropped after about 5 s, took " + waited + " ms");
    held.forEach(tech.infernet.nkn.NknSession::close);
    assertEquals(ErrorCode.NOT_FOUND, refusedCode(agent.raw(ownerKey).exchange(
        TransferOpen.get("after-idle", bigJob, "00".repeat(32), null), o -> { })), "transfers are served again");
  }

  private static ErrorCode refusedCode(List<Payload> answers) {
    assertEquals(1, answers.size(), answers.toString());
    return assertInstanceOf(ErrorReply.class, answers.get(0)).code();
  }

  private static ContainerJob container(String script) {
    return new ContainerJob(image, List.of("/bin/sh", "-c", script), Map.of(), new Resources(64, 0, 0, 0), 60, false);
  }

  /** Submits, waits for the job's terminal event, and returns its id. */
  private static String runToTheEnd(NknAgentClient client, ContainerJob spec) throws Exception {
    List<JobEvent> events = new CopyOnWriteArrayList<>();
    client.onEvent(events::add);
    String job = client.submit(address(), spec).join().jobId();
    awaitEnd(events, job);
    assertEquals("succeeded", client.get(address(), job).join().job().state());
    return job;
  }

  private static void awaitEnd(List<JobEvent> events, String job) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (events.stream().noneMatch(e -> e.jobId().equals(job) && "state".equals(e.kind())
        && List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT").contains(String.valueOf(e.data().get("state"))))) {
      assertTrue(System.nanoTime() < deadline, "job " + job + " did not end: " + events);
      Thread.sleep(100);
    }
  }

  private static NknAgentClient client(KeyPair key, Role role) {
    return agent.client(key, role);
  }

  private static String address() {
    return agent.face.address();
  }

  private static byte[] agentKey() {
    return HexFormat.of().parseHex(SecureChannel.publicKeyOf(address()));
  }

  private static KeyPair newKey() {
    return KeyPair.generate(new SecureRandom());
  }

  private static String hex(byte[] key) {
    return HexFormat.of().formatHex(key);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

}
