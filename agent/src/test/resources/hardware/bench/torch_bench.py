#!/usr/bin/env python3
"""PyTorch counterpart of the agent's JCuda GPU benchmark (same sizes, warm-ups, iterations and
timing with CUDA events) for the comparison recorded in docs/benchmarks.md.

    python3 torch_bench.py [fp32N fp16N copyMiB]
"""
import json
import sys

import torch

WARMUP, ITERS = 2, 10
fp32_n, fp16_n, copy_mib = (int(a) for a in (sys.argv[1:4] if len(sys.argv) > 3 else (4096, 8192, 256)))
dev = torch.device("cuda:0")
torch.backends.cuda.matmul.allow_tf32 = False  # true FP32, like the agent's sgemm kernel


def timed(fn):
    for _ in range(WARMUP):
        fn()
    torch.cuda.synchronize()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(ITERS):
        fn()
    stop.record()
    stop.synchronize()
    return start.elapsed_time(stop) / 1e3


def gemm(n, dtype):
    # the same value set as the agent: k/16 - 1 for k in 0..32
    a = (torch.randint(0, 33, (n, n), device=dev).to(dtype) / 16 - 1)
    b = (torch.randint(0, 33, (n, n), device=dev).to(dtype) / 16 - 1)
    s = timed(lambda: torch.matmul(a, b))
    return 2.0 * n ** 3 * ITERS / s / 1e12


nbytes = copy_mib << 20
host = torch.empty(nbytes, dtype=torch.uint8, pin_memory=True)
d1 = torch.empty(nbytes, dtype=torch.uint8, device=dev)
d2 = torch.empty(nbytes, dtype=torch.uint8, device=dev)
out = {
    "torch": torch.__version__,
    "cuda": torch.version.cuda,
    "device": torch.cuda.get_device_name(0),
    "fp32N": fp32_n,
    "fp32Tflops": gemm(fp32_n, torch.float32),
    "fp16N": fp16_n,
    "fp16Tflops": gemm(fp16_n, torch.float16),
    "copyBytes": nbytes,
    "h2dGBs": nbytes * ITERS / timed(lambda: d1.copy_(host)) / 1e9,
    "d2hGBs": nbytes * ITERS / timed(lambda: host.copy_(d1)) / 1e9,
    "d2dGBs": nbytes * ITERS / timed(lambda: d2.copy_(d1)) / 1e9,
}
print(json.dumps(out))
