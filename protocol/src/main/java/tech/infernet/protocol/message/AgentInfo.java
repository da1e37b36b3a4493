package tech.infernet.protocol.message;

import java.util.List;
import tech.infernet.protocol.MessageType;

/**
 * Reply to {@code agent.info}: the agent's capabilities and load.
 *
 * @param version the agent's software version
 * @param protocols envelope versions it speaks
 * @param runners job kinds it runs ({@code container}, {@code inference})
 * @param models models its inference server offers
 * @param maxEnvelopeBytes largest envelope it accepts
 */
public record AgentInfo(String re, String version, List<Integer> protocols, List<String> runners,
    int cpus, long memoryMb, List<Gpu> gpus, List<String> models, int maxEnvelopeBytes,
    int queued, int running) implements Payload.Reply {
  /** One GPU: its name and memory. */
  public record Gpu(String name, long memoryMb) {
    public Gpu {
      Ids.text(name, "gpus[].name", 128);
      Ids.nonNegative(memoryMb, "gpus[].memoryMb");
    }
  }

  public AgentInfo {
    Ids.id(re, "re");
    Ids.text(version, "version", 64);
    protocols = List.copyOf(protocols);
    runners = List.copyOf(runners);
    gpus = List.copyOf(gpus);
    models = List.copyOf(models);
    for (String r : runners) {
      Ids.kind(r, "runners[]");
    }
    for (String m : models) {
      Ids.text(m, "models[]", 256);
    }
    if (protocols.size() > 16 || runners.size() > 16 || gpus.size() > 64 || models.size() > 1024) {
      throw new IllegalArgumentException("agent info: too many items");
    }
    Ids.nonNegative(cpus, "cpus");
    Ids.nonNegative(memoryMb, "memoryMb");
    Ids.nonNegative(maxEnvelopeBytes, "maxEnvelopeBytes");
    Ids.nonNegative(queued, "queued");
    Ids.nonNegative(running, "running");
  }

  @Override
  public MessageType type() {
    return MessageType.AGENT_INFO;
  }
}
