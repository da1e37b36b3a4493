package tech.infernet.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.Json;
import tech.infernet.agent.runner.InferenceConfig;
import tech.infernet.agent.runner.InferenceRunner;
import tech.infernet.agent.runner.LlamaServer;
import tech.infernet.agent.store.StoredResult;
import tech.infernet.client.NknAgentClient;
import tech.infernet.nkn.devnet.NknDevnet;
import tech.infernet.nkn.devnet.NknDevnetExtension;
import tech.infernet.protocol.KeyPair;
import tech.infernet.protocol.message.JobAccepted;
import tech.infernet.protocol.message.JobEvent;
import tech.infernet.protocol.message.PairingUri;
import tech.infernet.protocol.message.Role;
import tech.infernet.protocol.spec.InferenceJob;
import tech.infernet.protocol.spec.Resources;

/**
 * Inference over NKN, end to end: a real OpenAI-compatible server (llama-cpp-python with
 * SmolLM2-135M), a real agent on the real local NKN network, and a real client (the library and
 * the {@code infernet} CLI) that submits a streamed chat completion and gets its tokens back as
 * they are generated. Skipped, with the install command, where that server is not installed
 * (before the devnet starts).
 */
@ExtendWith({InferenceOnNknIT.NeedsLlamaServer.class, NknDevnetExtension.class})
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InferenceOnNknIT {
  private static final String BODY = "{\"model\":\"" + LlamaServer.MODEL + "\",\"messages\":[{\"role\":\"user\","
      + "\"content\":\"Name three colours.\"}],\"max_tokens\":24,\"temperature\":0,\"stream\":true}";
  /** The same request naming no model: the agent asks the backend's first (its only) model. */
  private static final String BODY_WITHOUT_MODEL = BODY.replace("\"model\":\"" + LlamaServer.MODEL + "\",", "");
  private static final int ROUNDS = 3;
  private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT", "REJECTED");

  @TempDir static Path dir;
  private static LlamaServer server;
  private static NknDevnet devnet;
  private static TestAgent agent;

  /** Skips the class where the inference server is not installed, before the devnet starts. */
  static final class NeedsLlamaServer implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      Assumptions.assumeTrue(LlamaServer.venv().isPresent(),
          "llama-cpp-python server with SmolLM2-135M not installed; install it with "
              + LlamaServer.INSTALL + " (compiles llama.cpp: about 12 CPU-minutes)");
    }
  }

  @BeforeAll
  static void start(NknDevnet net) throws Exception {
    devnet = net;
    Path serverDir = Files.createDirectories(dir.resolve("llama"));
    server = LlamaServer.start(LlamaServer.venv().get(), serverDir);
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    agent = new TestAgent(dir.resolve("agent"), devnet, seed, List.of(),
        new InferenceRunner(InferenceConfig.of(server.baseUrl())));
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static NknAgentClient owner() {
    return agent.client(KeyPair.generate(new SecureRandom()), Role.OWNER);
  }

  /** The assembled answer the agent stored as the job's result: the chat completion's content. */
  @SuppressWarnings("unchecked")
  private static String storedContent(String jobId) throws Exception {
    StoredResult stored = agent.store.result(new JobId(jobId)).orElseThrow();
    byte[] r = stored.inline() != null ? stored.inline() : Files.readAllBytes(Path.of(stored.path()));
    Map<String, Object> tree = (Map<String, Object>) Json.parse(new String(r, StandardCharsets.UTF_8), 64);
    assertEquals("chat.completion", tree.get("object"), tree.toString());
    Map<String, Object> choice = ((List<Map<String, Object>>) tree.get("choices")).get(0);
    return (String) ((Map<String, Object>) choice.get("message")).get("content");
  }

  /** One event as the client got it, with when (System.nanoTime and wall-clock ms). */
  private record Arrival(JobEvent event, long nanos, long wallMs) {}

  private static boolean terminal(JobEvent e) {
    return "state".equals(e.kind()) && TERMINAL.contains(String.valueOf(e.data().get("state")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aStreamedChatCompletionSubmittedOverNknStreamsItsTokensBackBeforeTheJobEnds() throws Exception {
    NknAgentClient owner = owner();
    List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    owner.onEvent(e -> arrivals.add(new Arrival(e, System.nanoTime(), System.currentTimeMillis())));
    Map<String, Object> request = (Map<String, Object>) Json.parse(BODY, 16);

    for (int round = 1; round <= ROUNDS; round++) {
      long submitted = System.nanoTime();
      JobAccepted accepted = owner.submit(agent.face.address(),
          new InferenceJob("chat/completions", request, Resources.DEFAULT, 120)).join();
      String jobId = accepted.jobId();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
      while (arrivals.stream().noneMatch(a -> a.event().jobId().equals(jobId) && terminal(a.event()))) {
        assertTrue(System.nanoTime() < deadline, "no terminal event over NKN; got " + arrivals);
        Thread.sleep(20);
      }
      List<Arrival> mine = arrivals.stream().filter(a -> a.event().jobId().equals(jobId)).toList();
      List<JobEvent> events = mine.stream().map(Arrival::event).toList();
      for (int i = 0; i < events.size(); i++) {
        assertEquals(i + 1, events.get(i).seq(), "events in seq order, no gap, no duplicate: " + events);
      }
      Arrival end = mine.get(mine.size() - 1);
      assertEquals("SUCCEEDED", end.event().data().get("state"), "the last event: " + events);
      List<Arrival> tokens = mine.stream().filter(a -> a.event().kind().equals("token")).toList();
      assertTrue(tokens.size() >= 2, "several token events, not one block: " + events);
      assertTrue(tokens.get(tokens.size() - 1).event().seq() < end.event().seq(), "tokens before the terminal event");

      StringBuilder text = new StringBuilder();
      tokens.forEach(a -> text.append(a.event().data().get("text")));
      String content = storedContent(jobId);
      assertFalse(content.isBlank(), "an answer");
      assertEquals(content, text.toString(), "the token events over NKN add up to the stored answer");

      Arrival first = tokens.get(0);
      long agentStart = events.get(0).timestampMs();
      long agentEnd = end.event().timestampMs();
      assertTrue(first.wallMs() <= agentEnd, "the first token reached the client (at " + first.wallMs()
          + ") before the agent ended the job (at " + agentEnd + "): it streamed");
      List<Long> delivery = new ArrayList<>();
      mine.forEach(a -> delivery.add(a.wallMs() - a.event().timestampMs()));
      delivery.sort(null);
      System.out.printf("inference over NKN, round %d: %d events, %d token events, %d chars; client: first token "
              + "%d ms after submit, SUCCEEDED %d ms after submit; agent: first token %d ms, SUCCEEDED %d ms after "
              + "the job was stored; agent-to-client delivery per event p50 %d ms, max %d ms%n",
          round, events.size(), tokens.size(), content.length(),
          TimeUnit.NANOSECONDS.toMillis(first.nanos() - submitted), TimeUnit.NANOSECONDS.toMillis(end.nanos() - submitted),
          first.event().timestampMs() - agentStart, agentEnd - agentStart,
          delivery.get(delivery.size() / 2), delivery.get(delivery.size() - 1));
      System.out.println("inference over NKN, round " + round + " answer: " + content.replace("\n", "\\n"));
    }
  }

  @Test
  void theCliSubmitsAStreamedChatCompletionAndPrintsTheTextAsItStreams(@TempDir Path home) throws Exception {
    PairingUri code = agent.face.newPairing(Role.SUBMITTER, Duration.ofMinutes(5));
    List<String> common = List.of("--identity", home.resolve("identity").toString(), "--rpc", devnet.seedRpcAddress());

    String paired = Cli.run(common, "pair", code.toString());
    String watched = Cli.run(common, "submit", "--inference", "chat/completions", "--body", BODY_WITHOUT_MODEL, "--timeout", "120",
        "--watch");

    assertTrue(paired.contains("as submitter"), paired);
    List<String> lines = watched.lines().toList();
    String jobId = lines.get(0).split(" ")[0];
    String content = storedContent(jobId);
    assertTrue(watched.contains(content), "the generated text, printed inline as it came:\n" + watched);
    assertTrue(watched.contains(content + (content.endsWith("\n") ? "" : "\n") + jobId + " #"),
        "a newline after the text, before the next event's line:\n" + watched);
    assertTrue(lines.stream().noneMatch(l -> l.contains(" token {")), "no token event printed as a line:\n" + watched);
    assertTrue(lines.get(lines.size() - 1).startsWith(jobId + " #") && lines.get(lines.size() - 1).contains("SUCCEEDED"),
        "ends with SUCCEEDED:\n" + watched);
    System.out.println("infernet submit --inference chat/completions --watch printed:\n" + watched);
  }

}
