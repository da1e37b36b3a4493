#!/usr/bin/env bash
# Builds the JNI library (Go, -buildmode=c-shared) for this machine's platform, writes its
# SHA-256 beside it, and builds the Go peer used by interop tests and benchmarks.
# Usage: build-native.sh NATIVE_RESOURCE_DIR GO_BIN_DIR   (run from this folder)
set -euo pipefail
out_dir=$1
bin_dir=$2

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64|Linux-amd64) platform=linux-x86_64 ;;
  Linux-aarch64|Linux-arm64) platform=linux-aarch64 ;;
  *) echo "build-native.sh: unsupported platform $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
if [ ! -f "$java_home/include/jni.h" ] && [ -f "$java_home/../include/jni.h" ]; then
  java_home=$(cd "$java_home/.." && pwd)   # Maven's java.home can be the JDK's jre folder
fi
[ -f "$java_home/include/jni.h" ] || { echo "build-native.sh: no jni.h under $java_home (need a JDK)" >&2; exit 1; }

export CGO_ENABLED=1
export CGO_CFLAGS="-I$java_home/include -I$java_home/include/linux"
export GOFLAGS=-trimpath

mkdir -p "$out_dir/$platform" "$bin_dir"
lib="$out_dir/$platform/libinfernet_nkn.so"
go build -buildmode=c-shared -ldflags "-s -w" -o "$lib.tmp" ./jni
rm -f "$out_dir/$platform/libinfernet_nkn.so.h" "$lib.tmp.h"
mv -f "$lib.tmp" "$lib"
sha256sum "$lib" | cut -d' ' -f1 > "$lib.sha256"
go build -o "$bin_dir/nknpeer" ./cmd/nknpeer
