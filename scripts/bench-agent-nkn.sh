#!/usr/bin/env bash
# Benchmark: a no-op job's submit-to-result round trip through an agent over NKN vs a bare
# request-reply through the binding, in one run, then jobs/s through one agent (docs/benchmarks.md).
# Arguments: [round trips] [jobs]
# With "transfer" first: a large result fetched through the agent vs a bare session instead
# (TransferBench). Arguments then: [MiB] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/devnet.sh build
mvn -B -ntp -q -pl agent -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test
scripts/devnet.sh start
# shellcheck source=lib/nkn-jvm-env.sh
. scripts/lib/nkn-jvm-env.sh
bench=tech.infernet.agent.bench.NknJobBench
if [ "${1:-}" = "transfer" ]; then
  bench=tech.infernet.agent.bench.TransferBench
  shift
fi
java -cp "agent/target/test-classes:agent/target/classes:$(cat agent/target/bench.classpath)" \
  "$bench" "$(scripts/devnet.sh address)" "$@" 2> >(grep -v '"logger":"nkn-sdk-go"' >&2)
