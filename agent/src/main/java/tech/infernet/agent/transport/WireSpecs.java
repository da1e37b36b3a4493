package tech.infernet.agent.transport;

import java.util.LinkedHashMap;
import java.util.Map;
import tech.infernet.protocol.spec.ContainerJob;
import tech.infernet.protocol.spec.InferenceJob;
import tech.infernet.protocol.spec.JobSpec;
import tech.infernet.protocol.spec.Resources;

/**
 * Translates a job spec from the wire (protocol module) into the agent engine's spec tree, which
 * the engine then validates and admits like any other submission.
 */
final class WireSpecs {
  private WireSpecs() {}

  static Map<String, Object> toEngineTree(JobSpec spec) {
    Map<String, Object> tree = new LinkedHashMap<>();
    if (spec instanceof ContainerJob c) {
      tree.put("kind", "container");
      tree.put("image", c.image());
      tree.put("args", c.command());
      tree.put("env", c.env());
      tree.put("network", c.network());
    } else if (spec instanceof InferenceJob i) {
      tree.put("kind", "inference");
      tree.put("inference", Map.of("endpoint", i.endpoint(), "body", i.request()));
    }
    Resources r = spec.resources();
    tree.put("gpu", r.gpus() > 0);
    Map<String, Object> limits = new LinkedHashMap<>();
    if (r.memoryMb() > 0) {
      limits.put("memoryMb", r.memoryMb());
    }
    if (r.cpus() > 0) {
      limits.put("cpus", r.cpus());
    }
    if (spec.timeoutSeconds() > 0) {
      limits.put("timeoutSeconds", spec.timeoutSeconds());
    }
    if (!limits.isEmpty()) {
      tree.put("limits", limits);
    }
    return tree;
  }
}
