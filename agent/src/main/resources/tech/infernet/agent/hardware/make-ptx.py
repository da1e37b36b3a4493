#!/usr/bin/env python3
"""Regenerates gemm.ptx from gemm.cu with NVRTC (no GPU needed).

    pip download --no-deps --only-binary=:all: --platform manylinux2014_x86_64 --python-version 3.11 \
        nvidia-cuda-nvrtc-cu12==12.6.85 nvidia-cuda-runtime-cu12==12.6.77 nvidia-cuda-nvcc-cu12==12.6.85
    unzip each wheel into DIR, then:  python3 make-ptx.py DIR

The PTX targets compute_70 (Volta and newer, tensor-core WMMA) with PTX ISA 8.5, so the driver must
support CUDA 12.6 or newer to JIT it; older drivers make the benchmark report it as unavailable.
"""
import ctypes
import os
import sys

root = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
nvrtc = ctypes.CDLL(os.path.join(root, "nvidia/cuda_nvrtc/lib/libnvrtc.so.12"))
src = open(os.path.join(here, "gemm.cu"), "rb").read()
prog = ctypes.c_void_p()
rc = nvrtc.nvrtcCreateProgram(ctypes.byref(prog), src, b"gemm.cu", 0, None, None)
assert rc == 0, rc
opts = [b"--gpu-architecture=compute_70", b"--std=c++17",
        b"-I" + os.path.join(root, "nvidia/cuda_runtime/include").encode(),
        b"-I" + os.path.join(root, "nvidia/cuda_nvcc/include").encode()]
arr = (ctypes.c_char_p * len(opts))(*opts)
rc = nvrtc.nvrtcCompileProgram(prog, len(opts), arr)
size = ctypes.c_size_t()
nvrtc.nvrtcGetProgramLogSize(prog, ctypes.byref(size))
log = ctypes.create_string_buffer(size.value)
nvrtc.nvrtcGetProgramLog(prog, log)
if log.value.strip():
    print(log.value.decode(), file=sys.stderr)
assert rc == 0, "compile failed"
nvrtc.nvrtcGetPTXSize(prog, ctypes.byref(size))
ptx = ctypes.create_string_buffer(size.value)
nvrtc.nvrtcGetPTX(prog, ptx)
with open(os.path.join(here, "gemm.ptx"), "wb") as f:
    f.write(ptx.value)
print("wrote gemm.ptx,", len(ptx.value), "bytes")
