package tech.infernet.agent.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the agent's NKN face, validated when built.
 *
 * @param seedRpc             JSON-RPC addresses of NKN nodes (the local devnet by default)
 * @param identifier          the identifier part of the agent's NKN address
 * @param stateDir            where face.db (peers, pairing codes, replay cache) lives
 * @param requestsPerSecond   sustained requests per key (token bucket rate)
 * @param burst               requests per key allowed at once (bucket size)
 * @param maxActiveJobsPerKey jobs a key may have queued or running at once
 * @param maxEnvelopeBytes    largest envelope accepted
 * @param deliveryInterval    how often undelivered job events are retried
 * @param relays              NKN addresses of the relays (carriers) this agent works with
 */
public record FaceConfig(List<String> seedRpc, String identifier, Path stateDir, double requestsPerSecond,
    int burst, int maxActiveJobsPerKey, int maxEnvelopeBytes, Duration deliveryInterval, List<String> relays) {
  public FaceConfig {
    seedRpc = List.copyOf(seedRpc);
    relays = List.copyOf(relays);
    Objects.requireNonNull(stateDir, "stateDir");
    if (seedRpc.isEmpty()) {
      throw new IllegalArgumentException("nkn.seedRpc: name at least one NKN node's JSON-RPC address");
    }
    if (requestsPerSecond <= 0 || burst < 1 || maxActiveJobsPerKey < 1 || maxEnvelopeBytes < 1024) {
      throw new IllegalArgumentException("nkn rate/quota settings must be positive (envelope at least 1024 bytes)");
    }
  }

  public static FaceConfig defaults(List<String> seedRpc, Path stateDir) {
    return new FaceConfig(seedRpc, "agent", stateDir, 5, 20, 8, 1 << 20, Duration.ofMillis(500), List.of());
  }
}
