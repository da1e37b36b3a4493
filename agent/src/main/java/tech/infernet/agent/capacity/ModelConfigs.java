package tech.infernet.agent.capacity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@link ModelSpec} from a Hugging Face {@code config.json} (or the same fields under the
 * planner's own names), and renders plans as plain maps. When the parameter count is not given
 * it is computed for dense Llama-style decoders (embeddings, q/k/v/o, gated MLP, norms), which
 * reproduces the published counts of Llama 2 and Llama 3 exactly; other architectures
 * (mixture of experts...) must say {@code params}.
 */
public final class ModelConfigs {
  private ModelConfigs() {}

  public static ModelSpec fromConfig(Map<String, Object> c) {
    String name = str(c, "name", str(c, "_name_or_path", str(c, "model_type", "model")));
    int layers = integer(c, "layers", "num_hidden_layers");
    int hidden = integer(c, "hidden", "hidden_size");
    int heads = integer(c, "heads", "num_attention_heads");
    Integer kv = optInteger(c, "kvHeads", "num_key_value_heads");
    int kvHeads = kv == null ? heads : kv;
    Integer hd = optInteger(c, "headDim", "head_dim");
    int headDim = hd == null ? hidden / heads : hd;
    int context = integer(c, "contextLength", "max_position_embeddings");
    WeightType weights = WeightType.parse(str(c, "weights", quantization(c)));
    String kvName = str(c, "kvCache", null);
    WeightType kvCache = kvName != null ? WeightType.parse(kvName)
        : weights.bytesPerValue() >= 2 ? weights : WeightType.FP16;
    Object p = c.get("params");
    long params = p instanceof Number n ? n.longValue() : llamaParams(c, layers, hidden, heads, kvHeads, headDim);
    return new ModelSpec(name, params, layers, hidden, heads, kvHeads, headDim, weights, kvCache, context);
  }

  private static String quantization(Map<String, Object> c) {
    if (c.get("quantization_config") instanceof Map<?, ?> q && q.get("quant_method") != null) {
      String m = String.valueOf(q.get("quant_method"));
      Object bits = q.get("bits");
      if ((m.equals("awq") || m.equals("gptq")) && (bits == null || String.valueOf(bits).startsWith("4"))) {
        return "int4";
      }
      return m.startsWith("fp8") ? "fp8" : m;
    }
    return str(c, "torch_dtype", str(c, "dtype", "fp16"));
  }

  static long llamaParams(Map<String, Object> c, int layers, int hidden, int heads, int kvHeads, int headDim) {
    Integer vocab = optInteger(c, "vocab_size");
    Integer inter = optInteger(c, "intermediate_size");
    if (vocab == null || inter == null) {
      throw new IllegalArgumentException("give \"params\" (the config has no vocab_size/intermediate_size to count from)");
    }
    boolean tied = Boolean.TRUE.equals(c.get("tie_word_embeddings"));
    long embed = (long) vocab * hidden * (tied ? 1 : 2);
    long attn = (long) hidden * heads * headDim * 2 + 2L * hidden * kvHeads * headDim;
    long mlp = 3L * hidden * inter;
    long perLayer = attn + mlp + 2L * hidden;
    return embed + perLayer * layers + hidden;
  }

  public static Map<String, Object> view(CapacityPlan p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("placement", p.placement().name());
    m.put("tensorParallel", p.tp());
    m.put("pipelineStages", p.pp());
    m.put("nodes", p.nodes());
    m.put("maxModelLen", p.maxModelLen());
    m.put("weightBytes", p.weightBytes());
    m.put("weightBytesPerGpu", p.weightBytesPerGpu());
    m.put("kvBytesPerToken", p.kvBytesPerToken());
    m.put("kvBytesPerTokenPerGpu", p.kvBytesPerTokenPerGpu());
    m.put("blockBytesPerGpu", p.blockBytesPerGpu());
    m.put("usableBytesPerGpu", p.usableBytesPerGpu());
    m.put("availableKvBytesPerGpu", p.availableKvBytesPerGpu());
    m.put("gpuBlocks", p.gpuBlocks());
    m.put("maxConcurrentTokens", p.maxConcurrentTokens());
    m.put("maxSequences", p.maxSequences());
    m.put("maxConcurrency", Math.round(p.maxConcurrency() * 100) / 100.0);
    if (p.reason() != null) {
      m.put("reason", p.reason());
    }
    return m;
  }

  private static String str(Map<String, Object> c, String key, String dflt) {
    Object v = c.get(key);
    return v == null ? dflt : String.valueOf(v);
  }

  private static int integer(Map<String, Object> c, String... keys) {
    Integer v = optInteger(c, keys);
    if (v == null) {
      throw new IllegalArgumentException("model config lacks " + String.join(" / ", keys));
    }
    return v;
  }

  private static Integer optInteger(Map<String, Object> c, String... keys) {
    for (String k : keys) {
      if (c.get(k) instanceof Number n) {
        return n.intValue();
      }
    }
    return null;
  }
}
