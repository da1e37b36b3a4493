package tech.infernet.agent.capacity;

import java.util.List;

/**
 * Sizes a model on a node the way vLLM does (weights, then what is left of
 * total x gpu_memory_utilization after the reserves goes to KV blocks) and decides where it goes:
 * one GPU, else tensor parallel over 2, 4 or 8 GPUs of this node, else a pipeline over several
 * such nodes (for the relay to arrange), else nowhere. A placement counts when at least
 * {@code minSequences} sequences of {@code maxModelLen} tokens fit in the KV cache.
 */
public final class CapacityPlanner {
  private static final int[] TP = {1, 2, 4, 8};
  private static final int MAX_NODES = 64;

  private CapacityPlanner() {}

  /** The figures for one layout on GPUs of {@code perGpuBytes} memory. */
  public static CapacityPlan size(ModelSpec m, long perGpuBytes, int tp, int pp, PlannerOptions o) {
    KvLayout k = new KvLayout(m, tp, pp, o.blockSize());
    int len = o.maxModelLen() > 0 ? Math.min(o.maxModelLen(), m.contextLength()) : m.contextLength();
    long usable = (long) Math.floor(perGpuBytes * o.gpuMemoryUtilization());
    long reserve = o.activationBytes() + o.nonTorchBytes() + (tp * pp > 1 ? o.nonTorchBytesPerTpGpu() : 0);
    long avail = usable - k.weightBytesPerGpu() - reserve;
    long blocks = k.blocks(avail);
    long tokens = blocks * o.blockSize();
    Placement p = tp * pp == 1 ? Placement.SINGLE_GPU : pp == 1 ? Placement.TENSOR_PARALLEL : Placement.PIPELINE_OVER_NODES;
    return new CapacityPlan(p, tp, pp, pp, len, k.weightBytes(), k.weightBytesPerGpu(), k.kvBytesPerToken(),
        k.kvBytesPerTokenPerGpu(), k.blockBytesPerGpu(), usable, Math.max(0, avail), blocks, tokens, tokens / len,
        (double) tokens / len, null);
  }

  /** Vllm's exact block count from a measured KV budget (its log's "available KV cache memory"). */
  public static long blocksFor(ModelSpec m, int tp, int pp, int blockSize, long availableKvBytesPerGpu) {
    return new KvLayout(m, tp, pp, blockSize).blocks(availableKvBytesPerGpu);
  }

  /**
   * Decides placement on a node with these GPUs (the smallest GPU bounds every rank). TP sizes
   * must divide the attention heads, as vLLM requires.
   */
  public static CapacityPlan plan(ModelSpec m, List<GpuSpec> nodeGpus, PlannerOptions o) {
    if (nodeGpus.isEmpty()) {
      return dnf(m, o, "no GPU on this node");
    }
    long per = nodeGpus.stream().mapToLong(GpuSpec::memoryBytes).min().orElseThrow();
    int gpus = nodeGpus.size();
    CapacityPlan last = null;
    for (int tp : TP) {
      if (tp > gpus || m.heads() % tp != 0) {
        continue;
      }
      CapacityPlan c = size(m, per, tp, 1, o);
      last = c;
      if (c.maxSequences() >= o.minSequences()) {
        return c;
      }
    }
    int tpNode = largestTp(m, gpus);
    for (int pp = 2; pp <= Math.min(MAX_NODES, m.layers()); pp++) {
      CapacityPlan c = size(m, per, tpNode, pp, o);
      if (c.maxSequences() >= o.minSequences()) {
        return c;
      }
    }
    String why = last == null ? "no tensor-parallel size divides the " + m.heads() + " attention heads"
        : "even split over " + MAX_NODES + " nodes of " + tpNode + " GPU(s) leaves no room for "
            + o.minSequences() + " sequence(s) of " + (last.maxModelLen()) + " tokens";
    return dnf(m, o, why);
  }

  private static int largestTp(ModelSpec m, int gpus) {
    int best = 1;
    for (int tp : TP) {
      if (tp <= gpus && m.heads() % tp == 0) {
        best = tp;
      }
    }
    return best;
  }

  private static CapacityPlan dnf(ModelSpec m, PlannerOptions o, String why) {
    KvLayout k = new KvLayout(m, 1, 1, o.blockSize());
    int len = o.maxModelLen() > 0 ? Math.min(o.maxModelLen(), m.contextLength()) : m.contextLength();
    return new CapacityPlan(Placement.DOES_NOT_FIT, 0, 0, 0, len, k.weightBytes(), 0, k.kvBytesPerToken(), 0, 0, 0,
        0, 0, 0, 0, 0, why);
  }
}
