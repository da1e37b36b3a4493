#!/usr/bin/env bash
# Measures the agent's start-to-ready time and its idle RSS under several JVM flag sets, run
# alternately N times each (fresh state dir per run; default config, so container-engine detection
# is included). Start-to-ready: from spawning the JVM to its "READY port=" line (store open and
# recovered, runners probed, admin API listening). Idle RSS: VmRSS after IDLE seconds of no work.
#
#   mvn -B -ntp -pl agent -am package -DskipTests   # once, for the jar and its classpath
#   agent/scripts/bench-agent-start.sh [N=5] [IDLE=10]
# The agent runs from its jar (class data sharing needs jars); a last variant adds an AppCDS
# archive made here first by one run with -XX:ArchiveClassesAtExit.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}
idle=${2:-10}
cp="${AGENT_CP:-}"
if [ -z "$cp" ]; then
  mvn -B -ntp -q dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >/dev/null
  cp="$(ls target/agent-*.jar | head -1):$(cat target/bench-cp.txt)"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
small="-XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1"
# the AppCDS archive: one run that dumps the classes it loaded at exit
mkdir -p "$tmp/cds-state"
# shellcheck disable=SC2086
java $small -XX:ArchiveClassesAtExit="$tmp/agent.jsa" -cp "$cp" tech.infernet.agent.cli.Main \
  --state-dir "$tmp/cds-state" run --port 0 >"$tmp/cds.out" 2>&1 &
pid=$!
until grep -q "READY port=" "$tmp/cds.out" 2>/dev/null; do sleep 0.05; done
sleep 2; kill -TERM "$pid"; wait "$pid" || true
declare -a names=("default" "serial+c1" "serial+c1+xmx64m" "serial+c1+xmx64m+cds")
declare -a flags=("" "$small" "$small -Xmx64m" "$small -Xmx64m -XX:SharedArchiveFile=$tmp/agent.jsa")
declare -A ready rss
for ((i = 1; i <= n; i++)); do
  for k in "${!names[@]}"; do
    state="$tmp/state-$k-$i"
    mkdir -p "$state"
    out="$tmp/out-$k-$i"
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    java ${flags[$k]} -cp "$cp" tech.infernet.agent.cli.Main --state-dir "$state" run --port 0 \
      >"$out" 2>"$out.err" &
    pid=$!
    until grep -q "READY port=" "$out" 2>/dev/null; do
      kill -0 "$pid" 2>/dev/null || { echo "agent exited: $(tail -5 "$out.err")" >&2; exit 1; }
      sleep 0.01
    done
    t1=$(date +%s%N)
    sleep "$idle"
    r=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    kill -TERM "$pid"; wait "$pid" || true
    ms=$(( (t1 - t0) / 1000000 ))
    ready[$k]="${ready[$k]:-} $ms"
    rss[$k]="${rss[$k]:-} $((r / 1024))"
    printf 'run %d %-22s ready %5d ms  idle RSS %4d MiB\n' "$i" "${names[$k]}" "$ms" "$((r / 1024))"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo
printf '%-22s %16s %18s\n' "flags" "ready (median)" "idle RSS (median)"
for k in "${!names[@]}"; do
  printf '%-22s %13s ms %14s MiB\n' "${names[$k]}" "$(echo "${ready[$k]}" | median)" \
    "$(echo "${rss[$k]}" | median)"
done
for k in "${!names[@]}"; do echo "${names[$k]}: ${flags[$k]:-(no flags)}" | sed "s#$tmp/##"; done
