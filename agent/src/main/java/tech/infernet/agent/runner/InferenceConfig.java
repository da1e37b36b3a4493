package tech.infernet.agent.runner;

import java.net.URI;
import java.time.Duration;

/**
 * How the inference runner reaches its backend.
 *
 * @param baseUrl the OpenAI-compatible API root, e.g. {@code http://127.0.0.1:8080/v1}
 *     (llama.cpp server, llama-cpp-python), {@code http://127.0.0.1:11434/v1} (ollama) or
 *     {@code http://127.0.0.1:8000/v1} (vLLM)
 * @param apiKey sent as a bearer token when not empty
 * @param connectTimeout to connect to the backend
 * @param healthTimeout for a models request (health check)
 * @param maxResponseBytes largest response read from the backend; a larger one fails the job
 * @param tokenFlushMillis streamed tokens are gathered for at most this long into one event
 */
public record InferenceConfig(URI baseUrl, String apiKey, Duration connectTimeout,
    Duration healthTimeout, long maxResponseBytes, int tokenFlushMillis) {

  public InferenceConfig {
    String s = baseUrl.getScheme();
    if (!"http".equals(s) && !"https".equals(s)) {
      throw new IllegalArgumentException("inference base URL must be http or https: " + baseUrl);
    }
    String text = baseUrl.toString();
    if (text.endsWith("/")) {
      baseUrl = URI.create(text.substring(0, text.length() - 1));
    }
  }

  public static InferenceConfig of(String baseUrl) {
    return new InferenceConfig(URI.create(baseUrl), "", Duration.ofSeconds(5), Duration.ofSeconds(5),
        16L << 20, 50);
  }

  URI resolve(String path) {
    return URI.create(baseUrl + "/" + path);
  }
}
