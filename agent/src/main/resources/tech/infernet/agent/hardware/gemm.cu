// GPU benchmark kernels for the Infernet agent (tech.infernet.agent.hardware.GpuBenchmark).
// gemm.ptx next to this file is generated from it by agent/src/main/resources/tech/infernet/agent/hardware/make-ptx.py
// (NVRTC 12.6 from the nvidia-cuda-nvrtc-cu12 wheel, --gpu-architecture=compute_70): do not edit the PTX.
//
// sgemm: C = A * B in FP32, row-major, 128x128 block tile, 8x8 outputs per thread (256 threads).
// hgemm: C = A * B with FP16 inputs and FP32 accumulation on tensor cores (WMMA 16x16x16),
//        128x128 block tile, 8 warps each 64x32 (4x2 fragments). M, N multiples of 128, K of 32.
// f2h:   converts floats to halves on the device (Java 17 has no float16 conversion).
#include <cuda_fp16.h>
#include <mma.h>

using namespace nvcuda;

extern "C" __global__ void __launch_bounds__(256) sgemm(int M, int N, int K, const float* __restrict__ A,
                                                        const float* __restrict__ B, float* __restrict__ C) {
  __shared__ float As[8][128];
  __shared__ float Bs[8][128];
  const int tx = threadIdx.x % 16;
  const int ty = threadIdx.x / 16;
  const int row0 = blockIdx.y * 128;
  const int col0 = blockIdx.x * 128;
  float acc[8][8];
#pragma unroll
  for (int i = 0; i < 8; i++)
#pragma unroll
    for (int j = 0; j < 8; j++) acc[i][j] = 0.f;
  for (int k0 = 0; k0 < K; k0 += 8) {
#pragma unroll
    for (int i = 0; i < 4; i++) {
      int idx = threadIdx.x + i * 256;  // 0..1023
      int r = idx / 8, c = idx % 8;     // A tile 128 x 8, stored transposed
      As[c][r] = A[(size_t)(row0 + r) * K + k0 + c];
      int rb = idx / 128, cb = idx % 128;  // B tile 8 x 128
      Bs[rb][cb] = B[(size_t)(k0 + rb) * N + col0 + cb];
    }
    __syncthreads();
#pragma unroll
    for (int k = 0; k < 8; k++) {
      float a[8], b[8];
#pragma unroll
      for (int i = 0; i < 8; i++) a[i] = As[k][ty * 8 + i];
#pragma unroll
      for (int j = 0; j < 8; j++) b[j] = Bs[k][tx * 8 + j];
#pragma unroll
      for (int i = 0; i < 8; i++)
#pragma unroll
        for (int j = 0; j < 8; j++) acc[i][j] += a[i] * b[j];
    }
    __syncthreads();
  }
#pragma unroll
  for (int i = 0; i < 8; i++)
#pragma unroll
    for (int j = 0; j < 8; j++) C[(size_t)(row0 + ty * 8 + i) * N + col0 + tx * 8 + j] = acc[i][j];
}

extern "C" __global__ void __launch_bounds__(256) hgemm(int M, int N, int K, const __half* __restrict__ A,
                                                        const __half* __restrict__ B, float* __restrict__ C) {
  __shared__ __align__(32) __half As[128][40];   // 128 x 32 tile, padded rows
  __shared__ __align__(32) __half Bs[32][136];   // 32 x 128 tile, padded rows
  const int warp = threadIdx.x / 32;
  const int wr = warp / 4;  // 0..1: 64 rows each
  const int wc = warp % 4;  // 0..3: 32 columns each
  const int row0 = blockIdx.y * 128;
  const int col0 = blockIdx.x * 128;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[4][2];
#pragma unroll
  for (int i = 0; i < 4; i++)
#pragma unroll
    for (int j = 0; j < 2; j++) wmma::fill_fragment(acc[i][j], 0.f);
  for (int k0 = 0; k0 < K; k0 += 32) {
#pragma unroll
    for (int i = 0; i < 2; i++) {
      int idx = threadIdx.x + i * 256;  // 0..511, 8 halves (16 bytes) each
      int r = idx / 4, c = (idx % 4) * 8;
      *reinterpret_cast<uint4*>(&As[r][c]) =
          *reinterpret_cast<const uint4*>(&A[(size_t)(row0 + r) * K + k0 + c]);
      int rb = idx / 16, cb = (idx % 16) * 8;
      *reinterpret_cast<uint4*>(&Bs[rb][cb]) =
          *reinterpret_cast<const uint4*>(&B[(size_t)(k0 + rb) * N + col0 + cb]);
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < 32; kk += 16) {
      wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> a[4];
      wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::row_major> b[2];
#pragma unroll
      for (int i = 0; i < 4; i++) wmma::load_matrix_sync(a[i], &As[wr * 64 + i * 16][kk], 40);
#pragma unroll
      for (int j = 0; j < 2; j++) wmma::load_matrix_sync(b[j], &Bs[kk][wc * 32 + j * 16], 136);
#pragma unroll
      for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 2; j++) wmma::mma_sync(acc[i][j], a[i], b[j], acc[i][j]);
    }
    __syncthreads();
  }
#pragma unroll
  for (int i = 0; i < 4; i++)
#pragma unroll
    for (int j = 0; j < 2; j++)
      wmma::store_matrix_sync(&C[(size_t)(row0 + wr * 64 + i * 16) * N + col0 + wc * 32 + j * 16], acc[i][j], N,
                              wmma::mem_row_major);
}

extern "C" __global__ void f2h(int n, const float* __restrict__ in, __half* __restrict__ out) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = __float2half(in[i]);
}
