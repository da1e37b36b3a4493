#!/usr/bin/env bash
# Runs Infernet Edge on its embedded defaults: a private NKN node on 127.0.0.1, a relay for phones
# (state in .cache/relay-demo; REST on 127.0.0.1:8080, MQTT on 1883 and WebSocket 8083; push off
# until FCM credentials are configured), and an agent (state in .cache/agent-demo, admin API on
# 127.0.0.1:7390) that joins the node, accepts what the relay carries, and runs Podman jobs.
# Prints the addresses and a one-time pairing link; from a second terminal:
#   scripts/infernet pair '<link>'
#   scripts/infernet submit --image localhost/infernet-busybox:1 --watch -- echo hello
# Installs what it needs; Ctrl-C stops everything. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/devnet.sh build
mvn -B -ntp -q package -DskipTests -pl agent,client,relay -am
scripts/lib/demo-image.sh
scripts/devnet.sh start
relay_state=.cache/relay-demo
relay_log=$relay_state/relay.log
mkdir -p "$relay_state"
relay_address=$(scripts/infernet-relay address --state-dir "$relay_state")
scripts/infernet-relay run --state-dir "$relay_state" >"$relay_log" 2>&1 &
relay_pid=$!
agent_pid=
stop_all() {
  kill $agent_pid "$relay_pid" 2>/dev/null || true
  wait $agent_pid "$relay_pid" 2>/dev/null || true
  scripts/devnet.sh stop
}
trap stop_all EXIT
trap 'exit 130' INT TERM
state=.cache/agent-demo
log=$state/agent.log
mkdir -p "$state"
scripts/infernet-agent --state-dir "$state" init >/dev/null
INFERNET_AGENT_NKN_RELAYS="$relay_address" scripts/infernet-agent --state-dir "$state" run >"$log" 2>&1 &
agent_pid=$!
for _ in $(seq 1 120); do
  status=$(scripts/infernet-agent --state-dir "$state" status 2>/dev/null || true)
  case "$status" in *'"connected":true'*) break ;; esac
  kill -0 "$agent_pid" 2>/dev/null || { echo "the agent stopped; see $log" >&2; tail -20 "$log" >&2; exit 1; }
  sleep 1
done
address=$(printf '%s' "$status" | sed -n 's/.*"address":"\([^"]*\)".*/\1/p')
[ -n "$address" ] || { echo "the agent did not join NKN within 120 s; see $log" >&2; exit 1; }
for _ in $(seq 1 30); do
  grep -q '"relay ready' "$relay_log" && break
  kill -0 "$relay_pid" 2>/dev/null || { echo "the relay stopped; see $relay_log" >&2; tail -20 "$relay_log" >&2; exit 1; }
  sleep 1
done
echo
echo "relay: $(sed -n 's/.*"message":"\(relay ready: [^"]*\)".*/\1/p' "$relay_log" | head -1) (log: $relay_log)"
echo "agent on NKN at $address (log: $log)"
scripts/infernet-agent --state-dir "$state" pair --role submitter --ttl 3600
echo
echo "From a second terminal:"
echo "  scripts/infernet pair '<the link above>'"
echo "  scripts/infernet submit --image localhost/infernet-busybox:1 --watch -- echo hello"
echo "  scripts/infernet submit --image localhost/infernet-busybox:1 --wait 10 --watch -- sh -c 'echo 42 > /work/result'"
echo "  scripts/infernet result '<the job id it printed>'"
echo "Phones use the relay: curl http://127.0.0.1:8080/openapi.json (docs/relay.md walks through the phone flow)."
echo "Ctrl-C stops the agent, the relay and the NKN node."
wait "$agent_pid"
