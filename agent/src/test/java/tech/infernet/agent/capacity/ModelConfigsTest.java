package tech.infernet.agent.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hugging Face config.json fields (Meta's published configs for these models) to a ModelSpec. */
class ModelConfigsTest {

  static Map<String, Object> llama3_8b() {
    Map<String, Object> c = new HashMap<>();
    c.put("model_type", "llama");
    c.put("hidden_size", 4096);
    c.put("intermediate_size", 14336);
    c.put("num_hidden_layers", 32);
    c.put("num_attention_heads", 32);
    c.put("num_key_value_heads", 8);
    c.put("vocab_size", 128256);
    c.put("max_position_embeddings", 8192);
    c.put("tie_word_embeddings", false);
    c.put("torch_dtype", "bfloat16");
    return c;
  }

  @Test
  void parameterCountOfDenseLlamasIsExact() {
    ModelSpec m = ModelConfigs.fromConfig(llama3_8b());
    assertEquals(8_030_261_248L, m.params()); // Meta-Llama-3-8B
    assertEquals(128, m.headDim());
    assertEquals(WeightType.BF16, m.kvCache());
    Map<String, Object> l2 = new HashMap<>(llama3_8b());
    l2.put("intermediate_size", 11008);
    l2.put("num_key_value_heads", 32);
    l2.put("vocab_size", 32000);
    l2.put("max_position_embeddings", 4096);
    l2.put("torch_dtype", "float16");
    assertEquals(6_738_415_616L, ModelConfigs.fromConfig(l2).params()); // Llama-2-7b
  }

  @Test
  void quantizedCheckpointsKeep16BitKv() {
    Map<String, Object> c = new HashMap<>(llama3_8b());
    c.put("quantization_config", Map.of("quant_method", "awq", "bits", 4, "group_size", 128));
    ModelSpec m = ModelConfigs.fromConfig(c);
    assertEquals(WeightType.INT4_G128, m.weights());
    assertEquals(WeightType.FP16, m.kvCache());
  }

  @Test
  void explicitParamsAndMissingFields() {
    Map<String, Object> c = new HashMap<>(llama3_8b());
    c.remove("vocab_size");
    assertThrows(IllegalArgumentException.class, () -> ModelConfigs.fromConfig(c));
    c.put("params", 8_000_000_000L);
    assertEquals(8_000_000_000L, ModelConfigs.fromConfig(c).params());
    Map<String, Object> v = ModelConfigs.view(CapacityPlanner.size(ModelConfigs.fromConfig(llama3_8b()),
        81079L << 20, 1, 1, PlannerOptions.defaults()));
    assertEquals("SINGLE_GPU", v.get("placement"));
    assertEquals(27803L, v.get("gpuBlocks"));
  }
}
