#!/usr/bin/env bash
# Runs Infernet Edge on its embedded defaults: a private NKN node on 127.0.0.1 and, for now, two
# Java clients that talk through it (later: agent + relay). Installs what it needs; Ctrl-C stops
# everything. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/devnet.sh build
mvn -B -ntp -q -pl nkn-java-sdk -am package -DskipTests
scripts/devnet.sh start
trap 'scripts/devnet.sh stop' EXIT
# shellcheck source=lib/nkn-jvm-env.sh
. scripts/lib/nkn-jvm-env.sh
java -cp nkn-java-sdk/target/nkn-java-sdk-0.1.0-SNAPSHOT.jar tech.infernet.nkn.demo.TwoClientsDemo \
  "$(scripts/devnet.sh address)" "$@"
