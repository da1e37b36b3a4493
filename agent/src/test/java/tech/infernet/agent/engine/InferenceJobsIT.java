package tech.infernet.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobState;
import tech.infernet.agent.jobs.Json;
import tech.infernet.agent.jobs.RunnerKind;
import tech.infernet.agent.runner.InferenceConfig;
import tech.infernet.agent.runner.InferenceRunner;
import tech.infernet.agent.runner.LlamaServer;
import tech.infernet.agent.store.JobEvent;
import tech.infernet.agent.store.Store;

/**
 * Inference jobs against a real OpenAI-compatible server (llama-cpp-python with SmolLM2-135M).
 * Skipped, with the install command, where that server is not installed.
 */
class InferenceJobsIT {
  private static LlamaServer server;
  private static Path serverDir;
  @TempDir Path dir;
  private Store store;
  private JobEngine engine;
  private InferenceRunner runner;

  @BeforeAll
  static void startServer() throws Exception {
    Assumptions.assumeTrue(LlamaServer.venv().isPresent(),
        "llama-cpp-python server with SmolLM2-135M not installed; install it with "
            + LlamaServer.INSTALL + " (compiles llama.cpp: about 12 CPU-minutes)");
    serverDir = Files.createTempDirectory("infernet-llama");
    server = LlamaServer.start(LlamaServer.venv().get(), serverDir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    store = Store.open(dir.resolve("agent.db"), 2);
    runner = new InferenceRunner(InferenceConfig.of(server.baseUrl()));
    engine = Fixtures.engine(store, dir, 2, Map.of(RunnerKind.INFERENCE, runner), List.of());
    engine.start();
  }

  @AfterEach
  void stop() {
    engine.close();
    store.close();
  }

  private static String spec(String endpoint, String body, int timeoutSeconds) {
    return "{\"kind\":\"inference\",\"limits\":{\"timeoutSeconds\":" + timeoutSeconds + "},"
        + "\"inference\":{\"endpoint\":\"" + endpoint + "\",\"body\":" + body + "}}";
  }

  private List<JobEvent> events(Job j, String type) {
    return store.events(j.id(), 0, 10_000).stream().filter(e -> e.type().equals(type)).toList();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> result(Job j) throws Exception {
    var stored = store.result(j.id()).orElseThrow();
    byte[] r = stored.inline() != null ? stored.inline() : Files.readAllBytes(Path.of(stored.path()));
    return (Map<String, Object>) Json.parse(new String(r, StandardCharsets.UTF_8), 64);
  }

  @SuppressWarnings("unchecked")
  private static String tokenText(List<JobEvent> tokens) throws Exception {
    StringBuilder b = new StringBuilder();
    for (JobEvent e : tokens) {
      b.append(((Map<String, Object>) Json.parse(e.payload(), 8)).get("text"));
    }
    return b.toString();
  }

  @Test
  void theBackendIsHealthyAndListsItsModel() throws Exception {
    assertNull(runner.unavailableReason());
    assertEquals(List.of(LlamaServer.MODEL), runner.models());
    String down = new InferenceRunner(InferenceConfig.of("http://127.0.0.1:1/v1")).unavailableReason();
    assertNotNull(down);
    assertTrue(down.contains("not healthy"), down);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aChatCompletionStreamsTokenEventsAndStoresTheAssembledAnswer() throws Exception {
    Job j = engine.submit("alice", spec("chat/completions", "{\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Name three colours.\"}],\"max_tokens\":16,\"temperature\":0}", 120)).join();
    Job done = Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(150));
    assertEquals(JobState.SUCCEEDED, done.state(), done.reason() + " " + events(done, "log"));
    List<JobEvent> tokens = events(done, "token");
    assertFalse(tokens.isEmpty(), "token events");
    Map<String, Object> r = result(done);
    assertEquals("chat.completion", r.get("object"));
    Map<String, Object> choice = ((List<Map<String, Object>>) r.get("choices")).get(0);
    String content = (String) ((Map<String, Object>) choice.get("message")).get("content");
    assertFalse(content.isBlank());
    assertEquals(content, tokenText(tokens), "the token events add up to the answer");
    assertNotNull(choice.get("finish_reason"));
    assertTrue(events(done, "progress").get(0).payload().contains(LlamaServer.MODEL), "health and models in PREPARING");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aNonStreamedCompletionStoresTheBackendsAnswer() throws Exception {
    Job j = engine.submit("alice", spec("completions", "{\"model\":\"" + LlamaServer.MODEL
        + "\",\"prompt\":\"The sky is\",\"max_tokens\":8,\"temperature\":0,\"stream\":false}", 120)).join();
    Job done = Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(150));
    assertEquals(JobState.SUCCEEDED, done.state(), done.reason() + " " + events(done, "log"));
    Map<String, Object> r = result(done);
    assertEquals("text_completion", r.get("object"));
    String text = (String) ((List<Map<String, Object>>) r.get("choices")).get(0).get("text");
    assertEquals(text, tokenText(events(done, "token")));
    assertEquals(8L, ((Map<String, Object>) r.get("usage")).get("completion_tokens"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void embeddingsComeBackAsTheResult() throws Exception {
    Job j = engine.submit("alice", spec("embeddings", "{\"input\":\"hello\"}", 120)).join();
    Job done = Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(150));
    assertEquals(JobState.SUCCEEDED, done.state(), done.reason() + " " + events(done, "log"));
    List<Object> data = (List<Object>) result(done).get("data");
    assertFalse(((List<Object>) ((Map<String, Object>) data.get(0)).get("embedding")).isEmpty());
    assertTrue(events(done, "token").isEmpty());
  }

  @Test
  void aModelTheBackendDoesNotServeFailsInPreparing() throws Exception {
    Job j = engine.submit("alice", spec("chat/completions",
        "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 60)).join();
    Job done = Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(60));
    assertEquals(JobState.FAILED, done.state());
    assertTrue(done.reason().contains("not served by the backend"), done.reason());
  }

  @Test
  void cancellingAStreamingJobAbortsTheRequestAndTheBackendStaysUsable() throws Exception {
    Job j = engine.submit("alice", spec("completions", "{\"prompt\":\"Once upon a time\","
        + "\"max_tokens\":900,\"temperature\":0.8}", 120)).join();
    long end = System.currentTimeMillis() + 120_000;
    while (events(j, "token").isEmpty()) {
      assertTrue(System.currentTimeMillis() < end, "no token within 120 s");
      Job now = store.job(j.id()).orElseThrow();
      assertFalse(now.state().isTerminal(), "ended before its first token: " + now.state() + " " + now.reason());
      Thread.sleep(50);
    }
    assertEquals(JobState.CANCELLED, engine.cancel(j.id()).join().state());
    Thread.sleep(500);
    assertEquals(JobState.CANCELLED, store.job(j.id()).orElseThrow().state());
    int tokensAtCancel = events(j, "token").size();
    Job next = engine.submit("alice", spec("completions",
        "{\"prompt\":\"Hi\",\"max_tokens\":4,\"temperature\":0}", 120)).join();
    Job done = Fixtures.awaitTerminal(store, next.id(), Duration.ofSeconds(120));
    assertEquals(JobState.SUCCEEDED, done.state(), done.reason());
    assertEquals(tokensAtCancel, events(j, "token").size(), "no tokens after the cancel");
  }

  @Test
  void aGenerationPastItsTimeoutEndsTimedOut() throws Exception {
    Job j = engine.submit("alice", spec("completions", "{\"prompt\":\"Once upon a time\","
        + "\"max_tokens\":900,\"temperature\":0.8}", 2)).join();
    Job done = Fixtures.awaitTerminal(store, j.id(), Duration.ofSeconds(60));
    assertEquals(JobState.TIMED_OUT, done.state());
    Thread.sleep(500);
    assertEquals(JobState.TIMED_OUT, store.job(j.id()).orElseThrow().state(), "no later state");
  }
}
