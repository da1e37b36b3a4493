package tech.infernet.agent.hardware;

/**
 * What the GPU benchmark measured on one device. TFLOP/s count 2*N^3 per N x N x N product;
 * copy bandwidths count the bytes copied once (not read plus written), in GB/s (10^9 bytes).
 */
public record GpuBenchResult(int index, String name, String uuid, String driverVersion, String cudaVersion,
                             int fp32N, double fp32Tflops, boolean fp32Verified,
                             int fp16N, double fp16Tflops, boolean fp16Verified,
                             long copyBytes, double h2dGBs, double d2hGBs, double d2dGBs,
                             String kernels, int benchVersion, long measuredAtMillis, long tookMillis) {}
