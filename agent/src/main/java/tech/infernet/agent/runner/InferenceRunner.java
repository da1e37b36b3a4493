package tech.infernet.agent.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import tech.infernet.agent.jobs.Job;
import tech.infernet.agent.jobs.JobId;
import tech.infernet.agent.jobs.Json;
import tech.infernet.agent.jobs.RunnerKind;
import tech.infernet.agent.jobs.SpecException;

/**
 * Forwards OpenAI-compatible requests (chat/completions, completions, embeddings) to a local
 * inference server (llama.cpp server, llama-cpp-python, ollama, vLLM).
 *
 * <p>PREPARING checks the backend's health by listing its models, and fills in or checks the
 * request's {@code model}. RUNNING sends the request. Chat and text completions are streamed from
 * the backend unless the body says {@code "stream": false}: the Server-Sent Events stream is
 * parsed and generated text goes out as {@code token} events (gathered for at most
 * {@link InferenceConfig#tokenFlushMillis()}), and the job's result is the non-streamed response
 * assembled from the chunks (id, model, each choice's text and finish reason, usage when sent).
 * Other requests store the backend's JSON answer as the result. The "exit code" of an inference
 * job is 0 on success and the HTTP status when the backend refused the request (its error body is
 * logged). Cancel and timeout abort the HTTP exchange. A request does not survive an agent
 * restart: recovery reports it lost.
 */
public final class InferenceRunner implements Runner {
  private static final Logger LOG = Logger.getLogger(InferenceRunner.class.getName());
  /** Exit code of an exchange aborted by cancel or timeout (like a process killed by SIGINT). */
  static final int ABORTED = 130;
  private static final int MAX_DEPTH = 64;
  private final InferenceConfig cfg;
  private final HttpClient http;
  private final Map<JobId, Prepared> prepared = new ConcurrentHashMap<>();
  private final Map<JobId, Call> calls = new ConcurrentHashMap<>();

  private record Prepared(Path workDir, String endpoint, Map<String, Object> body, boolean stream) {}

  /** One in-flight exchange; {@link #abort()} may come from any thread. */
  private static final class Call {
    private volatile boolean aborted;
    private volatile CompletableFuture<HttpResponse<InputStream>> response;
    private volatile InputStream body;

    void abort() {
      aborted = true;
      CompletableFuture<HttpResponse<InputStream>> r = response;
      if (r != null) {
        r.cancel(true);
      }
      InputStream in = body;
      if (in != null) {
        try {
          in.close();
        } catch (IOException ignored) {
          // aborting
        }
      }
    }
  }

  public InferenceRunner(InferenceConfig cfg) {
    this.cfg = cfg;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(cfg.connectTimeout()).build();
  }

  @Override
  public RunnerKind kind() {
    return RunnerKind.INFERENCE;
  }

  public InferenceConfig config() {
    return cfg;
  }

  /** Health check: null when the backend lists its models, else why not. */
  @Override
  public String unavailableReason() {
    try {
      models();
      return null;
    } catch (IOException | RunnerException e) {
      return "inference backend " + cfg.baseUrl() + " is not healthy: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The ids of the models the backend serves ({@code GET <base>/models}). */
  public List<String> models() throws IOException, InterruptedException, RunnerException {
    HttpRequest.Builder b = HttpRequest.newBuilder(cfg.resolve("models")).timeout(cfg.healthTimeout()).GET();
    auth(b);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new RunnerException("GET /models answered HTTP " + r.statusCode() + ": " + clip(r.body()));
    }
    List<String> ids = new ArrayList<>();
    Object tree = parse(r.body(), "the models list");
    if (tree instanceof Map<?, ?> m && m.get("data") instanceof List<?> data) {
      for (Object o : data) {
        if (o instanceof Map<?, ?> model && model.get("id") instanceof String id) {
          ids.add(id);
        }
      }
    } else {
      throw new RunnerException("GET /models answered without a data list: " + clip(r.body()));
    }
    return ids;
  }

  @Override
  public void prepare(Job job, Path workDir, OptionalInt gpu, RunSink sink) throws Exception {
    List<String> models = models();
    sink.progress(Map.of("backend", cfg.baseUrl().toString(), "status", "healthy", "models", models));
    prepared.put(job.id(), request(job, workDir, models));
  }

  private Prepared request(Job job, Path workDir, List<String> models) throws RunnerException {
    String endpoint = job.spec().inferenceEndpoint();
    if (endpoint == null) {
      throw new RunnerException("not an inference job");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> body = new LinkedHashMap<>((Map<String, Object>) parse(job.spec().inferenceBody(), "the job's body"));
    Object model = body.get("model");
    if (model == null) {
      if (models.isEmpty()) {
        throw new RunnerException("the request names no model and the backend lists none");
      }
      body.put("model", models.get(0));
    } else if (!(model instanceof String name) || !models.contains(name)) {
      throw new RunnerException("model " + model + " is not served by the backend (it serves " + models + ")");
    }
    boolean stream = !endpoint.equals("embeddings") && !Boolean.FALSE.equals(body.get("stream"));
    if (stream) {
      body.put("stream", true);
    }
    return new Prepared(workDir, endpoint, body, stream);
  }

  @Override
  public Execution start(Job job, RunSink sink) throws Exception {
    Prepared p = prepared.remove(job.id());
    if (p == null) {
      throw new RunnerException("job " + job.id() + " was not prepared by this agent process");
    }
    Call call = new Call();
    calls.put(job.id(), call);
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Proc.daemon("infernet-inference-" + job.id(), () -> {
      try {
        exit.complete(exchange(p, call, sink));
      } catch (Exception e) {
        if (call.aborted) {
          exit.complete(ABORTED);
        } else {
          exit.completeExceptionally(e);
        }
      } finally {
        calls.remove(job.id(), call);
      }
    });
    return () -> exit;
  }

  private int exchange(Prepared p, Call call, RunSink sink) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(cfg.resolve(p.endpoint()))
        .header("content-type", "application/json")
        .header("accept", p.stream() ? "text/event-stream" : "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(p.body())));
    auth(b);
    call.response = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    if (call.aborted) {
      call.abort();
    }
    HttpResponse<InputStream> r = call.response.get();
    try (InputStream in = r.body()) {
      call.body = in;
      if (call.aborted) {
        return ABORTED;
      }
      if (r.statusCode() != 200) {
        String err = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        sink.log("stderr", "backend answered HTTP " + r.statusCode() + ": " + clip(err));
        return r.statusCode();
      }
      boolean sse = r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
      if (p.stream() && sse) {
        return stream(p, in, call, sink);
      }
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cfg.maxResponseBytes() + 1));
      if (call.aborted) {
        return ABORTED;
      }
      if (bytes.length > cfg.maxResponseBytes()) {
        sink.log("stderr", "backend response larger than " + cfg.maxResponseBytes() + " bytes");
        return 1;
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      Object tree = parse(text, "the backend's response");
      if (!p.endpoint().equals("embeddings")) {
        String content = contentOf(tree);
        if (content != null && !content.isEmpty()) {
          sink.tokens(content);
        }
      }
      Files.writeString(p.workDir().resolve("result"), text, StandardCharsets.UTF_8);
      return 0;
    }
  }

  /** Reads the SSE stream, emits token events, writes the assembled response as the result. */
  private int stream(Prepared p, InputStream in, Call call, RunSink sink) throws IOException {
    boolean chat = p.endpoint().equals("chat/completions");
    Assembly a = new Assembly(chat);
    TokenBuffer tokens = new TokenBuffer(sink, cfg.tokenFlushMillis());
    boolean[] done = {false};
    String[] problem = {null};
    SseParser parser = new SseParser((type, data) -> {
      if (done[0] || problem[0] != null) {
        return;
      }
      if (data.strip().equals("[DONE]")) {
        done[0] = true;
        return;
      }
      try {
        Object chunk = Json.parse(data, MAX_DEPTH);
        if (chunk instanceof Map<?, ?> m && m.get("error") != null) {
          problem[0] = "backend error in stream: " + clip(Json.write(m.get("error")));
          return;
        }
        String text = a.add(chunk);
        if (text != null && !text.isEmpty()) {
          tokens.add(text);
        }
      } catch (SpecException e) {
        problem[0] = "unparseable chunk from the backend: " + clip(data);
      }
    });
    long read = 0;
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    while (!done[0] && problem[0] == null && (line = lines.readLine()) != null) {
      read += line.length() + 1;
      if (read > cfg.maxResponseBytes()) {
        problem[0] = "backend stream longer than " + cfg.maxResponseBytes() + " bytes";
        break;
      }
      parser.line(line);
    }
    parser.end();
    tokens.flush();
    if (call.aborted) {
      return ABORTED;
    }
    if (problem[0] != null) {
      sink.log("stderr", problem[0]);
      return 1;
    }
    if (!a.finished()) {
      // [DONE] without a finish reason is how llama-cpp-python cuts a stream short when another
      // request waits (unless it runs with --interrupt_requests false): not a complete answer.
      sink.log("stderr", done[0] ? "the backend ended the stream without a finish reason (interrupted)"
          : "the backend's stream ended before it was complete");
      return 1;
    }
    Files.writeString(p.workDir().resolve("result"), Json.write(a.result()), StandardCharsets.UTF_8);
    return 0;
  }

  /** Gathers streamed text and hands it to the sink at most every {@code flushMillis}. */
  private static final class TokenBuffer {
    private final RunSink sink;
    private final long flushNanos;
    private final StringBuilder buf = new StringBuilder();
    private long firstAt;

    TokenBuffer(RunSink sink, int flushMillis) {
      this.sink = sink;
      this.flushNanos = flushMillis * 1_000_000L;
    }

    void add(String text) {
      if (buf.length() == 0) {
        firstAt = System.nanoTime();
      }
      buf.append(text);
      if (System.nanoTime() - firstAt >= flushNanos || buf.length() >= 2048) {
        flush();
      }
    }

    void flush() {
      if (buf.length() > 0) {
        sink.tokens(buf.toString());
        buf.setLength(0);
      }
    }
  }

  /** Builds the non-streamed response shape from streamed chunks. */
  private static final class Assembly {
    private final boolean chat;
    private final Map<Long, StringBuilder> text = new TreeMap<>();
    private final Map<Long, Object> finish = new TreeMap<>();
    private final Map<Long, String> role = new TreeMap<>();
    private Object id;
    private Object created;
    private Object model;
    private Object usage;

    Assembly(boolean chat) {
      this.chat = chat;
    }

    /** Takes one chunk; returns the new text of choice 0 (for token events), or null. */
    String add(Object chunk) {
      if (!(chunk instanceof Map<?, ?> m)) {
        return null;
      }
      id = m.get("id") != null ? m.get("id") : id;
      created = m.get("created") != null ? m.get("created") : created;
      model = m.get("model") != null ? m.get("model") : model;
      usage = m.get("usage") != null ? m.get("usage") : usage;
      String first = null;
      if (m.get("choices") instanceof List<?> choices) {
        for (Object c : choices) {
          if (!(c instanceof Map<?, ?> choice)) {
            continue;
          }
          long index = choice.get("index") instanceof Number n ? n.longValue() : 0;
          String piece = null;
          if (chat && choice.get("delta") instanceof Map<?, ?> delta) {
            piece = delta.get("content") instanceof String s ? s : null;
            if (delta.get("role") instanceof String r) {
              role.put(index, r);
            }
          } else if (!chat && choice.get("text") instanceof String s) {
            piece = s;
          }
          if (piece != null) {
            text.computeIfAbsent(index, k -> new StringBuilder()).append(piece);
            if (index == 0) {
              first = first == null ? piece : first + piece;
            }
          }
          if (choice.get("finish_reason") != null) {
            finish.put(index, choice.get("finish_reason"));
            text.computeIfAbsent(index, k -> new StringBuilder());
          }
        }
      }
      return first;
    }

    /** Every choice that started has a finish reason. */
    boolean finished() {
      return !text.isEmpty() && finish.keySet().containsAll(text.keySet());
    }

    Map<String, Object> result() {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("id", id);
      r.put("object", chat ? "chat.completion" : "text_completion");
      r.put("created", created);
      r.put("model", model);
      List<Object> choices = new ArrayList<>();
      for (Map.Entry<Long, StringBuilder> e : text.entrySet()) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("index", e.getKey());
        if (chat) {
          Map<String, Object> msg = new LinkedHashMap<>();
          msg.put("role", role.getOrDefault(e.getKey(), "assistant"));
          msg.put("content", e.getValue().toString());
          c.put("message", msg);
        } else {
          c.put("text", e.getValue().toString());
        }
        c.put("finish_reason", finish.get(e.getKey()));
        choices.add(c);
      }
      r.put("choices", choices);
      if (usage != null) {
        r.put("usage", usage);
      }
      return r;
    }
  }

  /** The first choice's text of a non-streamed chat or text completion, or null. */
  private static String contentOf(Object tree) {
    if (tree instanceof Map<?, ?> m && m.get("choices") instanceof List<?> l && !l.isEmpty()
        && l.get(0) instanceof Map<?, ?> c) {
      if (c.get("message") instanceof Map<?, ?> msg && msg.get("content") instanceof String s) {
        return s;
      }
      if (c.get("text") instanceof String s) {
        return s;
      }
    }
    return null;
  }

  @Override
  public Recovery recover(Job job, long logsSinceMillis, RunSink sink) {
    return new Recovery.Lost("an inference request does not survive an agent restart");
  }

  /** Aborts the job's exchange if one is in flight. */
  @Override
  public void remove(JobId id) {
    prepared.remove(id);
    Call c = calls.remove(id);
    if (c != null) {
      LOG.log(Level.FINE, "aborting inference request of job {0}", id);
      c.abort();
    }
  }

  @Override
  public List<JobId> leftovers() {
    return List.of(); // nothing outlives the agent process
  }

  private void auth(HttpRequest.Builder b) {
    if (!cfg.apiKey().isEmpty()) {
      b.header("authorization", "Bearer " + cfg.apiKey());
    }
  }

  private static Object parse(String text, String what) throws RunnerException {
    try {
      return Json.parse(text, MAX_DEPTH);
    } catch (SpecException e) {
      throw new RunnerException(what + " is not JSON: " + e.getMessage());
    }
  }

  private static String clip(String s) {
    String t = s.strip().replaceAll("[\\r\\n]+", " ");
    return t.length() > 500 ? t.substring(0, 500) + "..." : t;
  }
}
