package tech.infernet.protocol.spec;

import java.util.Map;

/**
 * An OpenAI-compatible request for the agent's local inference server.
 *
 * @param endpoint {@code chat/completions}, {@code completions} or {@code embeddings}
 * @param request the request body as a JSON object tree (Map/List/String/Number/Boolean/null)
 */
public record InferenceJob(String endpoint, Map<String, Object> request, Resources resources,
    int timeoutSeconds) implements JobSpec {
  public InferenceJob {
    request = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(request));
  }

  /** Whether the request asks for a token stream ({@code "stream": true}). */
  public boolean stream() {
    return Boolean.TRUE.equals(request.get("stream"));
  }
}
