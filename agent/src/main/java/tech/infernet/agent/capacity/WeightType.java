package tech.infernet.agent.capacity;

/**
 * Bytes per value of a weight or KV cache format. Group-quantized 4-bit formats carry one FP16
 * scale (and for AWQ/GPTQ a packed zero point) per group of 128 weights, counted here.
 */
public enum WeightType {
  FP32(4.0),
  FP16(2.0),
  BF16(2.0),
  FP8(1.0),
  INT8(1.0),
  /** 4-bit weights, group size 128, FP16 scale + 4-bit zero point per group (AWQ, GPTQ). */
  INT4_G128(0.5 + (2.0 + 0.5) / 128);

  private final double bytes;

  WeightType(double bytes) {
    this.bytes = bytes;
  }

  public double bytesPerValue() {
    return bytes;
  }

  /** Parses "fp16", "bfloat16", "fp8", "int8", "awq", "gptq", "int4" and the like. */
  public static WeightType parse(String s) {
    String t = s.strip().toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "");
    return switch (t) {
      case "fp32", "float32", "float" -> FP32;
      case "fp16", "float16", "half", "auto" -> FP16;
      case "bf16", "bfloat16" -> BF16;
      case "fp8", "fp8e4m3", "fp8e5m2", "float8" -> FP8;
      case "int8", "w8a8", "w8a16" -> INT8;
      case "int4", "awq", "gptq", "w4a16", "int4g128" -> INT4_G128;
      default -> throw new IllegalArgumentException("unknown weight or KV dtype: " + s);
    };
  }
}
