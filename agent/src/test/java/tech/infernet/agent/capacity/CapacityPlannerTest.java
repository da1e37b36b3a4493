package tech.infernet.agent.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Checks the planner against figures vLLM printed on known models and GPUs. Model dimensions
 * are those of the models' config.json files; parameter counts are the Hugging Face totals.
 */
class CapacityPlannerTest {
  private static final long GIB = 1L << 30;
  private static final long MIB = 1L << 20;

  static final ModelSpec LLAMA2_7B = new ModelSpec("Llama-2-7b", 6_738_415_616L, 32, 4096, 32, 32, 128,
      WeightType.FP16, WeightType.FP16, 4096);
  static final ModelSpec LLAMA2_70B = new ModelSpec("Llama-2-70b", 68_976_648_192L, 80, 8192, 64, 8, 128,
      WeightType.FP16, WeightType.FP16, 4096);
  static final ModelSpec LLAMA3_8B = new ModelSpec("Meta-Llama-3-8B", 8_030_261_248L, 32, 4096, 32, 8, 128,
      WeightType.BF16, WeightType.BF16, 8192);
  static final ModelSpec LLAMA31_8B = new ModelSpec("Llama-3.1-8B-Instruct", 8_030_261_248L, 32, 4096, 32, 8, 128,
      WeightType.BF16, WeightType.BF16, 131072);
  static final ModelSpec QWEN3_14B = new ModelSpec("Qwen3-14B", 14_768_307_200L, 40, 5120, 40, 8, 128,
      WeightType.BF16, WeightType.BF16, 40960);

  /** A figure printed with two decimals in GiB covers [v - 0.005, v + 0.005) GiB. */
  private static long[] blocksRange(ModelSpec m, int tp, double gib) {
    return new long[] {CapacityPlanner.blocksFor(m, tp, 1, 16, (long) ((gib - 0.005) * GIB)),
        CapacityPlanner.blocksFor(m, tp, 1, 16, (long) ((gib + 0.005) * GIB))};
  }

  private static String x2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  @Test
  void kvBytesPerToken() {
    KvLayout l = new KvLayout(LLAMA2_7B, 1, 1, 16);
    assertEquals(512 * 1024, l.kvBytesPerToken()); // 2 x 32 layers x 32 heads x 128 x 2 bytes
    assertEquals(8 * MIB, l.blockBytesPerGpu());
    assertEquals(128 * 1024, new KvLayout(LLAMA3_8B, 1, 1, 16).kvBytesPerToken()); // GQA: 8 KV heads
    assertEquals(160 * 1024, new KvLayout(QWEN3_14B, 1, 1, 16).kvBytesPerToken());
    KvLayout tp4 = new KvLayout(LLAMA2_70B, 4, 1, 16);
    assertEquals(80 * 1024, tp4.kvBytesPerTokenPerGpu()); // 2 KV heads per GPU
    assertEquals(1_310_720, tp4.blockBytesPerGpu());
    assertEquals(64 * 1024, new KvLayout(LLAMA3_8B.withKvCache(WeightType.FP8), 1, 1, 16).kvBytesPerToken());
    assertEquals(1, new KvLayout(LLAMA3_8B, 16, 1, 16).kvHeadsPerGpu()); // replicated past 8 ranks
  }

  /**
   * vllm-project/vllm#10517 (kaspersiminski, 2024-12-02): RTX 3090, meta-llama/Llama-3.1-8B-Instruct,
   * "kv_cache_size=3.81GiB ... # GPU blocks: 1952 ... Maximum concurrency for 20000 tokens per
   * request: 1.56x" and with 29k: "kv_cache_size=2.89GiB ... # GPU blocks: 1478 ... Maximum
   * concurrency for 29000 tokens per request: 0.82x ... maximum number of tokens that can be
   * stored in KV cache (23648)"; "Loading model weights took 14.9888 GB".
   */
  @Test
  void rtx3090Llama31From10517() {
    long[] r = blocksRange(LLAMA31_8B, 1, 3.81);
    assertTrue(r[0] <= 1952 && 1952 <= r[1], r[0] + ".." + r[1]);
    assertEquals("1.56", x2(1952 * 16 / 20000.0));
    long[] r29 = blocksRange(LLAMA31_8B, 1, 2.89);
    assertTrue(r29[0] <= 1478 && 1478 <= r29[1], r29[0] + ".." + r29[1]);
    CapacityPlan p = CapacityPlanner.size(LLAMA31_8B, 24 * GIB, 1, 1, PlannerOptions.defaults().withMaxModelLen(29000));
    assertEquals(29000, p.maxModelLen());
    assertEquals(23648, 1478 * p.blockBytesPerGpu() / p.kvBytesPerTokenPerGpu()); // tokens of 1478 blocks
    assertEquals("0.82", x2(23648 / 29000.0));
    double weightsGib = new KvLayout(LLAMA31_8B, 1, 1, 16).weightBytes() / (double) GIB;
    assertEquals(14.9888, weightsGib, 14.9888 * 0.01); // within 1% of what vLLM loaded
  }

  /**
   * LMCache/LMCache#1739 (2025-10-03): Qwen3-14B on one GPU, "Available KV cache memory: 6.51 GiB",
   * "GPU KV cache size: 42,656 tokens", "Maximum concurrency for 32,768 tokens per request: 1.30x".
   */
  @Test
  void qwen3From1739() {
    long[] r = blocksRange(QWEN3_14B, 1, 6.51);
    assertTrue(r[0] * 16 <= 42656 && 42656 <= r[1] * 16, r[0] * 16 + ".." + r[1] * 16);
    assertEquals(2666, CapacityPlanner.blocksFor(QWEN3_14B, 1, 1, 16, (long) (6.51 * GIB)));
    assertEquals(42656, 2666 * 16);
    assertEquals("1.30", x2(42656 / 32768.0));
  }

  /**
   * vllm-project/vllm#10511 (youkaichao, 2024-12-13), "vllm serve meta-llama/Meta-Llama-3-8B":
   * total_gpu_memory 79.22GiB, gpu_memory_utilization 0.90, can use 71.29GiB, model weights take
   * 14.96GiB (7.48GiB with -tp 2), non_torch_memory 1.79GiB, PyTorch activation peak memory
   * 1.26GiB, available_kv_cache_memory 53.29GiB.
   */
  @Test
  void llama3WeightsAndKvBudgetFrom10511() {
    long total = (long) (79.22 * GIB);
    PlannerOptions measured = PlannerOptions.defaults().measured((long) (1.26 * GIB), (long) (1.79 * GIB));
    CapacityPlan p = CapacityPlanner.size(LLAMA3_8B, total, 1, 1, measured);
    assertEquals(14.96, p.weightBytesPerGpu() / (double) GIB, 0.005);
    assertEquals(71.29, p.usableBytesPerGpu() / (double) GIB, 0.01);
    assertEquals(53.29, p.availableKvBytesPerGpu() / (double) GIB, 0.02);
    assertEquals(7.48, CapacityPlanner.size(LLAMA3_8B, total, 2, 1, measured).weightBytesPerGpu() / (double) GIB, 0.005);
    // With the default estimates instead of measured reserves, the KV budget is within 5%.
    CapacityPlan est = CapacityPlanner.size(LLAMA3_8B, total, 1, 1, PlannerOptions.defaults());
    assertEquals(53.29, est.availableKvBytesPerGpu() / (double) GIB, 53.29 * 0.05);
  }

  /**
   * vllm-project/vllm#2031 (WoosukKwon, 2023-12-12), gpu_memory_utilization 0.9: "Llama2-7B with
   * TP=1 and 1xA100-80GB ... # GPU blocks: 7351" and "Llama2-70B with TP=4 and 4xA100-80GB ...
   * # GPU blocks: 20865". Without that run's reserves only a bound holds: those blocks, at the
   * planner's block size, fit in what the weights leave of 90% of an A100's 81920 MiB.
   */
  @Test
  void publishedBlockCountsFitThePlannersBudgetFrom2031() {
    GpuSpec a100 = GpuSpec.ofMiB("NVIDIA A100-SXM4-80GB", 81920);
    PlannerOptions none = PlannerOptions.defaults().measured(0, 0);
    CapacityPlan p7 = CapacityPlanner.size(LLAMA2_7B, a100.memoryBytes(), 1, 1, none);
    assertTrue(7351 * p7.blockBytesPerGpu() <= p7.availableKvBytesPerGpu());
    CapacityPlan p70 = CapacityPlanner.size(LLAMA2_70B, a100.memoryBytes(), 4, 1, none);
    assertTrue(20865 * p70.blockBytesPerGpu() <= p70.availableKvBytesPerGpu());
  }

  @Test
  void decisionSingleGpuThenTensorParallelThenPipeline() {
    GpuSpec h100 = GpuSpec.ofMiB("NVIDIA H100 80GB HBM3", 81079); // cuDeviceTotalMem on our device run
    PlannerOptions o = PlannerOptions.defaults();
    CapacityPlan one = CapacityPlanner.plan(LLAMA3_8B, List.of(h100), o);
    assertEquals(Placement.SINGLE_GPU, one.placement());
    assertTrue(one.maxSequences() >= 50, "an 8B model leaves room for many 8k sequences: " + one.maxSequences());

    CapacityPlan seventy = CapacityPlanner.plan(LLAMA2_70B, Collections.nCopies(8, h100), o);
    assertEquals(Placement.TENSOR_PARALLEL, seventy.placement());
    assertEquals(2, seventy.tp()); // 128 GiB of weights: two GPUs are the fewest that hold them plus a 4k sequence

    CapacityPlan onOneH100 = CapacityPlanner.plan(LLAMA2_70B, List.of(h100), o);
    assertEquals(Placement.PIPELINE_OVER_NODES, onOneH100.placement());
    assertEquals(2, onOneH100.nodes());

    GpuSpec rtx4090 = GpuSpec.ofMiB("NVIDIA GeForce RTX 4090", 24564);
    CapacityPlan awq = CapacityPlanner.plan(LLAMA2_70B.withWeights(WeightType.INT4_G128), List.of(rtx4090), o);
    assertEquals(Placement.PIPELINE_OVER_NODES, awq.placement());
    assertEquals(1, awq.tp());
    assertTrue(awq.nodes() >= 2 && awq.nodes() <= 3, "nodes " + awq.nodes());
    CapacityPlan fp16 = CapacityPlanner.plan(LLAMA2_70B, List.of(rtx4090), o);
    assertTrue(fp16.nodes() > awq.nodes(), fp16.nodes() + " vs " + awq.nodes());

    CapacityPlan more = CapacityPlanner.plan(LLAMA3_8B, List.of(rtx4090), o.withMinSequences(100));
    assertEquals(Placement.PIPELINE_OVER_NODES, more.placement()); // 100 x 8k tokens of KV (100 GiB) needs nodes
    CapacityPlan tooMany = CapacityPlanner.plan(LLAMA3_8B, List.of(rtx4090), o.withMinSequences(1000));
    assertEquals(Placement.DOES_NOT_FIT, tooMany.placement()); // 1 TiB of KV: more stages than layers
    assertEquals(Placement.DOES_NOT_FIT, CapacityPlanner.plan(LLAMA3_8B, List.of(), o).placement());
  }

  @Test
  void weightTypes() {
    assertEquals(WeightType.INT4_G128, WeightType.parse("AWQ"));
    assertEquals(WeightType.BF16, WeightType.parse("bfloat16"));
    assertEquals(WeightType.FP8, WeightType.parse("fp8_e4m3"));
    assertEquals(0.51953125, WeightType.INT4_G128.bytesPerValue());
  }
}
