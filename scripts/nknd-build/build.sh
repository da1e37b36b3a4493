#!/usr/bin/env bash
# Builds the devnet's nknd and nknc from github.com/nknorg/nkn/v2, pinned by go.mod and go.sum in
# this folder, into OUT_DIR. Skips the build when OUT_DIR already holds binaries built from the
# current inputs (this folder's files).
#
# Two small source patches, applied to a vendored copy, make the node fit a local test network:
#   - every listener binds 127.0.0.1; upstream listens on ":port", i.e. on all interfaces;
#   - config.json may set NodePort; upstream tags it json:"-", which pins it to 30001 and keeps a
#     second devnet (the tests' one beside a developer's) from choosing its own port.
# Each patch must change exactly the expected number of lines, so a version bump cannot skip one
# silently.
#
# Usage: build.sh OUT_DIR
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly here
inputs=("$here/go.mod" "$here/go.sum" "$here/tools.go" "$here/build.sh")

die() {
  echo "nknd-build: $*" >&2
  exit 1
}

[[ $# -eq 1 ]] || die "usage: build.sh OUT_DIR"
mkdir -p "$1"
out="$(cd "$1" && pwd)"
stamp="$out/inputs.sha256"
inputs_hash="$(cat "${inputs[@]}" | sha256sum | cut -d' ' -f1)"

if [[ -x "$out/nknd" && -x "$out/nknc" && -f "$stamp" && "$(cat "$stamp")" == "$inputs_hash" ]]; then
  echo "nknd-build: $out/nknd is up to date"
  exit 0
fi

# Replaces FILE with FILE run through SED_SCRIPT, which must change exactly EXPECTED lines.
patch_source() {
  local file="$1" sed_script="$2" expected="$3" changed
  sed -e "$sed_script" "$file" >"$file.patched"
  changed="$(diff "$file" "$file.patched" | grep -c '^>' || true)"
  [[ "$changed" == "$expected" ]] ||
    die "patch of $file changed $changed lines, expected $expected; has the pinned nkn version changed?"
  mv "$file.patched" "$file"
}

work="$out/build"
rm -rf "$work"
mkdir -p "$work"
cp "$here/go.mod" "$here/go.sum" "$here/tools.go" "$work/"
cd "$work"

# Never fetch a Go toolchain, never join a go.work above; modules come from GOPROXY, checked
# against go.sum.
export GOTOOLCHAIN=local GOWORK=off GOFLAGS=-mod=mod
echo "nknd-build: fetching and vendoring github.com/nknorg/nkn/v2 (go.sum pins every module)"
go mod vendor
chmod -R u+w vendor

nkn=vendor/github.com/nknorg/nkn/v2
nnet=vendor/github.com/nknorg/nnet
any_port='fmt.Sprintf(":%d", port)'
loopback_port='fmt.Sprintf("127.0.0.1:%d", port)'
patch_source "$nnet/transport/tcp.go" "s/$any_port/$loopback_port/" 1
patch_source "$nnet/transport/kcp.go" "s/$any_port/$loopback_port/" 1
patch_source "$nkn/api/httpjson/RPCserver.go" 's/":" + strconv.Itoa/"127.0.0.1:" + strconv.Itoa/' 2
patch_source "$nkn/api/websocket/server/wsserver.go" 's/":"+strconv.Itoa/"127.0.0.1:"+strconv.Itoa/' 2
patch_source "$nkn/api/websocket/server/server.go" 's/":"+strconv.Itoa/"127.0.0.1:"+strconv.Itoa/' 1
# config.go: NodePort readable from config.json, and the free-port probe uses loopback too.
# shellcheck disable=SC2016 # the backquotes are Go struct tags, not command substitution
patch_source "$nkn/config/config.go" 's/`json:"-"`/`json:"NodePort"`/; s/":"+strconv.Itoa/"127.0.0.1:"+strconv.Itoa/' 3

version="$(awk '$1 == "require" && $2 == "github.com/nknorg/nkn/v2" { print $3 }' go.mod)"
ldflags="-X github.com/nknorg/nkn/v2/config.Version=$version-devnet"
echo "nknd-build: compiling nknd and nknc $version (takes a minute or two the first time)"
export GOFLAGS=-mod=vendor
go build -trimpath -ldflags "$ldflags" -o "$work/nknd" github.com/nknorg/nkn/v2/cmd/nknd
go build -trimpath -ldflags "$ldflags" -o "$work/nknc" github.com/nknorg/nkn/v2/cmd/nknc

# Move into place only now, so an interrupted build never leaves a binary that looks finished.
mv "$work/nknd" "$work/nknc" "$out/"
echo "$inputs_hash" >"$stamp"
cd "$out"
rm -rf "$work"
echo "nknd-build: built $out/nknd"
