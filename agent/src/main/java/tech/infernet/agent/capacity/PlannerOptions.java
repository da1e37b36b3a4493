package tech.infernet.agent.capacity;

/**
 * How a vLLM-style engine would be run. The memory reserves stand for what vLLM measures when it
 * profiles (PyTorch activation peak, memory outside PyTorch such as CUDA context, NCCL and
 * cuBLAS workspaces); pass measured values when known, else the defaults are estimates.
 *
 * @param gpuMemoryUtilization fraction of each GPU's memory the engine may use (vLLM: 0.9)
 * @param blockSize            tokens per KV block (vLLM: 16)
 * @param maxModelLen          longest sequence to serve; 0 means the model's context length
 * @param activationBytes      activation peak per GPU
 * @param nonTorchBytes        memory outside the allocator per GPU with one GPU
 * @param nonTorchBytesPerTpGpu extra per GPU when tensor-parallel (NCCL buffers)
 * @param minSequences         full-length sequences that must fit at once for a placement to count
 */
public record PlannerOptions(double gpuMemoryUtilization, int blockSize, int maxModelLen, long activationBytes,
                             long nonTorchBytes, long nonTorchBytesPerTpGpu, int minSequences) {
  public static final long GIB = 1L << 30;

  public PlannerOptions {
    if (gpuMemoryUtilization <= 0 || gpuMemoryUtilization > 1) {
      throw new IllegalArgumentException("gpuMemoryUtilization must be in (0, 1]");
    }
    if (blockSize <= 0 || maxModelLen < 0 || activationBytes < 0 || nonTorchBytes < 0 || nonTorchBytesPerTpGpu < 0
        || minSequences < 1) {
      throw new IllegalArgumentException("invalid planner options");
    }
  }

  /** vLLM defaults (utilization 0.9, block 16) with estimated reserves: 1.5 GiB activation, 0.5 GiB outside PyTorch (+1.5 GiB with TP). */
  public static PlannerOptions defaults() {
    return new PlannerOptions(0.9, 16, 0, 3 * GIB / 2, GIB / 2, 3 * GIB / 2, 1);
  }

  /** With reserves measured by a vLLM profiling run (per GPU). */
  public PlannerOptions measured(long activation, long nonTorch) {
    return new PlannerOptions(gpuMemoryUtilization, blockSize, maxModelLen, activation, nonTorch, 0, minSequences);
  }

  public PlannerOptions withMaxModelLen(int len) {
    return new PlannerOptions(gpuMemoryUtilization, blockSize, len, activationBytes, nonTorchBytes,
        nonTorchBytesPerTpGpu, minSequences);
  }

  public PlannerOptions withUtilization(double u) {
    return new PlannerOptions(u, blockSize, maxModelLen, activationBytes, nonTorchBytes, nonTorchBytesPerTpGpu,
        minSequences);
  }

  public PlannerOptions withMinSequences(int n) {
    return new PlannerOptions(gpuMemoryUtilization, blockSize, maxModelLen, activationBytes, nonTorchBytes,
        nonTorchBytesPerTpGpu, n);
  }
}
