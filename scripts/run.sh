#!/usr/bin/env bash
# Runs Infernet Edge on its embedded defaults: a private NKN node on 127.0.0.1, and an agent
# (state in .cache/agent-demo, admin API on 127.0.0.1:7390) that joins it and runs Podman jobs.
# Prints the agent's NKN address and a one-time pairing link; from a second terminal:
#   scripts/infernet pair '<link>'
#   scripts/infernet submit --image localhost/infernet-busybox:1 --watch -- echo hello
# Installs what it needs; Ctrl-C stops everything. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/devnet.sh build
mvn -B -ntp -q package -DskipTests -pl agent,client -am
scripts/lib/demo-image.sh
scripts/devnet.sh start
state=.cache/agent-demo
log=$state/agent.log
mkdir -p "$state"
scripts/infernet-agent --state-dir "$state" init >/dev/null
scripts/infernet-agent --state-dir "$state" run >"$log" 2>&1 &
agent_pid=$!
trap 'kill "$agent_pid" 2>/dev/null; wait "$agent_pid" 2>/dev/null; scripts/devnet.sh stop' EXIT
for _ in $(seq 1 120); do
  status=$(scripts/infernet-agent --state-dir "$state" status 2>/dev/null || true)
  case "$status" in *'"connected":true'*) break ;; esac
  kill -0 "$agent_pid" 2>/dev/null || { echo "the agent stopped; see $log" >&2; tail -20 "$log" >&2; exit 1; }
  sleep 1
done
address=$(printf '%s' "$status" | sed -n 's/.*"address":"\([^"]*\)".*/\1/p')
[ -n "$address" ] || { echo "the agent did not join NKN within 120 s; see $log" >&2; exit 1; }
echo
echo "agent on NKN at $address (log: $log)"
scripts/infernet-agent --state-dir "$state" pair --role submitter --ttl 3600
echo
echo "From a second terminal:"
echo "  scripts/infernet pair '<the link above>'"
echo "  scripts/infernet submit --image localhost/infernet-busybox:1 --watch -- echo hello"
echo "Ctrl-C stops the agent and the NKN node."
wait "$agent_pid"
