package tech.infernet.agent.capacity;

import java.util.Objects;

/**
 * What the planner needs to know about a transformer model (the fields of its config.json).
 *
 * @param params        parameter count (embeddings included)
 * @param layers        num_hidden_layers
 * @param hidden        hidden_size
 * @param heads         num_attention_heads
 * @param kvHeads       num_key_value_heads (equal to heads without GQA)
 * @param headDim       head_dim (hidden / heads unless the config says otherwise)
 * @param weights       weight dtype or quantization
 * @param kvCache       KV cache dtype ("auto" in vLLM is the weights' activation dtype: FP16/BF16)
 * @param contextLength max_position_embeddings (the longest sequence the model takes)
 */
public record ModelSpec(String name, long params, int layers, int hidden, int heads, int kvHeads, int headDim,
                        WeightType weights, WeightType kvCache, int contextLength) {

  public ModelSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(kvCache, "kvCache");
    if (params <= 0 || layers <= 0 || hidden <= 0 || heads <= 0 || kvHeads <= 0 || headDim <= 0 || contextLength <= 0) {
      throw new IllegalArgumentException("model dimensions must be positive: " + name);
    }
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException("attention heads must be a multiple of KV heads: " + name);
    }
    if (kvCache.bytesPerValue() < 1) {
      throw new IllegalArgumentException("KV cache dtype must be 8 bits or wider: " + kvCache);
    }
  }

  /** Same model with another weight format (e.g. an AWQ or FP8 checkpoint of it). */
  public ModelSpec withWeights(WeightType w) {
    return new ModelSpec(name, params, layers, hidden, heads, kvHeads, headDim, w, kvCache, contextLength);
  }

  public ModelSpec withKvCache(WeightType kv) {
    return new ModelSpec(name, params, layers, hidden, heads, kvHeads, headDim, weights, kv, contextLength);
  }
}
