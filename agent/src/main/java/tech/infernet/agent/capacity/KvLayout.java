package tech.infernet.agent.capacity;

/**
 * KV cache and weight memory arithmetic for one model split over {@code tp} GPUs (tensor
 * parallel) and {@code pp} pipeline stages, as vLLM lays it out: each TP rank holds
 * kvHeads/tp heads (at least one: heads are replicated when tp > kvHeads), each stage
 * ceil(layers/pp) layers.
 */
public record KvLayout(ModelSpec model, int tp, int pp, int blockSize) {

  public KvLayout {
    if (tp < 1 || pp < 1 || blockSize < 1) {
      throw new IllegalArgumentException("tp, pp and blockSize must be positive");
    }
  }

  /** K and V for one token over all layers and heads of the model. */
  public long kvBytesPerToken() {
    return (long) Math.ceil(2.0 * model.layers() * model.kvHeads() * model.headDim() * model.kvCache().bytesPerValue());
  }

  public int kvHeadsPerGpu() {
    return Math.max(1, model.kvHeads() / tp);
  }

  public int layersPerGpu() {
    return (model.layers() + pp - 1) / pp;
  }

  /** K and V for one token held by one GPU. */
  public long kvBytesPerTokenPerGpu() {
    return (long) Math.ceil(2.0 * layersPerGpu() * kvHeadsPerGpu() * model.headDim() * model.kvCache().bytesPerValue());
  }

  /** One KV block (blockSize tokens) on one GPU: vLLM's cache_block_size. */
  public long blockBytesPerGpu() {
    return kvBytesPerTokenPerGpu() * blockSize;
  }

  public long weightBytes() {
    return (long) Math.ceil(model.params() * model.weights().bytesPerValue());
  }

  /** Weights one GPU holds (an even split; embeddings and norms are in fact partly replicated). */
  public long weightBytesPerGpu() {
    return (weightBytes() + (long) tp * pp - 1) / ((long) tp * pp);
  }

  /** vLLM's num_gpu_blocks = floor(available KV memory / block size). */
  public long blocks(long availableKvBytesPerGpu) {
    return availableKvBytesPerGpu <= 0 ? 0 : availableKvBytesPerGpu / blockBytesPerGpu();
  }
}
