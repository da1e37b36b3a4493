package tech.infernet.agent.capacity;

/**
 * The planner's answer. For {@link Placement#PIPELINE_OVER_NODES}, {@code nodes} nodes like this
 * one each run {@code tp} GPUs; the figures are per GPU of the first stage (the largest).
 *
 * @param usableBytesPerGpu      total x gpuMemoryUtilization
 * @param availableKvBytesPerGpu what is left for the KV cache on each GPU
 * @param gpuBlocks              KV blocks per GPU (vLLM's "# GPU blocks")
 * @param maxConcurrentTokens    tokens whose KV fits at once (blocks x block size)
 * @param maxSequences           full-length sequences (maxModelLen tokens) that fit at once
 * @param maxConcurrency         maxConcurrentTokens / maxModelLen (vLLM's "Maximum concurrency")
 */
public record CapacityPlan(Placement placement, int tp, int pp, int nodes, int maxModelLen,
                           long weightBytes, long weightBytesPerGpu, long kvBytesPerToken, long kvBytesPerTokenPerGpu,
                           long blockBytesPerGpu, long usableBytesPerGpu, long availableKvBytesPerGpu, long gpuBlocks,
                           long maxConcurrentTokens, long maxSequences, double maxConcurrency, String reason) {}
