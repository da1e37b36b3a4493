package tech.infernet.agent.hardware;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUuuid;
import jcuda.driver.JCudaDriver;

/**
 * Matrix-multiply throughput (FP32 CUDA-core kernel, FP16 tensor-core WMMA kernel, both from
 * gemm.ptx) and copy bandwidth (pinned host to device, device to host, device to device), timed
 * with CUDA events. Inputs are pseudo-random values exactly representable in FP16, generated from
 * their coordinates, so results are checked at sample points without keeping the matrices on the host.
 */
final class JCudaBench {
  static final int VERSION = 1;
  private static final int WARMUP = 2;
  private static final int ITERS = 10;

  private JCudaBench() {}

  static String ptx() throws IOException {
    try (InputStream in = JCudaBench.class.getResourceAsStream("gemm.ptx")) {
      if (in == null) {
        throw new IOException("gemm.ptx missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  static GpuBenchResult run(int index, String driverVersion, int fp32N, int fp16N, long copyBytes) throws IOException {
    long t0 = System.nanoTime();
    JCudaDriver.setExceptionsEnabled(true);
    JCudaDriver.cuInit(0);
    CUdevice dev = new CUdevice();
    JCudaDriver.cuDeviceGet(dev, index);
    byte[] nameBytes = new byte[256];
    JCudaDriver.cuDeviceGetName(nameBytes, nameBytes.length, dev);
    CUuuid uuid = new CUuuid();
    JCudaDriver.cuDeviceGetUuid(uuid, dev);
    int[] v = new int[1];
    JCudaDriver.cuDriverGetVersion(v);
    String cuda = (v[0] / 1000) + "." + (v[0] % 1000) / 10;
    CUcontext ctx = new CUcontext();
    JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev);
    try {
      JCudaDriver.cuCtxSetCurrent(ctx);
      CUmodule module = new CUmodule();
      JCudaDriver.cuModuleLoadData(module, ptx());
      double[] copies = copies(copyBytes);
      double[] fp32 = gemm(module, false, fp32N);
      double[] fp16 = gemm(module, true, fp16N);
      JCudaDriver.cuModuleUnload(module);
      return new GpuBenchResult(index, JCudaGpus.cString(nameBytes), JCudaGpus.uuidString(uuid.bytes), driverVersion,
          cuda, fp32N, fp32[0], fp32[1] > 0, fp16N, fp16[0], fp16[1] > 0, copyBytes, copies[0], copies[1], copies[2],
          "gemm.ptx: sgemm 128x128 tile FP32; hgemm WMMA 16x16x16 FP16 in, FP32 accumulate", VERSION,
          System.currentTimeMillis(), (System.nanoTime() - t0) / 1_000_000);
    } finally {
      JCudaDriver.cuDevicePrimaryCtxRelease(dev);
    }
  }

  /** H2D, D2H (pinned host memory) and D2D in GB/s. */
  private static double[] copies(long bytes) {
    Pointer host = new Pointer();
    JCudaDriver.cuMemAllocHost(host, bytes);
    CUdeviceptr a = new CUdeviceptr();
    CUdeviceptr b = new CUdeviceptr();
    JCudaDriver.cuMemAlloc(a, bytes);
    JCudaDriver.cuMemAlloc(b, bytes);
    try {
      double h2d = timeCopies(bytes, () -> JCudaDriver.cuMemcpyHtoD(a, host, bytes));
      double d2h = timeCopies(bytes, () -> JCudaDriver.cuMemcpyDtoH(host, a, bytes));
      double d2d = timeCopies(bytes, () -> JCudaDriver.cuMemcpyDtoD(b, a, bytes));
      return new double[] {h2d, d2h, d2d};
    } finally {
      JCudaDriver.cuMemFree(a);
      JCudaDriver.cuMemFree(b);
      JCudaDriver.cuMemFreeHost(host);
    }
  }

  private static double timeCopies(long bytes, Runnable copy) {
    for (int i = 0; i < WARMUP; i++) {
      copy.run();
    }
    float ms = timed(() -> {
      for (int i = 0; i < ITERS; i++) {
        copy.run();
      }
    });
    return bytes * (double) ITERS / (ms / 1e3) / 1e9;
  }

  private static float timed(Runnable work) {
    CUevent start = new CUevent();
    CUevent stop = new CUevent();
    JCudaDriver.cuEventCreate(start, 0);
    JCudaDriver.cuEventCreate(stop, 0);
    try {
      JCudaDriver.cuEventRecord(start, null);
      work.run();
      JCudaDriver.cuEventRecord(stop, null);
      JCudaDriver.cuEventSynchronize(stop);
      float[] ms = new float[1];
      JCudaDriver.cuEventElapsedTime(ms, start, stop);
      return ms[0];
    } finally {
      JCudaDriver.cuEventDestroy(start);
      JCudaDriver.cuEventDestroy(stop);
    }
  }

  /** {TFLOP/s, 1 if the sampled entries of C match, else 0}. */
  private static double[] gemm(CUmodule module, boolean half, int n) {
    long elems = (long) n * n;
    CUdeviceptr a = new CUdeviceptr();
    CUdeviceptr b = new CUdeviceptr();
    CUdeviceptr c = new CUdeviceptr();
    int inSize = half ? 2 : Sizeof.FLOAT;
    JCudaDriver.cuMemAlloc(a, elems * inSize);
    JCudaDriver.cuMemAlloc(b, elems * inSize);
    JCudaDriver.cuMemAlloc(c, elems * Sizeof.FLOAT);
    try {
      upload(module, half, n, 1, a);
      upload(module, half, n, 2, b);
      CUfunction f = new CUfunction();
      JCudaDriver.cuModuleGetFunction(f, module, half ? "hgemm" : "sgemm");
      Pointer params = Pointer.to(Pointer.to(new int[] {n}), Pointer.to(new int[] {n}), Pointer.to(new int[] {n}),
          Pointer.to(a), Pointer.to(b), Pointer.to(c));
      Runnable launch = () -> JCudaDriver.cuLaunchKernel(f, n / 128, n / 128, 1, 256, 1, 1, 0, null, params, null);
      for (int i = 0; i < WARMUP; i++) {
        launch.run();
      }
      JCudaDriver.cuCtxSynchronize();
      float ms = timed(() -> {
        for (int i = 0; i < ITERS; i++) {
          launch.run();
        }
      });
      double tflops = 2.0 * n * n * (double) n * ITERS / (ms / 1e3) / 1e12;
      return new double[] {tflops, verify(c, n) ? 1 : 0};
    } finally {
      JCudaDriver.cuMemFree(a);
      JCudaDriver.cuMemFree(b);
      JCudaDriver.cuMemFree(c);
    }
  }

  /** Value of matrix {@code which} at (r, c): k/16 for k in -16..16, exact in FP16 and FP32. */
  static float value(int which, int r, int c) {
    long h = which * 0x9E3779B97F4A7C15L ^ (r * 0xC2B2AE3D27D4EB4FL) ^ (c * 0x165667B19E3779F9L);
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) Long.remainderUnsigned(h, 33) / 16f - 1f;
  }

  private static void upload(CUmodule module, boolean half, int n, int which, CUdeviceptr dst) {
    int rowsPerChunk = Math.max(1, (4 << 20) / n);
    float[] chunk = new float[rowsPerChunk * n];
    CUdeviceptr staging = null;
    CUfunction f2h = null;
    if (half) {
      staging = new CUdeviceptr();
      JCudaDriver.cuMemAlloc(staging, (long) chunk.length * Sizeof.FLOAT);
      f2h = new CUfunction();
      JCudaDriver.cuModuleGetFunction(f2h, module, "f2h");
    }
    try {
      for (int r0 = 0; r0 < n; r0 += rowsPerChunk) {
        int rows = Math.min(rowsPerChunk, n - r0);
        for (int r = 0; r < rows; r++) {
          for (int col = 0; col < n; col++) {
            chunk[r * n + col] = value(which, r0 + r, col);
          }
        }
        int count = rows * n;
        if (!half) {
          JCudaDriver.cuMemcpyHtoD(dst.withByteOffset((long) r0 * n * Sizeof.FLOAT), Pointer.to(chunk),
              (long) count * Sizeof.FLOAT);
        } else {
          JCudaDriver.cuMemcpyHtoD(staging, Pointer.to(chunk), (long) count * Sizeof.FLOAT);
          Pointer p = Pointer.to(Pointer.to(new int[] {count}), Pointer.to(staging),
              Pointer.to(dst.withByteOffset((long) r0 * n * 2)));
          JCudaDriver.cuLaunchKernel(f2h, (count + 255) / 256, 1, 1, 256, 1, 1, 0, null, p, null);
          JCudaDriver.cuCtxSynchronize();
        }
      }
    } finally {
      if (staging != null) {
        JCudaDriver.cuMemFree(staging);
      }
    }
  }

  /** Checks 32 entries of C against a double-precision dot product of the generated inputs. */
  private static boolean verify(CUdeviceptr c, int n) {
    float[] one = new float[1];
    java.util.Random rnd = new java.util.Random(42);
    for (int s = 0; s < 32; s++) {
      int r = rnd.nextInt(n);
      int col = rnd.nextInt(n);
      JCudaDriver.cuMemcpyDtoH(Pointer.to(one), c.withByteOffset(((long) r * n + col) * Sizeof.FLOAT), Sizeof.FLOAT);
      double want = 0;
      double scale = 0;
      for (int k = 0; k < n; k++) {
        double p = (double) value(1, r, k) * value(2, k, col);
        want += p;
        scale += Math.abs(p);
      }
      if (Math.abs(one[0] - want) > 1e-4 * Math.max(1, scale)) {
        return false;
      }
    }
    return true;
  }
}
