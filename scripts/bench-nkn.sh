#!/usr/bin/env bash
# Benchmark of nkn-java-sdk against a pure-Go program on the same nkn-sdk-go and the same local
# nknd, in one run; prints a Markdown table (docs/benchmarks.md). Not a test.
# Options go to the JVM, e.g. -Dbench.rounds=5 -Dbench.msgs=20000 -Dbench.rr=2000 -Dbench.mib=64
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/devnet.sh build
mvn -B -ntp -q -pl nkn-java-sdk -am test-compile
scripts/devnet.sh start
# shellcheck source=lib/nkn-jvm-env.sh
. scripts/lib/nkn-jvm-env.sh
java "$@" -cp nkn-java-sdk/target/classes:nkn-java-sdk/target/test-classes \
  tech.infernet.nkn.bench.NknBenchmark "$(scripts/devnet.sh address)" nkn-java-sdk/target/go-bin/nknpeer \
  2> >(grep -v '"logger":"nkn-sdk-go"' >&2)
