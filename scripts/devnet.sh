#!/usr/bin/env bash
# A private one-node NKN network ("devnet") on 127.0.0.1 for development and tests.
# See docs/devnet.md for what it is good for, and for measured timings.
#
# Usage: scripts/devnet.sh build|init|start|wait|stop|kill|status|address|clean
#   build    build nknd (pinned in scripts/nknd-build) into .cache/nknd/<version>/, once
#   init     create the node's wallet (once) and write its loopback config.json
#   start    init if needed, start nknd in the background, then wait; no-op if it runs
#   wait     wait until the node serves clients (JSON-RPC and WebSocket answer)
#   stop     SIGINT (nknd's graceful shutdown), SIGKILL after a grace period
#   kill     SIGKILL at once (crash tests); the chain state stays for the next start
#   status   print whether the node runs, with its sync state and block height
#   address  print the seed JSON-RPC address, http://127.0.0.1:<rpc port>
#   clean    stop, then delete the chain state and logs (keeps the wallet and nknd)
#
# Environment:
#   INFERNET_DEVNET_DIR            state folder (default: <repo>/.cache/devnet)
#   INFERNET_DEVNET_PORT_BASE      first of six consecutive ports: node, WebSocket, JSON-RPC,
#                                  WSS and HTTPS (both unused), web GUI (default: the ports in
#                                  the dir's config.json, else 30001)
#   INFERNET_DEVNET_WAIT_TIMEOUT   seconds `wait` allows (default: 120)
#   INFERNET_DEVNET_STOP_GRACE     seconds `stop` allows before SIGKILL (default: 15)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
build_dir="$repo/scripts/nknd-build"
nkn_version="$(awk '$1 == "require" && $2 == "github.com/nknorg/nkn/v2" { print $3 }' "$build_dir/go.mod")"
bin_dir="$repo/.cache/nknd/$nkn_version"
nknd="$bin_dir/nknd"
nknc="$bin_dir/nknc"

devnet_dir="${INFERNET_DEVNET_DIR:-$repo/.cache/devnet}"
config_file="$devnet_dir/config.json"
# A devnet dir remembers its ports: without the variable, those of its config.json are used.
# (A fresh checkout has no config.json yet: sed fails, and that must not end the script.)
remembered_port_base() { sed -n 's/^ *"NodePort": *\([0-9]*\),$/\1/p' "$config_file" 2>/dev/null || true; }
port_base="${INFERNET_DEVNET_PORT_BASE:-$(remembered_port_base)}"
port_base="${port_base:-30001}"
wait_timeout="${INFERNET_DEVNET_WAIT_TIMEOUT:-120}"
stop_grace="${INFERNET_DEVNET_STOP_GRACE:-15}"
readonly repo build_dir nkn_version bin_dir nknd nknc devnet_dir config_file port_base wait_timeout stop_grace

# nknd's port order, as in its own defaults (30001..30005).
node_port=$((port_base))
ws_port=$((port_base + 1))
rpc_port=$((port_base + 2))
wss_port=$((port_base + 3))
https_port=$((port_base + 4))
web_gui_port=$((port_base + 5))
readonly node_port ws_port rpc_port wss_port https_port web_gui_port
all_ports=("$node_port" "$ws_port" "$rpc_port" "$wss_port" "$https_port" "$web_gui_port")

wallet_file="$devnet_dir/wallet.json"
password_file="$devnet_dir/wallet.password"
public_key_file="$devnet_dir/public-key"
chain_dir="$devnet_dir/chaindb"
nknd_log_dir="$devnet_dir/log"
console_log="$devnet_dir/nknd.out"
pid_file="$devnet_dir/nknd.pid"
readonly wallet_file password_file public_key_file chain_dir nknd_log_dir console_log pid_file

say() { echo "devnet: $*" >&2; }

die() {
  say "ERROR: $*"
  exit 1
}

log_tail() {
  if [[ -s "$console_log" ]]; then
    say "last lines of $console_log:"
    tail -n 40 "$console_log" >&2
  fi
}

rpc_address() { echo "http://127.0.0.1:$rpc_port"; }

# Prints the JSON-RPC response, or nothing when the node does not answer.
node_state() {
  curl --silent --max-time 2 --noproxy '*' -H 'Content-Type: application/json' \
    -d '{"jsonrpc":"2.0","id":1,"method":"getnodestate","params":{}}' \
    "$(rpc_address)" 2>/dev/null || true
}

json_field() { # JSON FIELD: the value of a string or number field (flat grep, enough for nknd)
  grep -o "\"$2\":\"\?[^\",}]*" <<<"$1" | head -n 1 | sed 's/.*:"\?//'
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running_pid() { # prints the node's pid when it runs, checking it is our nknd and not a reused pid
  local pid
  [[ -f "$pid_file" ]] || return 1
  pid="$(cat "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  # A prefix match: after a rebuild, a node still running shows "<path> (deleted)".
  [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$nknd"* ]] || return 1
  echo "$pid"
}

# Serialises commands on one devnet dir (two test JVMs, or a script and a person).
locked=false
take_lock() {
  "$locked" && return 0
  mkdir -p "$devnet_dir"
  exec 9>"$devnet_dir/.lock"
  flock 9
  locked=true
}

cmd_build() {
  "$build_dir/build.sh" "$bin_dir"
}

wallet_public_key() {
  NKN_WALLET_PASSWORD="$(cat "$password_file")" "$nknc" wallet -l account -n "$wallet_file" |
    awk '$1 ~ /^NKN/ { print $2 }'
}

create_wallet_once() {
  [[ -f "$wallet_file" ]] && return 0
  say "creating the node's wallet in $devnet_dir"
  (
    umask 077
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$password_file"
    NKN_WALLET_PASSWORD="$(cat "$password_file")" "$nknc" wallet -c -n "$wallet_file" >/dev/null
  )
  chmod 600 "$wallet_file" "$password_file"
}

# Written on every init from the wallet and the port base, so the file always matches them.
# Field names: nknd's config/config.go (Configuration struct; NodePort is made readable by
# scripts/nknd-build). Go's JSON decoding ignores case, nknd's own samples use these spellings.
write_config() {
  local public_key
  public_key="$(wallet_public_key)"
  [[ "$public_key" =~ ^[0-9a-f]{64}$ ]] || die "could not read the public key of $wallet_file"
  echo "$public_key" >"$public_key_file"
  (
    umask 077
    cat >"$config_file.tmp" <<EOF
{
  "Hostname": "127.0.0.1",
  "NAT": false,
  "NodePort": $node_port,
  "HttpWsPort": $ws_port,
  "HttpJsonPort": $rpc_port,
  "HttpWssPort": $wss_port,
  "HttpsJsonPort": $https_port,
  "WebGuiListenAddress": "127.0.0.1",
  "WebGuiPort": $web_gui_port,
  "SeedList": ["$(rpc_address)"],
  "StunList": ["stun:127.0.0.1:$node_port"],
  "GenesisBlockProposer": "$public_key",
  "DefaultTlsDomainTmpl": [],
  "CertDirectory": "$devnet_dir/certs",
  "WsIPRateLimit": 100000,
  "WsIPRateBurst": 100000,
  "RPCIPRateLimit": 100000,
  "RPCIPRateBurst": 100000,
  "RPCRateLimit": 100000,
  "RPCRateBurst": 100000,
  "LogPath": "$nknd_log_dir",
  "ChainDBPath": "$chain_dir",
  "WalletFile": "$wallet_file",
  "PasswordFile": "$password_file"
}
EOF
  )
  mv "$config_file.tmp" "$config_file"
}
# Why these values: seeds, STUN and TLS domain templates default to public hosts (mainnet seeds,
# Google STUN, *.staticdns*.io with ACME); pointing them at ourselves keeps nknd off the network.
# Every client of a devnet is 127.0.0.1, so the per-IP rate limits (10/s by default) are raised.

cmd_init() {
  [[ -x "$nknd" && -x "$nknc" ]] || cmd_build
  mkdir -p "$devnet_dir"
  create_wallet_once
  write_config
}

# The node serves clients once JSON-RPC reports a node state and the WebSocket port accepts.
# PERSIST_FINISHED comes only with the first block accepted after a start (minutes), and
# clients do not need it: see docs/devnet.md. The public key check makes sure the node that
# answers is this dir's, not another devnet on the same ports.
serves_clients() {
  local state
  state="$(node_state)"
  [[ -n "$(json_field "$state" syncState)" ]] &&
    [[ "$(json_field "$state" publicKey)" == "$(cat "$public_key_file" 2>/dev/null)" ]] &&
    port_open "$ws_port"
}

cmd_wait() {
  local started=$SECONDS state
  until serves_clients; do
    if ! running_pid >/dev/null; then
      log_tail
      die "nknd is not running (see $console_log)"
    fi
    if ((SECONDS - started >= wait_timeout)); then
      log_tail
      die "nknd did not serve clients on $(rpc_address) within ${wait_timeout}s"
    fi
    sleep 0.2
  done
  state="$(node_state)"
  say "ready at $(rpc_address) (syncState $(json_field "$state" syncState), height $(json_field "$state" height))"
}

check_ports_free() {
  local port
  for port in "${all_ports[@]}"; do
    if port_open "$port"; then
      die "127.0.0.1:$port is in use; is another devnet running? Set INFERNET_DEVNET_PORT_BASE to use other ports."
    fi
  done
}

cmd_start() {
  take_lock
  if running_pid >/dev/null; then
    say "already running (pid $(running_pid))"
  else
    cmd_init
    # nknd would silently move every port up if the node port were taken; fail clearly instead.
    check_ports_free
    say "starting nknd $nkn_version on 127.0.0.1:$node_port-$web_gui_port (log: $console_log)"
    # -c: create a new network rather than join one; setsid: Ctrl-C in the caller's terminal
    # does not reach the node; fd 9 (the lock) is closed so the node does not hold it.
    (cd "$devnet_dir" && exec setsid "$nknd" -c --no-nat --config "$config_file" \
      </dev/null >>"$console_log" 2>&1 9>&-) &
    echo $! >"$pid_file"
    wait_until_exec
  fi
  cmd_wait
}

# Until the background subshell has exec'd nknd, /proc/<pid>/exe still names bash.
wait_until_exec() {
  local deadline=$((SECONDS + 10))
  until running_pid >/dev/null; do
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null || ((SECONDS >= deadline)); then
      log_tail
      die "nknd did not start (see $console_log)"
    fi
    sleep 0.05
  done
}

wait_until_gone() { # PID SECONDS: true when the process ended in time
  local pid="$1" deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    # A zombie has ended; where PID 1 does not reap (some containers), it would stay forever.
    [[ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" == Z ]] && return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

cmd_stop() {
  take_lock
  local pid
  if pid="$(running_pid)"; then
    # nknd shuts down cleanly (closing its database) on SIGINT; SIGTERM would end it at once.
    kill -INT "$pid"
    if ! wait_until_gone "$pid" "$stop_grace"; then
      say "nknd did not stop within ${stop_grace}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_until_gone "$pid" 10 || die "nknd (pid $pid) survived SIGKILL"
    fi
    say "stopped"
  else
    say "not running"
  fi
  rm -f "$pid_file"
}

cmd_kill() {
  take_lock
  local pid
  if pid="$(running_pid)"; then
    kill -KILL "$pid"
    wait_until_gone "$pid" 10 || die "nknd (pid $pid) survived SIGKILL"
    say "killed"
  else
    say "not running"
  fi
  rm -f "$pid_file"
}

cmd_status() {
  local pid state
  if pid="$(running_pid)"; then
    state="$(node_state)"
    if [[ -n "$state" ]]; then
      echo "running (pid $pid) at $(rpc_address): syncState $(json_field "$state" syncState), height $(json_field "$state" height)"
    else
      echo "running (pid $pid) but $(rpc_address) does not answer"
    fi
  else
    echo "stopped"
    return 3
  fi
}

cmd_clean() {
  cmd_stop
  rm -rf "$chain_dir" "$chain_dir.config" "$nknd_log_dir" "$devnet_dir/certs" "$console_log" "$pid_file"
  say "chain state deleted from $devnet_dir"
}

main() {
  [[ $# -eq 1 ]] || die "usage: $0 build|init|start|wait|stop|kill|status|address|clean"
  case "$1" in
    build) cmd_build ;;
    init) cmd_init ;;
    start) cmd_start ;;
    wait) cmd_wait ;;
    stop) cmd_stop ;;
    kill) cmd_kill ;;
    status) cmd_status ;;
    address) rpc_address ;;
    clean) cmd_clean ;;
    *) die "unknown command '$1'; use build|init|start|wait|stop|kill|status|address|clean" ;;
  esac
}

main "$@"
